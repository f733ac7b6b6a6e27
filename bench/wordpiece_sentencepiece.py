#!/usr/bin/python3
"""seq2go's wordpiece tokenizer against sentencepiece, on the same corpus and vocabulary size.

Run from anywhere, with Debian's Python and sentencepiece:

    apt-get install -y python3-sentencepiece
    /usr/bin/python3 bench/wordpiece_sentencepiece.py [--corpus FILE] [--size 8000] [--repeat 5]

It builds cmd/seq2go, then for each tool trains a vocabulary of --size pieces on the corpus
(default: the embedded tinyshakespeare, 1,115,394 bytes) and encodes every line of the corpus to
ids, in memory, on one thread:

  seq2go       `seq2go wordpiece train --size N` (BPE, GNMT markers), then
               `seq2go wordpiece tokenize --ids --stats`, which times the encoding of all lines
               after reading them (no I/O in the timing)
  sentencepiece SentencePieceTrainer with model_type bpe and unigram (the default),
               character_coverage 1.0, then SentencePieceProcessor.encode(lines, out_type=int,
               num_threads=1), timed around that one call

Encoding speed is the best of --repeat runs, the tools taking turns, in MB/s of input text. Both vocabularies have the
same size (sentencepiece's <unk> <s> </s> included, as seq2go's are). sentencepiece also applies
its default NFKC normalisation while encoding; seq2go's GNMT tokenizer does not normalise.
"""

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import sentencepiece as spm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, stdin=None):
    """Runs cmd, returning its stderr; stdout is discarded."""
    f = open(stdin, "rb") if stdin else subprocess.DEVNULL
    try:
        p = subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, check=False)
    finally:
        if stdin:
            f.close()
    if p.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(cmd), p.stderr.decode()))
    return p.stderr.decode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="UTF-8 text file (default: the embedded tinyshakespeare)")
    ap.add_argument("--size", type=int, default=8000, help="vocabulary size (default 8000)")
    ap.add_argument("--repeat", type=int, default=5, help="encoding runs per tool; the best counts (default 5)")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="wordpiece-bench-")
    try:
        bench(args, tmp)
    finally:
        shutil.rmtree(tmp)


def bench(args, tmp):
    corpus = args.corpus
    if corpus is None:
        corpus = os.path.join(tmp, "tinyshakespeare.txt")
        with gzip.open(os.path.join(ROOT, "lib/datasets/tinyshakespeare/input.txt.gz")) as src, open(corpus, "wb") as dst:
            dst.write(src.read())
    with open(corpus, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    nbytes = len(text.encode("utf-8"))
    print("corpus: %s, %d bytes, %d lines; vocabulary size %d; %d encoding runs each, best kept"
          % (corpus, nbytes, len(lines), args.size, args.repeat))
    print("machine: %d CPUs, load average %.2f %.2f %.2f" % ((os.cpu_count(),) + os.getloadavg()))

    seq2go = os.path.join(tmp, "seq2go")
    run(["go", "build", "-o", seq2go, "./cmd/seq2go"])

    # Train each tool's vocabulary.
    vocab = os.path.join(tmp, "vocab.txt")
    t0 = time.perf_counter()
    run([seq2go, "wordpiece", "train", "--corpus", corpus, "--size", str(args.size), "--out", vocab])
    train_s = {"seq2go": time.perf_counter() - t0}
    sp = {}
    for model_type in ["bpe", "unigram"]:
        prefix = os.path.join(tmp, "spm_" + model_type)
        t0 = time.perf_counter()
        spm.SentencePieceTrainer.train(input=corpus, model_prefix=prefix, vocab_size=args.size,
                                       model_type=model_type, character_coverage=1.0,
                                       minloglevel=2)
        train_s[model_type] = time.perf_counter() - t0
        sp[model_type] = spm.SentencePieceProcessor(model_file=prefix + ".model")

    # Encode, the tools taking turns so that each sees the same load.
    best = {"seq2go": 0.0, "bpe": 0.0, "unigram": 0.0}
    pieces = {}
    for _ in range(args.repeat):
        log = run([seq2go, "wordpiece", "tokenize", "--vocab", vocab, "--ids", "--stats"], stdin=corpus)
        m = re.search(r"→ (\d+) pieces .* ([\d.]+) MB/s", log)
        if not m:
            sys.exit("no statistics in: " + log)
        pieces["seq2go"], best["seq2go"] = int(m.group(1)), max(best["seq2go"], float(m.group(2)))
        for model_type in ["bpe", "unigram"]:
            t0 = time.perf_counter()
            ids = sp[model_type].encode(lines, out_type=int, num_threads=1)
            best[model_type] = max(best[model_type], nbytes / 1e6 / (time.perf_counter() - t0))
            pieces[model_type] = sum(len(x) for x in ids)

    results = [("seq2go wordpiece (bpe, greedy longest match)", "seq2go")]
    results += [("sentencepiece %s %s" % (spm.__version__, t), t) for t in ["bpe", "unigram"]]
    results = [(name, train_s[k], best[k], pieces[k]) for name, k in results]

    print()
    print("%-46s %10s %12s %10s %14s" % ("tool", "train s", "encode MB/s", "pieces", "seq2go/this"))
    for name, train_s, mbs, pieces in results:
        print("%-46s %10.2f %12.2f %10d %13.2fx" % (name, train_s, mbs, pieces, results[0][2] / mbs))
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())
    print("\ntrain s is wall-clock time of the whole training (for seq2go: a process that reads the file,"
          " trains and writes the vocabulary).")


if __name__ == "__main__":
    main()
