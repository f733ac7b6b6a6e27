"""PyTorch end-to-end memory network on bAbI: the peer of seq2go's lib/memnet
and `seq2go train babi --all` (bench/memnet.sh runs the two).

The same model and training as the Go side (Sukhbaatar et al. 2015, "PE LS RN"):

    m_i = Σ_j l_j ⊙ A[x_ij] + T_A[age_i]    c_i = Σ_j l_j ⊙ C[x_ij] + T_C[age_i]
    l_kj = (1 − j/J) − (k/d)(1 − 2j/J)        position encoding, J words in the sentence
    u¹ = Σ_j l_j ⊙ B[q_j]
    p = softmax_i(uᵏ·m_i)  (linear start: p_i = uᵏ·m_i),  oᵏ = Σ_i p_i c_i,  uᵏ⁺¹ = uᵏ + oᵏ
    over the 50 slots of the memory: a story fills the first, the others are zero
    â = softmax(u^{K+1}·Wᵀ)

with adjacent tying (K+1 embeddings E_0 … E_K: B = A¹ = E_0, Cᵏ = Aᵏ⁺¹ = E_k, W = E_K;
K+1 temporal encodings alike), d = 20, K = 3, at most the 50 latest sentences, 10 %
random noise (n memories take n of n + z ages, z ≤ ⌈0.1 n⌉), weights from
N(0, 0.1²), the words of lib/memnet (lower-cased, without punctuation; a list answer
"apple,milk" is one word). Padding
is id 0 (<pad>), whose embedding rows stay zero (padding_idx), the paper's null
symbol. Training per task: the last 10 % of the train file held out; batches of 32
drawn by a shuffle each epoch; summed (not averaged) cross-entropy; SGD; gradients
clipped to global norm 40; 120 epochs: linear start at lr 0.005 until the validation
loss stops falling (at most 20 epochs), then lr 0.01 halved every 25 for the rest.

Reads the embedded train files (lib/datasets/babi-en-v1.2/*.gz) and prints, per
task, the epochs, questions trained on, training time (the steps only, no
validation) and validation error, then the totals:

    torch task=2 epochs=104 questions=93600 train_s=41.2 val_err=0.140
    torch total tasks=20 questions=1860000 train_s=812.3 wall_s=850.1 questions/s=2290

    /usr/bin/python3 bench/memnet_torch.py [--tasks 1,2,...] [--epochs 100] [--ls-epochs 20]
        [--threads N] [--seed 1]

OMP_NUM_THREADS and OPENBLAS_NUM_THREADS default to --threads.
"""
import argparse
import gzip
import glob
import math
import os
import re
import time

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--tasks", default=",".join(str(t) for t in range(1, 21)))
p.add_argument("--epochs", type=int, default=100)
p.add_argument("--ls-epochs", type=int, default=20)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--dim", type=int, default=20)
p.add_argument("--hops", type=int, default=3)
args = p.parse_args()
os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
torch.manual_seed(args.seed)
rng = np.random.default_rng(args.seed)
MEMORY, NOISE, BATCH, CLIP = 50, 0.1, 32, 40.0
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib", "datasets", "babi-en-v1.2")


def words(s):
    """lib/memnet.Words: lower-case, runs of letters and digits (punctuation dropped)."""
    return re.findall(r"\w+", s.lower())


def read(path):
    """Questions as (story sentences before it, question, answer word)."""
    out, story, stmt = [], [], {}
    for line in gzip.open(path, "rt"):
        num, text = line.rstrip("\n").split(" ", 1)
        if num == "1":
            story = []
        if "\t" in text:
            q, a, _ = text.split("\t")
            out.append((list(story), words(q), a.strip().lower()))
        else:
            story.append(words(text))
    return out


def vocab(qs):
    """Every word of the stories, questions and answers; ids from 4 (0 is padding)."""
    ws = {a for _, _, a in qs} | {w for _, q, _ in qs for w in q} | {w for st, _, _ in qs for s in st for w in s}
    return {w: i + 4 for i, w in enumerate(sorted(ws))}


def tensors(qs, v):
    """Padded tensors: stories N×50×J, their PE weights N×50×J×d, memory counts,
    questions N×J and their PE weights, answers."""
    n = len(qs)
    J = max([len(s) for st, _, _ in qs for s in st[-MEMORY:]] + [len(q) for _, q, _ in qs])
    story = np.zeros((n, MEMORY, J), dtype=np.int64)
    lens = np.zeros(n, dtype=np.int64)
    query = np.zeros((n, J), dtype=np.int64)
    ans = np.zeros(n, dtype=np.int64)
    for i, (st, q, a) in enumerate(qs):
        st = st[-MEMORY:]
        lens[i] = len(st)
        for m, s in enumerate(st):
            story[i, m, : len(s)] = [v.get(w, 0) for w in s]
        query[i, : len(q)] = [v.get(w, 0) for w in q]
        ans[i] = v.get(a, 0)
    story, query = torch.from_numpy(story), torch.from_numpy(query)
    return story, pe_weights(story, args.dim), torch.from_numpy(lens), query, pe_weights(query, args.dim), torch.from_numpy(ans)


