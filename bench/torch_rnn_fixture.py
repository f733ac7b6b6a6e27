#!/usr/bin/python3
"""Writes lib/nn/testdata/torch_rnn.json: PyTorch's nn.LSTM and nn.GRU on
fixed weights and inputs, in float64, with the gradients of a fixed scalar
loss with respect to the inputs, the initial states and every weight.
lib/nn's TestTorchRNN compares nn.LSTM, nn.GRU and nn.Bidirectional with
it to 1e-9, without Python.

    /usr/bin/python3 bench/torch_rnn_fixture.py      # Debian's python3-torch

Each case runs one single-layer nn.LSTM or nn.GRU (batch_first=False) over
x (T×B×D) from (h0, c0) and takes

    L = Σ r_y ⊙ y + Σ r_h ⊙ h_n (+ Σ r_c ⊙ c_n)

with fixed random r, so that every output carries its own weight. With
lengths, x goes through pack_padded_sequence (enforce_sorted=False) and y
comes back through pad_packed_sequence: the padded outputs are zeros, h_n
and c_n are each row's state after its last real step, and the padded
steps of r_y reach no gradient. With bidirectional=True, y_t is
[forward | backward] and h_n, c_n hold the forward direction, then the
backward one (read from each row's last real step back to its first).

Weights and arrays are written as PyTorch holds them (weight_ih_l0 is
4H×D for an LSTM, gates i, f, g, o; 3H×D for a GRU, gates r, z, n); the Go
test maps them onto lib/nn's layout.
"""

import json
import os
import sys

import torch

T, B, D, H = 4, 3, 3, 5
LENGTHS = [4, 2, 3]  # one full row, two padded


def tolist(t):
    return t.detach().cpu().tolist()


def case(name, cell, lengths, bidirectional, seed):
    torch.manual_seed(seed)
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    rnn = cls(D, H, num_layers=1, bidirectional=bidirectional).double()
    with torch.no_grad():  # weights of order one, so that the gates are not all saturated or linear
        for p in rnn.parameters():
            p.copy_(0.5 * torch.randn_like(p))
    dirs = 2 if bidirectional else 1
    x = torch.randn(T, B, D, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(dirs, B, H, dtype=torch.float64, requires_grad=True)
    c0 = torch.randn(dirs, B, H, dtype=torch.float64, requires_grad=True)
    r_y = torch.randn(T, B, dirs * H, dtype=torch.float64)
    r_h = torch.randn(dirs, B, H, dtype=torch.float64)
    r_c = torch.randn(dirs, B, H, dtype=torch.float64)

    state = (h0, c0) if cell == "lstm" else h0
    if lengths is None:
        y, out = rnn(x, state)
    else:
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
        py, out = rnn(packed, state)
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(py, total_length=T)
    h_n, c_n = (out if cell == "lstm" else (out, None))
    loss = (r_y * y).sum() + (r_h * h_n).sum()
    if c_n is not None:
        loss = loss + (r_c * c_n).sum()
    loss.backward()

    c = {
        "name": name, "cell": cell, "bidirectional": bidirectional, "lengths": lengths,
        "T": T, "B": B, "D": D, "H": H,
        "x": tolist(x), "h0": tolist(h0), "r_y": tolist(r_y), "r_h": tolist(r_h),
        "weights": {k: tolist(p) for k, p in rnn.named_parameters()},
        "y": tolist(y), "h_n": tolist(h_n), "loss": loss.item(),
        "grad": {k: tolist(p.grad) for k, p in rnn.named_parameters()},
    }
    c["grad"]["x"], c["grad"]["h0"] = tolist(x.grad), tolist(h0.grad)
    if cell == "lstm":
        c["c0"], c["r_c"], c["c_n"] = tolist(c0), tolist(r_c), tolist(c_n)
        c["grad"]["c0"] = tolist(c0.grad)
    return c


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib", "nn", "testdata", "torch_rnn.json")
    cases = []
    for seed, cell in enumerate(["lstm", "gru"]):
        cases.append(case(cell, cell, None, False, 10 + seed))
        cases.append(case(cell + "/padded", cell, LENGTHS, False, 20 + seed))
        cases.append(case(cell + "/bidirectional/padded", cell, LENGTHS, True, 30 + seed))
    doc = {
        "source": "bench/torch_rnn_fixture.py",
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "cases": cases,
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))  # repr of each float64: exact
        f.write("\n")
    print(f"wrote {os.path.normpath(out)}: {len(cases)} cases, torch {torch.__version__}")


if __name__ == "__main__":
    main()
