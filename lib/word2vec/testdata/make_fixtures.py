"""Writes the vector-file fixtures of format_test.go the way each tool does.

    cd lib/word2vec/testdata && /usr/bin/python3 make_fixtures.py

word2vec_c.{txt,bin}: the layout of word2vec.c's final loop (no word2vec.c
package exists in Debian, so its fprintf/fwrite calls are repeated here):

    fprintf(fo, "%lld %lld\\n", vocab_size, layer1_size);
    for (a = 0; a < vocab_size; a++) {
      fprintf(fo, "%s ", vocab[a].word);
      if (binary) for (b = 0; b < layer1_size; b++) fwrite(&syn0[a * layer1_size + b], sizeof(real), 1, fo);
      else for (b = 0; b < layer1_size; b++) fprintf(fo, "%lf ", syn0[a * layer1_size + b]);
      fprintf(fo, "\\n");
    }

with "</s>" first, as word2vec.c's vocabulary always starts with it.
gensim.{txt,bin}: written by gensim itself (Debian's python3-gensim 4.2.0),
KeyedVectors.save_word2vec_format; its binary records have no final "\\n".
fasttext.vec: written by fastText itself (Debian's fasttext 0.9.2),
`fasttext skipgram -dim 3 -minCount 1 -epoch 1` on a two-line corpus; its
lines end with a space, and "</s>" is a word.
"""
import os
import struct
import subprocess
import tempfile

import numpy as np
from gensim.models import KeyedVectors

words = ["</s>", "the", "king", "queen"]
# Values exact in float32 and in "%lf"'s six decimals.
vecs = np.array([[0.0, 0.0, 0.0], [0.5, -0.25, 1.0], [0.125, 2.0, -1.5], [-0.75, 0.0625, 3.0]], dtype=np.float32)

with open("word2vec_c.txt", "w") as f:
    f.write("%d %d\n" % vecs.shape)
    for w, v in zip(words, vecs):
        f.write("%s " % w)
        for x in v:
            f.write("%f " % x)
        f.write("\n")
with open("word2vec_c.bin", "wb") as f:
    f.write(b"%d %d\n" % vecs.shape)
    for w, v in zip(words, vecs):
        f.write(w.encode() + b" " + struct.pack("<%df" % len(v), *v) + b"\n")

kv = KeyedVectors(3)
kv.add_vectors(["the", "king", "queen", "café"], vecs[[1, 2, 3, 2]] * np.float32(0.5))
kv.save_word2vec_format("gensim.txt", binary=False)
kv.save_word2vec_format("gensim.bin", binary=True)

with tempfile.TemporaryDirectory() as tmp:
    corpus = os.path.join(tmp, "c.txt")
    with open(corpus, "w") as f:
        f.write("the king and the queen\nthe queen and the king\n")
    subprocess.run(["fasttext", "skipgram", "-input", corpus, "-output", os.path.join(tmp, "m"), "-dim", "3",
                    "-minCount", "1", "-epoch", "1", "-minn", "0", "-maxn", "0", "-thread", "1", "-verbose", "0"],
                   check=True)
    os.replace(os.path.join(tmp, "m.vec"), "fasttext.vec")
