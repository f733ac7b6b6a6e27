"""PyTorch char-LSTM: the peer of seq2go's `BenchmarkLSTM` and `BenchmarkCharLSTM`.

Embedding 64 → LSTM (hidden H, L layers) → Linear over the vocabulary,
cross-entropy, Adam; batch 32 × seq 100 of random character ids (speed does
not depend on the text). Prints training tokens/s.

    /usr/bin/python3 bench/charlstm_torch.py HIDDEN [LAYERS] [STEPS] [THREADS]
"""
import sys
import time

import torch

H = int(sys.argv[1])
L = int(sys.argv[2]) if len(sys.argv) > 2 else 1
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
torch.set_num_threads(threads)
torch.manual_seed(1)
V, E, B, T = 65, 64, 32, 100


class CharLSTM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(V, E)
        self.lstm = torch.nn.LSTM(E, H, L)
        self.out = torch.nn.Linear(H, V)

    def forward(self, x):
        h, _ = self.lstm(self.embed(x))
        return self.out(h)


model = CharLSTM()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
x = torch.randint(0, V, (T, B))
y = torch.randint(0, V, (T, B))


def train_step():
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()


for _ in range(3):
    train_step()
start = time.perf_counter()
for _ in range(steps):
    train_step()
elapsed = time.perf_counter() - start
print(f"torch char-LSTM H={H} L={L} threads={threads}: {steps * B * T / elapsed:.0f} tokens/s")
