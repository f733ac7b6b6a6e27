"""Train word vectors with seq2go, fastText and gensim on the same corpus and
settings, and compare their speed and analogy accuracy.

    /usr/bin/python3 bench/word2vec_peers.py [--epochs N] [--threads N] [--dim N]

Needs Debian's fasttext and python3-gensim (apt-get install fasttext
python3-gensim) and Go. The corpus is the embedded gutenberg-en (ten novels,
1.5M words), lower-cased and cut into runs of letters the way seq2go's
--split letters does, one paragraph a line, written to a temporary file that
all three tools read. Every tool gets skip-gram with negative sampling and
the same dimension, window, negatives, sub-sampling threshold, min-count,
epochs, learning rate (decayed to alpha*1e-4) and threads.

Speed is reported two ways:
  train words/s   corpus words (in-vocabulary tokens x epochs) per second of
                  training alone, as each tool measures it: seq2go's own
                  timer, the wall time of gensim's train(), and fastText's
                  printed words/sec/thread x threads (fastText counts its
                  "</s>" line ends as words too);
  total s         wall-clock time of the whole run (read the corpus, build
                  the vocabulary, train, write the vectors).
Accuracy is scored on questions-words.txt by one evaluator for all three
(seq2go vectors eval: 3CosAdd among the 30,000 most frequent words, case
folded, over the questions whose four words are known), and cross-checked
with gensim's own evaluate_word_analogies on gensim's and seq2go's vectors,
which also checks that each tool reads the other's files.
"""

import argparse
import glob
import gzip
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def write_corpus(path):
    """Paragraphs of the ten novels, one a line, as lower-case letter runs."""
    word = re.compile(r"[^\W\d_]+")
    tokens = 0
    with open(path, "w", encoding="utf-8") as out:
        for f in sorted(glob.glob(os.path.join(ROOT, "lib/datasets/gutenberg-en/*.txt.gz"))):
            text = gzip.open(f, "rt", encoding="utf-8").read()
            for para in re.split(r"\n[ \t\r\f\v]*\n", text):
                words = word.findall(para.lower())
                if words:
                    out.write(" ".join(words) + "\n")
                    tokens += len(words)
    return tokens


