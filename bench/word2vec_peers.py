"""Train word vectors with seq2go, fastText and gensim on the same corpus and
settings, and compare their speed and analogy accuracy.

    /usr/bin/python3 bench/word2vec_peers.py [--epochs N] [--threads N] [--seeds 1,2,3] ...

Needs Debian's fasttext and python3-gensim (apt-get install fasttext
python3-gensim) and Go. The corpus is the embedded gutenberg-en (ten novels,
1.5M words), lower-cased and cut into runs of letters the way seq2go's
--split letters does, one paragraph a line, written to a temporary file that
all the tools read; a line is a sentence for every tool (no paragraph is
longer than 1,000 words, so no tool cuts one). Every tool gets skip-gram
with negative sampling and the same dimension, window, negatives,
sub-sampling threshold, min-count, epochs, learning rate (decayed linearly
to alpha*1e-4) and threads. With --seeds, each tool trains once per seed,
the tools taking turns so that a change in the machine's load hits them
alike, and the table gives each seed's accuracy and the median.

gensim trains twice, its two ways of reading a corpus:
  gensim (file)   corpus_file=: one thread per worker reads its own part of
                  the file, as seq2go and word2vec.c do; gensim's fast path.
                  Its learning rate is not word2vec.c's: each worker decays
                  alpha by its own words over the whole corpus's count
                  (word2vec_corpusfile.pyx, get_next_alpha), so with W
                  workers alpha falls only 1/W of the way through each
                  epoch's share and jumps back up at the next epoch. On
                  two threads alpha averages 0.58 rather than 0.50 of its
                  start over 3 epochs, and ends at 1/6 of it rather than 0;
                  on this small corpus that scores about a point higher.
  gensim (lines)  an iterable of sentences (LineSentence): jobs of 10,000
                  words from one queue, alpha decayed by the words of all
                  workers together, as word2vec.c and seq2go do. This is
                  the same algorithm as seq2go's, and the accuracy to
                  compare with; it is slower (Python hands out the jobs).

Speed is reported two ways:
  train words/s   corpus words (in-vocabulary tokens x epochs) per second of
                  training alone, as each tool measures it: seq2go's own
                  timer, the wall time of gensim's train(), and fastText's
                  printed words/sec/thread x threads (fastText counts its
                  "</s>" line ends as words too); the median over seeds;
  total s         wall-clock time of the whole run (read the corpus, build
                  the vocabulary, train, write the vectors); the median.
Accuracy is scored on questions-words.txt by one evaluator for all tools
(seq2go vectors eval: 3CosAdd among the 30,000 most frequent words, case
folded, over the questions whose four words are known), and cross-checked
for the first seed with gensim's own evaluate_word_analogies on gensim's and
seq2go's vectors, which also checks that each tool reads the other's files.
"""

import argparse
import glob
import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = ["seq2go", "fastText", "gensim (file)", "gensim (lines)"]
SKIP = {"seq2go": "seq2go", "fasttext": "fastText", "gensim-file": "gensim (file)", "gensim-lines": "gensim (lines)"}


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


def run_seq2go(a, seed, binary, corpus, vec):
    """Returns train words/s."""
    out = subprocess.run([binary, "train", "word2vec", "--corpus", corpus, "--split", "space",
                          "--dim", str(a.dim), "--window", str(a.window), "--negative", str(a.negative),
                          "--sample", str(a.sample), "--min-count", str(a.min_count), "--epochs", str(a.epochs),
                          "--alpha", str(a.alpha), "--threads", str(a.threads), "--seed", str(seed), "--out", vec],
                         check=True, capture_output=True, text=True)
    log(out.stderr.strip().splitlines()[-1])
    kv = dict(f.split("=") for f in out.stdout.split() if "=" in f)  # final words=… words_per_sec=…
    return float(kv["words_per_sec"])


def run_fasttext(a, seed, corpus, prefix):
    out = subprocess.run(["fasttext", "skipgram", "-input", corpus, "-output", prefix, "-minn", "0", "-maxn", "0",
                          "-dim", str(a.dim), "-ws", str(a.window), "-neg", str(a.negative), "-t", str(a.sample),
                          "-minCount", str(a.min_count), "-epoch", str(a.epochs), "-lr", str(a.alpha),
                          "-thread", str(a.threads), "-seed", str(seed), "-verbose", "2"],
                         check=True, capture_output=True, text=True)
    rates = re.findall(r"words/sec/thread:\s*([0-9]+)", out.stdout + out.stderr)
    return float(rates[-1]) * a.threads if rates else float("nan")


