"""PyTorch attentional seq2seq: the peer of seq2go's lib/seq2seq (cell "gru")
and its int8 decoder (lib/quant), `BenchmarkPeerTrain` and `BenchmarkPeerGreedy`;
with --cell lstm --attention general, the peer of lib/smartreply's LSTM reply
scorer (`BenchmarkPeerScorer`, bench/smartreply.sh).

The same architecture as the Go model:

    s_1 … s_n  = BiGRU(SrcEmbed(x))             H/2 units each way, concatenated (width H)
    h_t        = GRUCell([TgtEmbed(y_{t-1}) | h̃_{t-1}], h_{t-1})   h_0 = 0, h̃_0 = 0 (input feeding)
    a_t        = masked softmax_j vᵀ tanh(Wq h_t + Wk s_j + b)      additive attention, dim H
                 (--attention general: masked softmax_j (h_t Wa)·s_j, Luong's general score)
    c_t        = Σ_j a_tj s_j
    h̃_t        = tanh(Wc [c_t | h_t] + bc)
    p(y_t | …) = softmax(Wo h̃_t + bo)

(--cell lstm: BiLSTM and LSTMCell, with cell states, h_0 = c_0 = 0.)
Data are random token ids ≥ 4 (0 pad, 2 BOS, 3 EOS), every source --src-len
(default L) and every target L tokens long; the decoder reads BOS y_1 … y_L and predicts y_1 … y_L EOS
(L+1 steps), like the Go model's Loss. Speed does not depend on the ids.

Measures, each timed for about --seconds after a warm-up, in sentences/s:
  1. training: forward + backward + global-norm clipping (5) + Adam, teacher
     forcing, batch --batch (default 64);
  2. greedy decoding at batch 1 and 32, float32, under no_grad: encode, then
     exactly L+1 decoder steps of argmax (a fixed count, not "until EOS", so
     that both sides do equal work on an untrained model);
  3. the same greedy decoding after torch.ao.quantization.quantize_dynamic
     (qint8) of nn.Linear, nn.GRU and nn.GRUCell.
Prints one line per measure, e.g.

    torch train threads=1 sent/s=322.1
    torch greedy fp32 batch=1 threads=1 sent/s=102.3
    torch greedy int8 batch=32 threads=1 sent/s=480.0     (sent/s=n/a if quantization failed)

and comment lines starting with "#". The key projections Wk s_j + b are
computed once per source batch (the usual PyTorch idiom); --recompute-keys
redoes them at every decoder step, as seq2go's Additive does for now.

    /usr/bin/python3 bench/seq2seq_torch.py [--threads N] [--vocab V] [--embed E]
        [--hidden H] [--len L] [--src-len LS] [--batch B] [--seconds S] [--recompute-keys]
        [--cell gru|lstm] [--attention bahdanau|general] [--train-only]

OMP_NUM_THREADS and OPENBLAS_NUM_THREADS default to --threads; set them (and
OMP_WAIT_POLICY) in the environment to try other settings (see bench/seq2seq.sh).
"""
import argparse
import os
import time

