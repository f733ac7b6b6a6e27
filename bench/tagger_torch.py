"""PyTorch peer of seq2go's part-of-speech tagger (lib/tagger), for bench/tagger.sh.

The same network and training step as seq2go's default `train tagger` (tagger.DefaultConfig):
word embeddings (100) of the lower-cased, digits-as-0 form, a character BiLSTM (embeddings 32,
2×50 units, its two final states) over the distinct forms of the batch, a word BiLSTM of 2×128,
a linear layer to the 17 UPOS tags and a softmax cross-entropy per word; dropout 0.33 on the
BiLSTM's input and output, word dropout α/(α+count) with α = 0.25, Adam (lr 2e-3), global-norm
clip 5, batches of 32 sentences of similar length. Written the way one writes it in PyTorch at
its best on a CPU: packed sequences (pack_padded_sequence) for both LSTMs, so neither runs over
padding, and the character LSTM over each distinct form of the batch once.

    /usr/bin/python3 bench/tagger_torch.py TRAIN.conllu STEPS THREADS

prints the training speed in words/s over STEPS steps after 5 warm-up steps, in float32.
"""
import random
import sys
import time

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def read_conllu(path):
    sents, words, tags = [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if words:
                sents.append((words, tags))
            words, tags = [], []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        words.append(cols[1])
        tags.append(cols[3])
    if words:
        sents.append((words, tags))
    return sents


def normalize(w):
    return "".join("0" if c.isdigit() else c for c in w.lower())


class Tagger(nn.Module):
    def __init__(self, nwords, nchars, ntags, E=100, C=32, Hc=50, H=128, drop=0.33):
        super().__init__()
        self.wemb = nn.Embedding(nwords, E)
        self.cemb = nn.Embedding(nchars, C, padding_idx=0)
        self.clstm = nn.LSTM(C, Hc, bidirectional=True, batch_first=True)
        self.lstm = nn.LSTM(E + 2 * Hc, H, bidirectional=True, batch_first=True)
        self.out = nn.Linear(2 * H, ntags)
        self.drop = nn.Dropout(drop)

    def forward(self, words, chars, clens, pos, lens):
        packed = pack_padded_sequence(self.cemb(chars), clens, batch_first=True, enforce_sorted=False)
        _, (h, _) = self.clstm(packed)  # 2×U×Hc: the final state of each direction
        rep = torch.cat([h[0], h[1]], 1)  # U×2Hc
        x = self.drop(torch.cat([self.wemb(words), rep[pos]], 2))  # B×T×(E+2Hc)
        packed = pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        y, _ = self.lstm(packed)
        y, _ = pad_packed_sequence(y, batch_first=True, total_length=words.shape[1])
        return self.out(self.drop(y))  # B×T×K


def main():
    path, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    rng = random.Random(1)
    sents = read_conllu(path)
    counts = {}
    chars, tagset = {"<pad>": 0, "<unk>": 1}, {}
    for ws, ts in sents:
        for w, t in zip(ws, ts):
            n = normalize(w)
            counts[n] = counts.get(n, 0) + 1
            for c in w:
                chars.setdefault(c, len(chars))
            tagset.setdefault(t, len(tagset))
    vocab = {"<pad>": 0, "<unk>": 1}
    for w in counts:
        vocab[w] = len(vocab)
    model = Tagger(len(vocab), len(chars), len(tagset))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-1)
    alpha, B, max_chars = 0.25, 32, 20

    # Batches as lib/tagger's: shuffle, sort runs of 20 batches by length, cut, shuffle.
    order = list(range(len(sents)))
    rng.shuffle(order)
    batches = []
    for lo in range(0, len(order), 20 * B):
        run = sorted(order[lo:lo + 20 * B], key=lambda i: len(sents[i][0]))
        batches += [run[k:k + B] for k in range(0, len(run), B)]
    rng.shuffle(batches)

    def tensors(batch):
        T = max(len(sents[i][0]) for i in batch)
        words = torch.zeros(len(batch), T, dtype=torch.long)
        pos = torch.zeros(len(batch), T, dtype=torch.long)
        tags = torch.full((len(batch), T), -1, dtype=torch.long)
        forms, index = [], {}
        for b, i in enumerate(batch):
            ws, ts = sents[i]
            for t, (w, tag) in enumerate(zip(ws, ts)):
                n = normalize(w)
                wid = vocab[n]
                if rng.random() < alpha / (alpha + counts[n]):
                    wid = 1
                words[b, t] = wid
                tags[b, t] = tagset[tag]
                if w not in index:
                    index[w] = len(forms)
                    forms.append(w)
                pos[b, t] = index[w]
        cl = [min(len(f), max_chars) for f in forms]
        ch = torch.zeros(len(forms), max(cl), dtype=torch.long)
        for u, f in enumerate(forms):
            if len(f) > max_chars:
                f = f[:max_chars // 2] + f[-(max_chars - max_chars // 2):]
            ch[u, :len(f)] = torch.tensor([chars[c] for c in f])
        lens = torch.tensor([len(sents[i][0]) for i in batch])
        return words, ch, torch.tensor(cl), pos, lens, tags

    def step(batch):
        words, ch, cl, pos, lens, tags = tensors(batch)
        opt.zero_grad()
        scores = model(words, ch, cl, pos, lens)
        loss = loss_fn(scores.reshape(-1, scores.shape[-1]), tags.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        return int((tags >= 0).sum())

    model.train()
    for k in range(5):
        step(batches[k])
    start, words = time.perf_counter(), 0
    for k in range(steps):
        words += step(batches[(5 + k) % len(batches)])
    el = time.perf_counter() - start
    print(f"torch {torch.__version__} threads={threads}: {words} words in {el:.2f} s: {words / el:.0f} words/s")


if __name__ == "__main__":
    main()