def run_gensim(a, seed, corpus, vec, lines):
    """Returns train words/s and the model."""
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence
    m = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negative, hs=0, sg=1, sample=a.sample,
                 min_count=a.min_count, workers=a.threads, alpha=a.alpha, min_alpha=a.alpha * 1e-4, seed=seed)
    if lines:
        sentences = LineSentence(corpus)
        m.build_vocab(corpus_iterable=sentences)
        t1 = time.time()
        m.train(corpus_iterable=sentences, total_examples=m.corpus_count, epochs=a.epochs)
    else:
        m.build_vocab(corpus_file=corpus)
        t1 = time.time()
        m.train(corpus_file=corpus, total_words=m.corpus_total_words, epochs=a.epochs)
    t2 = time.time()
    m.wv.save_word2vec_format(vec, binary=True)
    in_vocab = sum(m.wv.get_vecattr(w, "count") for w in m.wv.index_to_key)
    return in_vocab * a.epochs / (t2 - t1), m


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
    ap.add_argument("--seeds", default="1", help="comma-separated seeds: every tool trains once per seed")
    ap.add_argument("--skip", default="",
                    help="comma-separated tools to leave out: seq2go,fasttext,gensim-file,gensim-lines")
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    skip = set()
    for s in filter(None, a.skip.split(",")):
        if s not in SKIP:
            ap.error(f"--skip {s}: want one of {','.join(SKIP)}")
        skip.add(SKIP[s])
    tools = [t for t in TOOLS if t not in skip]

    tmp = tempfile.mkdtemp(prefix="w2vbench")
    corpus = os.path.join(tmp, "corpus.txt")
    tokens = write_corpus(corpus)
    binary = os.path.join(tmp, "seq2go")
    subprocess.run(["go", "build", "-o", binary, "./cmd/seq2go"], cwd=ROOT, check=True)
    qw = os.path.join(tmp, "questions-words.txt")
    with open(qw, "wb") as f:
        f.write(gzip.open(os.path.join(ROOT, "lib/datasets/word2vec-analogies/questions-words.txt.gz")).read())
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith("Model name")), "?")
    print(f"machine: {model}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print(f"corpus: gutenberg-en, {tokens} words, {os.path.getsize(corpus)} bytes; skip-gram, negative sampling")
    print(f"settings: dim {a.dim}, window {a.window}, negative {a.negative}, sample {a.sample:g}, "
          f"min-count {a.min_count}, epochs {a.epochs}, alpha {a.alpha}, threads {a.threads}, seeds {a.seeds}")
    if any(t.startswith("gensim") for t in tools):
        import logging
        logging.basicConfig(level=logging.WARNING)
    # Per tool, per seed: (train words/s, total s, accuracy %, seen).
    runs = {t: [] for t in tools}
    for seed in seeds:
        for tool in tools:
            t0 = time.time()
            name = tool.replace(" ", "").replace("(", "-").replace(")", "")
            vec = os.path.join(tmp, f"{name}-{seed}.bin")
            model = None
            if tool == "seq2go":
                wps = run_seq2go(a, seed, binary, corpus, vec)
            elif tool == "fastText":
                wps = run_fasttext(a, seed, corpus, vec[:-len(".bin")])
                vec = vec[:-len(".bin")] + ".vec"
            else:
                wps, model = run_gensim(a, seed, corpus, vec, tool == "gensim (lines)")
            total = time.time() - t0
            acc, seen = seq2go_eval(binary, vec)
            runs[tool].append((wps, total, acc, seen))
            log(f"seed {seed}: {tool}: {acc:.1f}%, {wps:.0f} train words/s, {total:.1f} s")
            if seed == seeds[0] and model is not None:
                # Cross-check: gensim's own evaluator on gensim's vectors.
                score, _ = model.wv.evaluate_word_analogies(qw, restrict_vocab=30000)
                print(f"check: gensim's evaluator on {tool}'s vectors: {100 * score:.1f}% (seq2go's evaluator: {acc:.1f}%)")
        if seed == seeds[0] and "seq2go" in tools and any(t.startswith("gensim") for t in tools):
            # ... and on seq2go's file, read by gensim.
            from gensim.models import KeyedVectors
            kv = KeyedVectors.load_word2vec_format(os.path.join(tmp, f"seq2go-{seed}.bin"), binary=True)
            score, _ = kv.evaluate_word_analogies(qw, restrict_vocab=30000)
            print(f"check: gensim's evaluator on seq2go's vectors, read by gensim: {100 * score:.1f}% "
                  f"(seq2go's evaluator: {runs['seq2go'][0][2]:.1f}%)")

    med = {t: tuple(statistics.median(r[i] for r in runs[t]) for i in range(4)) for t in tools}
    print()
    print(f"{'tool':15} {'train words/s':>14} {'total s':>8} {'accuracy':>9} {'seen':>6}  accuracy per seed")
    for t in tools:
        wps, total, acc, seen = med[t]
        print(f"{t:15} {wps:14.0f} {total:8.1f} {acc:8.1f}% {seen:6.0f}  " + " ".join(f"{r[2]:.1f}" for r in runs[t]))
    if len(seeds) > 1:
        print("(medians over the seeds)")
    if "seq2go" in tools:
        s = med["seq2go"]
        for t in tools[1:]:
            print(f"seq2go vs {t}: {s[0] / med[t][0]:.2f}x train words/s, {med[t][1] / s[1]:.2f}x less total time, "
                  f"{s[2] - med[t][2]:+.1f} points accuracy")
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