PAD, BOS, EOS, FIRST = 0, 2, 3, 4

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--vocab", type=int, default=4000)
p.add_argument("--embed", type=int, default=128)
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--len", type=int, default=15)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--seconds", type=float, default=3.0)
p.add_argument("--recompute-keys", action="store_true")
p.add_argument("--src-len", type=int, default=0)
p.add_argument("--cell", choices=["gru", "lstm"], default="gru")
p.add_argument("--attention", choices=["bahdanau", "general"], default="bahdanau")
p.add_argument("--train-only", action="store_true")
args = p.parse_args()
assert args.hidden % 2 == 0, "--hidden must be even"
# Debian's torch does its matrix products in OpenBLAS (pthreads), whose pool
# set_num_threads does not size: it reads OPENBLAS_NUM_THREADS, else
# OMP_NUM_THREADS, else takes every core, when the library loads. So default
# both to --threads before importing torch; the caller may set them otherwise.
os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", os.environ["OMP_NUM_THREADS"])

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(1)
V, E, H, L = args.vocab, args.embed, args.hidden, args.len
LS = args.src_len or L
LSTM = args.cell == "lstm"


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_embed = nn.Embedding(V, E)
        self.tgt_embed = nn.Embedding(V, E)
        rnn, cell = (nn.LSTM, nn.LSTMCell) if LSTM else (nn.GRU, nn.GRUCell)
        self.encoder = rnn(E, H // 2, bidirectional=True)  # time-major
        self.decoder = cell(E + H, H)
        if args.attention == "general":
            self.wa = nn.Linear(H, H, bias=False)  # score = (h Wa)·s
        else:
            self.wq = nn.Linear(H, H, bias=False)  # attention dim A = H
            self.wk = nn.Linear(H, H)
            self.v = nn.Linear(H, 1, bias=False)
        self.combine = nn.Linear(2 * H, H)
        self.out = nn.Linear(H, V)

    def encode(self, src, lens):
        """src: Ts×B ids, lens: B lengths -> the decoder's starting state."""
        # Every sentence here is L long, so no packing is needed for the
        # backward direction; the attention still masks by length.
        keys, _ = self.encoder(self.src_embed(src))  # Ts×B×H
        keys = keys.transpose(0, 1).contiguous()  # B×Ts×H
        mask = torch.arange(keys.shape[1])[None, :] >= lens[:, None]  # B×Ts, True at padding
        general = args.attention == "general"
        proj = None if args.recompute_keys or general else self.wk(keys)  # B×Ts×A, once per batch
        b = src.shape[1]
        zero = keys.new_zeros(b, H)
        return keys, proj, mask, (zero, zero) if LSTM else zero, keys.new_zeros(b, H)

    def step(self, y_prev, keys, proj, mask, state, feed):
        """One decoder step: ids B -> new state (h, or (h, c)), h̃ (B×H)."""
        state = self.decoder(torch.cat([self.tgt_embed(y_prev), feed], 1), state)
        h = state[0] if LSTM else state
        if args.attention == "general":
            e = torch.bmm(keys, self.wa(h).unsqueeze(2)).squeeze(2)  # B×Ts
        else:
            kp = self.wk(keys) if proj is None else proj
            e = self.v(torch.tanh(self.wq(h).unsqueeze(1) + kp)).squeeze(2)  # B×Ts
        a = torch.softmax(e.masked_fill(mask, float("-inf")), 1)
        c = torch.bmm(a.unsqueeze(1), keys).squeeze(1)  # B×H
        feed = torch.tanh(self.combine(torch.cat([c, h], 1)))
        return state, feed

    def loss(self, src, lens, tgt_in, tgt_out):
        """Teacher forcing: mean cross-entropy over the real target tokens."""
        keys, proj, mask, state, feed = self.encode(src, lens)
        feeds = []
        for t in range(tgt_in.shape[0]):
            state, feed = self.step(tgt_in[t], keys, proj, mask, state, feed)
            feeds.append(feed)
        logits = self.out(torch.stack(feeds).reshape(-1, H))  # (Tt·B)×V, one product
        y = tgt_out.reshape(-1)
        n = (y != PAD).sum()
        return F.cross_entropy(logits, y, ignore_index=PAD, reduction="sum") / n

    def greedy(self, src, lens, steps):
        keys, proj, mask, state, feed = self.encode(src, lens)
        y = torch.full((src.shape[1],), BOS, dtype=torch.long)
        out = []
        for _ in range(steps):  # a fixed L+1 steps, no stopping at EOS (equal work)
            state, feed = self.step(y, keys, proj, mask, state, feed)
            # log-softmax as seq2go's StepDecoder returns log-probabilities
            y = torch.log_softmax(self.out(feed), 1).argmax(1)
            out.append(y)
        return torch.stack(out)


def batch(b, gen):
    src = torch.randint(FIRST, V, (LS, b), generator=gen)
    tgt = torch.randint(FIRST, V, (L, b), generator=gen)
    lens = torch.full((b,), LS, dtype=torch.long)
    tgt_in = torch.cat([torch.full((1, b), BOS, dtype=torch.long), tgt])  # BOS y_1 … y_L
    tgt_out = torch.cat([tgt, torch.full((1, b), EOS, dtype=torch.long)])  # y_1 … y_L EOS
    return src, lens, tgt_in, tgt_out


def rate(fn, sentences, warmup=3):
    """Sentences/s of fn(), run for about --seconds after warm-up calls."""
    for _ in range(warmup):
        fn()
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= args.seconds and n >= 3:
            return n * sentences / elapsed


gen = torch.Generator().manual_seed(1)
model = Seq2Seq()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
src, lens, tgt_in, tgt_out = batch(args.batch, gen)


def train_step():
    opt.zero_grad()
    model.loss(src, lens, tgt_in, tgt_out).backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()


tag = f"threads={args.threads}"
wait = os.environ.get("OMP_WAIT_POLICY")
print(f"# torch {torch.__version__}, {args.cell} {args.attention} V={V} E={E} H={H} L={L} Ls={LS} B={args.batch}, "
      f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')} "
      f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '-')} "
      f"OMP_WAIT_POLICY={wait or '-'}, quantized engine {torch.backends.quantized.engine}"
      + (", keys recomputed every step" if args.recompute_keys else ""), flush=True)
print(f"torch train {tag} sent/s={rate(train_step, args.batch):.1f}", flush=True)
if args.train_only:
    raise SystemExit(0)

model.eval()
greedy_src = {b: batch(b, gen)[:2] for b in (1, 32)}


def greedy_rates(m, kind):
    for b, (s, ln) in greedy_src.items():
        with torch.no_grad():
            r = rate(lambda: m.greedy(s, ln, L + 1), b)
        print(f"torch greedy {kind} batch={b} {tag} sent/s={r:.1f}", flush=True)


greedy_rates(model, "fp32")

# Dynamic int8: try all three module types at once; if that fails, each on
# its own, keeping the ones that work.
from torch.ao.quantization import quantize_dynamic  # noqa: E402

qmodel, kinds = None, [nn.Linear, nn.GRU, nn.GRUCell]
try:
    qmodel = quantize_dynamic(model, set(kinds), dtype=torch.qint8)
    with torch.no_grad():
        qmodel.greedy(*greedy_src[1], 2)
except Exception as e:  # noqa: BLE001
    print(f"# int8: quantize_dynamic of {[k.__name__ for k in kinds]} failed: {e!r}")
    qmodel, ok = model, []
    for k in kinds:
        try:
            q = quantize_dynamic(qmodel, {k}, dtype=torch.qint8)
            with torch.no_grad():
                q.greedy(*greedy_src[1], 2)
            qmodel = q
            ok.append(k)
        except Exception as e:  # noqa: BLE001
            print(f"# int8: {k.__name__} not supported: {e!r}")
    if not ok:
        qmodel = None
if qmodel is None:
    for b in greedy_src:
        print(f"torch greedy int8 batch={b} {tag} sent/s=n/a")
else:
    mods = {"quantized": [], "float": []}
    for n, m in qmodel.named_children():
        mods["quantized" if "quantized" in type(m).__module__ else "float"].append(f"{n}:{type(m).__name__}")
    print(f"# int8 quantized: {' '.join(mods['quantized'])}; float: {' '.join(mods['float'])}", flush=True)
    greedy_rates(qmodel, "int8")