def pe_weights(ids, d):
    """l_kj for each word of ids (…×J): zero past a sentence's J words."""
    J = (ids > 0).sum(-1, keepdim=True).clamp(min=1).unsqueeze(-1).float()  # …×1×1
    j = torch.arange(1, ids.shape[-1] + 1, dtype=torch.float32).view(*([1] * (ids.dim() - 1)), -1, 1)
    k = torch.arange(1, d + 1, dtype=torch.float32)
    l = (1 - j / J) - (k / d) * (1 - 2 * j / J)
    return l * (ids > 0).unsqueeze(-1).float()


class MemN2N(nn.Module):
    def __init__(self, V, d, K):
        super().__init__()
        self.d, self.K = d, K
        self.E = nn.ModuleList(nn.Embedding(V, d, padding_idx=0) for _ in range(K + 1))
        self.T = nn.ModuleList(nn.Embedding(MEMORY, d) for _ in range(K + 1))
        for e in list(self.E) + list(self.T):
            nn.init.normal_(e.weight, 0, 0.1)
        for e in self.E:
            with torch.no_grad():
                e.weight[0].zero_()
        self.linear = False

    def forward(self, story, ls, ages, mask, query, lq):
        u = (self.E[0](query) * lq).sum(-2)  # B×d
        m = mask.unsqueeze(-1)
        mems = [(self.E[k](story) * ls).sum(-2) + self.T[k](ages) * m for k in range(self.K + 1)]  # B×50×d
        for k in range(self.K):
            s = torch.bmm(mems[k], u.unsqueeze(-1)).squeeze(-1)  # B×50: 0 for an empty slot
            p = s if self.linear else torch.softmax(s, -1)
            u = u + torch.bmm(p.unsqueeze(1), mems[k + 1]).squeeze(1)
        return u @ self.E[self.K].weight.t()


def ages_for(lens, train):
    """Ages of the memories (0 the latest), with random noise in training, and the
    mask of the filled slots: B×50."""
    n = len(lens)
    ages = np.zeros((n, MEMORY), dtype=np.int64)
    mask = np.zeros((n, MEMORY), dtype=np.float32)
    for i, k in enumerate(lens):
        k = int(k)
        if k == 0:
            continue
        if train:
            z = rng.integers(0, math.ceil(NOISE * k) + 1)
            a = np.sort(rng.permutation(k + z)[:k])[::-1]
        else:
            a = np.arange(k - 1, -1, -1)
        ages[i, :k] = np.minimum(a, MEMORY - 1)
        mask[i, :k] = 1
    return torch.from_numpy(ages), torch.from_numpy(mask)


def batch(data, idx, train):
    """The batch of rows idx."""
    story, ls, lens, query, lq, ans = data
    ages, mask = ages_for(lens[idx].numpy(), train)
    return (story[idx], ls[idx], ages, mask, query[idx], lq[idx]), ans[idx]


def evaluate(model, data):
    with torch.no_grad():
        a, ans = batch(data, torch.arange(len(data[-1])), False)
        logits = model(*a)
        loss = nn.functional.cross_entropy(logits, ans, reduction="sum").item() / len(ans)
        err = (logits.argmax(-1) != ans).float().mean().item()
    return loss, err


def train_task(task):
    path = glob.glob(os.path.join(DATA, "qa%d_*_train.txt.gz" % task))[0]
    qs = read(path)
    v = vocab(qs)
    k = int(len(qs) * 0.9)
    tr, va = tensors(qs[:k], v), tensors(qs[k:], v)
    model = MemN2N(len(v) + 4, args.dim, args.hops)
    opt = torch.optim.SGD(model.parameters(), lr=0.005)
    n, questions, train_s, epochs, ls_end = k, 0, 0.0, 0, 0

    def epoch():
        nonlocal questions, train_s, epochs
        t0 = time.perf_counter()
        perm = torch.from_numpy(rng.permutation(n))
        for b in range(n // BATCH):
            a, ans = batch(tr, perm[b * BATCH : (b + 1) * BATCH], True)
            loss = nn.functional.cross_entropy(model(*a), ans, reduction="sum")
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), CLIP)
            opt.step()
            questions += BATCH
        train_s += time.perf_counter() - t0
        epochs += 1

    # A run is ls_epochs + epochs epochs, as lib/memnet's Trainer: linear start until the
    # validation loss at an epoch's start is no lower than at the one before (at most
    # ls_epochs), then the softmax, lr 0.01 halved every 25 epochs, for the rest.
    model.linear, last = args.ls_epochs > 0, math.inf
    for e in range(args.ls_epochs + args.epochs):
        if model.linear and e > 0:
            loss, _ = evaluate(model, va)
            if loss >= last or e >= args.ls_epochs:
                model.linear, ls_end = False, e
            last = loss
        if model.linear:
            lr = 0.005
        else:
            lr = 0.01 * 0.5 ** ((e - ls_end + 1) // 25)
        for g in opt.param_groups:
            g["lr"] = lr
        epoch()
    _, err = evaluate(model, va)
    print("torch task=%d epochs=%d questions=%d train_s=%.1f val_err=%.3f" % (task, epochs, questions, train_s, err), flush=True)
    return questions, train_s


start = time.perf_counter()
tasks = [int(t) for t in args.tasks.split(",")]
q_all, s_all = 0, 0.0
for t in tasks:
    q, s = train_task(t)
    q_all, s_all = q_all + q, s_all + s
wall = time.perf_counter() - start
print("torch total tasks=%d questions=%d train_s=%.1f wall_s=%.1f questions/s=%.0f threads=%s"
      % (len(tasks), q_all, s_all, wall, q_all / s_all, os.environ["OMP_NUM_THREADS"]))
