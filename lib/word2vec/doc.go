/*
Package word2vec learns word vectors from raw text with the skip-gram and
CBOW models of Mikolov et al. (2013a, 2013b), as their word2vec.c does, and
puts them to use: nearest neighbours, analogies, the analogy test of
questions-words.txt, and a 2-D picture.

	c, _ := word2vec.NewDatasetCorpus("gutenberg-en")        // ten novels, 1.5M words, embedded
	cfg := word2vec.DefaultConfig()                          // skip-gram, d=100, window 5, 5 negatives
	vecs, err := word2vec.Train(rand.New(rand.NewPCG(1, 1)), c, cfg)
	...
	vecs.Nearest("whale", 5)                                 // sperm, leviathan, whales, harpoon, ...
	vecs.Analogy("man", "king", "woman", 1)                  // queen
	rep, _ := vecs.EvaluateQuestionsWords(word2vec.DefaultRestrict)
	vecs.Save("vectors.bin")                                 // readable by word2vec.c and gensim

# The model

Every word w has two d-dimensional vectors: an input vector v_w (the word
vector, kept at the end) and an output vector v'_w. Skip-gram with negative
sampling (SGNS) reads the text one centre word w at a time; for each word c
within its window it raises the probability that (w, c) is a real pair and
lowers it for k noise words n_1..n_k drawn from the unigram distribution
raised to the 3/4 power. Over the corpus it maximises

	Σ_(w,c) [ log σ(v'_c·v_w) + Σ_{i=1..k} log σ(−v'_{n_i}·v_w) ],   n_i ~ P_n
	P_n(u) = count(u)^0.75 / Σ_v count(v)^0.75
	σ(x)   = 1/(1 + e^−x)

by stochastic gradient ascent. For one target u with label ℓ (1 for c, 0
for a noise word) the gradients are

	∂/∂v_w  = (ℓ − σ(v'_u·v_w)) · v'_u
	∂/∂v'_u = (ℓ − σ(v'_u·v_w)) · v_w

so a step is two dot products' worth of work per target: with d = 100,
5 negatives and a window of 5, about 6 × 6 × 300 = 10⁴ multiply–adds per
word. Words that share contexts are pushed towards the same output vectors
and so end up with similar input vectors (Goldberg & Levy 2014 derive the
objective; Levy & Goldberg 2014 show it factorises a shifted PMI matrix).

CBOW predicts the centre word from h, the mean of the input vectors of its
context, instead: the same objective with h in place of v_w, and the
gradient for h added to each context vector. Hierarchical softmax replaces
the k noise words by the inner nodes n on the path to w in a Huffman tree
of the counts, each a binary decision with branch b_n:

	Σ_n log σ((1 − 2·b_n) · v'_n·v_w)

which costs about log₂(V) dot products per pair, fewer for frequent words.

# As in word2vec.c

The details follow word2vec.c rather than the papers, so that its settings
mean the same here (and in gensim and fastText, which follow it too):

  - The window is shrunk at random for each centre word: b is uniform in
    [0, Window) and the context is the Window−b words on each side.
  - Frequent words are sub-sampled, each occurrence kept with probability
    (sqrt(f/(s·T)) + 1)·(s·T)/f for a word seen f times in T ([KeepProbability];
    not the paper's 1 − sqrt(t/f)). Dropped words are removed before the
    windows are taken, which widens the windows in effect.
  - The learning rate falls linearly from Alpha to Alpha·1e-4 with the words
    trained on by all goroutines together (0.025 for skip-gram, 0.05 for
    CBOW, by default), as in gensim's training on an iterable of
    sentences. gensim's corpus_file training differs: each worker decays α
    by its own words against the whole corpus's count, so with W workers α
    falls only 1/W of each epoch's share and jumps back at the next epoch.
    That trains at a higher rate in effect and, on a small corpus, scores
    higher; bench/word2vec_peers.py measures both.
  - σ comes from a table of 1000 values over (−6, 6).
  - Skip-gram updates the context word's input vector to predict the centre
    word, which is the same sum of terms as the paper's order.
  - Input vectors start uniform in [−0.5/d, 0.5/d), output vectors at zero.
  - The Huffman tree is word2vec.c's; the vocabulary is sorted by count.

Negative samples come from an exact alias table by default (V entries),
or from word2vec.c's table of [Config.TableSize] slots; see sampling.go.

# Speed

Training is lock-free and parallel (Hogwild, Recht et al. 2011), as in
word2vec.c: each of Threads goroutines streams its own contiguous part of
the corpus from disk and updates the shared vectors without locks, so a
word's vectors may be updated by two goroutines at once and one update can
be lost. Memory is the vectors (2·V·d float32s) plus O(V) for the
vocabulary; the corpus is never held in memory. The inner loops — a dot
product and two fused multiply–adds over rows of d float32s — run in AVX2
assembly on amd64 (vec_amd64.s), with Go loops as the reference and the
fallback. A step allocates nothing.

# Conventions

Vectors are float32, V×d, row i the vector of word i, stored row-major:
word2vec.c, fastText and gensim all train in float, SGD's updates are far
coarser than float32's precision, and half the bytes per row means twice
the rows in cache and twice the lanes per SIMD instruction. Methods that
hand vectors to callers convert to float64 ([Vectors.Vector]), the type of
the rest of seq2go. Similarities are cosines. Words are byte strings
without spaces or new lines. Training with one thread and a given seed is
reproducible; with more threads it is not, since the goroutines race.

Errors about the world — a missing or malformed file, an empty corpus, a
corpus where no word reaches MinCount, a word that is not in the
vocabulary — are returned, wrap one of the Err values and name the file
and line (or record) involved. [Config.Validate] reports unusable settings.

# Files

Vectors are read and written in word2vec's two formats, so they move
between seq2go, word2vec.c (-binary 0/1), gensim
(KeyedVectors.load_word2vec_format / save_word2vec_format) and fastText
(.vec) in either direction:

	text:    "V d\n", then V lines "word x1 x2 … xd\n"
	binary:  "V d\n", then V records "word " + d float32 little-endian + "\n"

[ReadVectors] tells the two apart by content.

# References

	T. Mikolov, K. Chen, G. Corrado and J. Dean (2013a), "Efficient estimation
	of word representations in vector space", ICLR workshop, arXiv:1301.3781.
	T. Mikolov, I. Sutskever, K. Chen, G. Corrado and J. Dean (2013b),
	"Distributed representations of words and phrases and their
	compositionality", NIPS 26, arXiv:1310.4546.
	T. Mikolov, W. Yih and G. Zweig (2013c), "Linguistic regularities in
	continuous space word representations", NAACL-HLT.
	word2vec.c: https://code.google.com/archive/p/word2vec/ (and GitHub
	tmikolov/word2vec), the reference implementation this package follows.
	Y. Goldberg and O. Levy (2014), "word2vec explained: deriving Mikolov et
	al.'s negative-sampling word-embedding method", arXiv:1402.3722.
	O. Levy and Y. Goldberg (2014), "Neural word embedding as implicit matrix
	factorization", NIPS 27; and "Linguistic regularities in sparse and
	explicit word representations", CoNLL (3CosAdd and 3CosMul).
	B. Recht, C. Re, S. Wright and F. Niu (2011), "Hogwild!: a lock-free
	approach to parallelizing stochastic gradient descent", NIPS 24.
	M. D. Vose (1991), "A linear algorithm for generating random numbers with
	a given distribution", IEEE Trans. Software Engineering 17(9).
*/
package word2vec

// BUG(seq2go): With Threads > 1 training is not reproducible: the
// goroutines race on the shared vectors by design (see trainSentence).
