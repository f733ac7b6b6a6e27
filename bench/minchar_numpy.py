"""min-char-rnn in numpy: the peer of seq2go's `BenchmarkMinCharRNN`.

The model and update follow Karpathy's min-char-rnn (vanilla RNN, hidden 100,
seq_length 25, Adagrad lr 0.1, element-wise clip at 5), written afresh here.
Prints iterations/s over the embedded tinyshakespeare, one BLAS thread unless
the environment says otherwise.

    /usr/bin/python3 bench/minchar_numpy.py DATA_FILE [ITERATIONS]
"""
import sys
import time

import numpy as np

path = sys.argv[1]
iters = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
text = open(path, encoding="utf-8").read()
chars = sorted(set(text))
V, H, T, lr = len(chars), 100, 25, 0.1
ix = {c: i for i, c in enumerate(chars)}
ids = np.array([ix[c] for c in text])

rng = np.random.default_rng(1)
Wxh = rng.standard_normal((H, V)) * 0.01
Whh = rng.standard_normal((H, H)) * 0.01
Why = rng.standard_normal((V, H)) * 0.01
bh, by = np.zeros((H, 1)), np.zeros((V, 1))
params = [Wxh, Whh, Why, bh, by]
mem = [np.zeros_like(p) for p in params]


def step(inputs, targets, hprev):
    xs, hs, ps = {}, {-1: hprev}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
        z = Why @ hs[t] + by
        e = np.exp(z - z.max())
        ps[t] = e / e.sum()
        loss -= np.log(ps[t][targets[t], 0])
    grads = [np.zeros_like(p) for p in params]
    dWxh, dWhh, dWhy, dbh, dby = grads
    dhnext = np.zeros_like(hprev)
    for t in reversed(range(len(inputs))):
        dz = ps[t].copy()
        dz[targets[t]] -= 1
        dWhy += dz @ hs[t].T
        dby += dz
        dh = Why.T @ dz + dhnext
        dpre = (1 - hs[t] * hs[t]) * dh
        dbh += dpre
        dWxh += dpre @ xs[t].T
        dWhh += dpre @ hs[t - 1].T
        dhnext = Whh.T @ dpre
    for g in grads:
        np.clip(g, -5, 5, out=g)
    return loss, grads, hs[len(inputs) - 1]


p, h = 0, np.zeros((H, 1))
smooth = -np.log(1.0 / V) * T
start = time.perf_counter()
for n in range(iters):
    if p + T + 1 >= len(ids):
        p, h = 0, np.zeros((H, 1))
    loss, grads, h = step(ids[p:p + T], ids[p + 1:p + T + 1], h)
    smooth = smooth * 0.999 + loss * 0.001
    for w, g, m in zip(params, grads, mem):
        m += g * g
        w -= lr * g / np.sqrt(m + 1e-8)
    p += T
elapsed = time.perf_counter() - start
print(f"numpy min-char-rnn: {iters / elapsed:.1f} iterations/s smooth_loss={smooth:.2f}")