def seq2go_eval(binary, vectors):
    out = subprocess.run([binary, "vectors", "eval", "--vectors", vectors],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "total":
            return float(f[1].rstrip("%")), int(f[2])
    raise RuntimeError("no total line in:\n" + out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-3)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--alpha", type=float, default=0.025)
    ap.add_argument("--skip", default="", help="comma-separated tools to leave out: seq2go,fasttext,gensim")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))

    tmp = tempfile.mkdtemp(prefix="w2vbench")
    corpus = os.path.join(tmp, "corpus.txt")
    tokens = write_corpus(corpus)
    binary = os.path.join(tmp, "seq2go")
    subprocess.run(["go", "build", "-o", binary, "./cmd/seq2go"], cwd=ROOT, check=True)
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith("Model name")), "?")
    print(f"machine: {model}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print(f"corpus: gutenberg-en, {tokens} words, {os.path.getsize(corpus)} bytes; skip-gram, negative sampling")
    print(f"settings: dim {a.dim}, window {a.window}, negative {a.negative}, sample {a.sample:g}, "
          f"min-count {a.min_count}, epochs {a.epochs}, alpha {a.alpha}, threads {a.threads}")
    results = []  # (tool, train words/s, total s, accuracy %, seen)

    if "seq2go" not in skip:
        vec = os.path.join(tmp, "seq2go.bin")
        t0 = time.time()
        out = subprocess.run([binary, "train", "word2vec", "--corpus", corpus, "--split", "space",
                              "--dim", str(a.dim), "--window", str(a.window), "--negative", str(a.negative),
                              "--sample", str(a.sample), "--min-count", str(a.min_count), "--epochs", str(a.epochs),
                              "--alpha", str(a.alpha), "--threads", str(a.threads), "--out", vec],
                             check=True, capture_output=True, text=True)
        total = time.time() - t0
        log(out.stderr.strip().splitlines()[-1])
        kv = dict(f.split("=") for f in out.stdout.split() if "=" in f)  # final words=… words_per_sec=…
        acc, seen = seq2go_eval(binary, vec)
        results.append(("seq2go", float(kv["words_per_sec"]), total, acc, seen))

    if "fasttext" not in skip:
        prefix = os.path.join(tmp, "fasttext")
        t0 = time.time()
        out = subprocess.run(["fasttext", "skipgram", "-input", corpus, "-output", prefix, "-minn", "0", "-maxn", "0",
                              "-dim", str(a.dim), "-ws", str(a.window), "-neg", str(a.negative), "-t", str(a.sample),
                              "-minCount", str(a.min_count), "-epoch", str(a.epochs), "-lr", str(a.alpha),
                              "-thread", str(a.threads), "-verbose", "2"],
                             check=True, capture_output=True, text=True)
        total = time.time() - t0
        rates = re.findall(r"words/sec/thread:\s*([0-9]+)", out.stdout + out.stderr)
        wps = float(rates[-1]) * a.threads if rates else float("nan")
        acc, seen = seq2go_eval(binary, prefix + ".vec")
        results.append(("fastText", wps, total, acc, seen))

    if "gensim" not in skip:
        import logging
        logging.basicConfig(level=logging.WARNING)
        from gensim.models import KeyedVectors, Word2Vec
        from gensim.models.word2vec import LineSentence
        t0 = time.time()
        m = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negative, hs=0, sg=1, sample=a.sample,
                     min_count=a.min_count, workers=a.threads, alpha=a.alpha, min_alpha=a.alpha * 1e-4, seed=1)
        m.build_vocab(corpus_file=corpus)
        t1 = time.time()
        m.train(corpus_file=corpus, total_words=m.corpus_total_words, epochs=a.epochs)
        t2 = time.time()
        vec = os.path.join(tmp, "gensim.bin")
        m.wv.save_word2vec_format(vec, binary=True)
        total = time.time() - t0
        in_vocab = sum(m.wv.get_vecattr(w, "count") for w in m.wv.index_to_key)
        acc, seen = seq2go_eval(binary, vec)
        results.append(("gensim", in_vocab * a.epochs / (t2 - t1), total, acc, seen))

        # Cross-checks: gensim's own evaluator on gensim's vectors and on
        # seq2go's file, read by gensim.
        qw = os.path.join(tmp, "questions-words.txt")
        with open(qw, "wb") as f:
            f.write(gzip.open(os.path.join(ROOT, "lib/datasets/word2vec-analogies/questions-words.txt.gz")).read())
        score, _ = m.wv.evaluate_word_analogies(qw, restrict_vocab=30000)
        print(f"check: gensim's evaluator on gensim's vectors: {100 * score:.1f}% (seq2go's evaluator: {acc:.1f}%)")
        if "seq2go" not in skip:
            kv = KeyedVectors.load_word2vec_format(os.path.join(tmp, "seq2go.bin"), binary=True)
            score, _ = kv.evaluate_word_analogies(qw, restrict_vocab=30000)
            print(f"check: gensim's evaluator on seq2go's vectors, read by gensim: {100 * score:.1f}% "
                  f"(seq2go's evaluator: {results[0][3]:.1f}%)")

    print()
    print(f"{'tool':10} {'train words/s':>14} {'total s':>8} {'accuracy':>9} {'seen':>6}")
    for tool, wps, total, acc, seen in results:
        print(f"{tool:10} {wps:14.0f} {total:8.1f} {acc:8.1f}% {seen:6d}")
    if results and results[0][0] == "seq2go":
        for tool, wps, total, acc, _ in results[1:]:
            print(f"seq2go vs {tool}: {results[0][1] / wps:.2f}x train words/s, {total / results[0][2]:.2f}x less total time, "
                  f"{results[0][3] - acc:+.1f} points accuracy")
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
