package word2vec

import "math"

// KeepProbability is the probability that sub-sampling keeps one
// occurrence of a word seen count times among total corpus words, with
// threshold sample (the -sample flag, typically 1e-3 to 1e-5). It is
// word2vec.c's formula, not the paper's:
//
//	p_keep(w) = (sqrt(f(w)/(s·T)) + 1) · (s·T)/f(w)      (capped at 1)
//
// with f(w) the word's count, T the total and s the threshold. Writing
// x = f(w)/(s·T), p = (√x + 1)/x, so a word is always kept while x ≤ φ² ≈
// 2.618 (φ the golden ratio), and p ≈ 1/√x for frequent words. The paper
// (Mikolov et al. 2013b, eq. 5) discards with probability 1 − sqrt(t/f),
// that is keeps 1/√x; word2vec.c's variant keeps rather more of every
// frequent word, and is what word2vec.c and gensim run and this package
// uses. A sample of 0 or less turns sub-sampling off (p = 1).
func KeepProbability(count, total int64, sample float64) float64 {
	if sample <= 0 || count <= 0 {
		return 1
	}
	st := sample * float64(total)
	f := float64(count)
	return math.Min(1, (math.Sqrt(f/st)+1)*st/f)
}

// unigramPower is the exponent of the negative-sampling distribution: word
// w is drawn with probability count(w)^0.75 / Σ_v count(v)^0.75 (Mikolov et
// al. 2013b, section 2.2, found 3/4 best; word2vec.c and gensim use it).
const unigramPower = 0.75

// A noise distribution draws the negative samples: word i with
// probability
//
//	P(i) = count(i)^0.75 / Σ_v count(v)^0.75
//
// It is stored one of two ways. The default (Config.TableSize = 0) is
// Walker's alias table: V entries (8 bytes each, so 100 KB for a 13k-word
// vocabulary, and it stays in the L2 cache), one random number and one
// memory access per draw, and exact to 2⁻³² per word. Config.TableSize > 0
// selects word2vec.c's table instead: that many int32 slots, word i
// filling a run of about P(i)·size of them, a uniform slot per draw.
// word2vec.c uses 1e8 slots (400 MB) and fastText 1e7 (40 MB); at those
// sizes almost every draw misses the cache, and on gutenberg-en a 1e7
// table trains skip-gram 1.7× slower than the alias table for the same
// distribution.
type noise struct {
	alias aliasTable // Walker's table, or nil
	table []int32    // word2vec.c's table, or nil
}

// aliasTable is Walker's alias table: a uniform column i yields word i when
// a uniform uint32 falls below column i's keep, else the column's alias.
type aliasTable []aliasEntry

type aliasEntry struct {
	keep  uint32
	alias int32
}

// newNoise returns the noise distribution of the counts: an alias table
// when tableSize is 0, word2vec.c's table of tableSize slots otherwise.
func newNoise(counts []int64, tableSize int) *noise {
	if tableSize > 0 {
		return &noise{table: unigramTable(counts, tableSize, unigramPower)}
	}
	return &noise{alias: newAliasTable(unigramWeights(counts, unigramPower))}
}

// draw returns a word from the noise distribution.
func (n *noise) draw(r *rng) int {
	if n.alias != nil {
		return n.alias.draw(r)
	}
	return int(n.table[r.below(len(n.table))])
}

// draw returns a word: one random number picks the column (its top 32
// bits, scaled to [0, V)) and decides between the column's word and its
// alias (its low 32 bits). It is small enough to inline in the training
// loop.
func (a aliasTable) draw(r *rng) int {
	x := r.next()
	i := (x >> 32) * uint64(len(a)) >> 32
	if e := a[i]; uint32(x) >= e.keep {
		return int(e.alias)
	}
	return int(i)
}

// unigramWeights returns count(i)^power / Σ count(v)^power.
func unigramWeights(counts []int64, power float64) []float64 {
	w := make([]float64, len(counts))
	var sum float64
	for i, c := range counts {
		w[i] = math.Pow(float64(c), power)
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// newAliasTable builds Walker's alias table for the probabilities p (summing
// to 1) by Vose's method (Vose 1991, "A linear algorithm for generating
// random numbers with a given distribution"): scale each p_i by n, then
// repeatedly pair a column below 1 with one above 1, which fills the small
// column's rest. Column i then yields i with probability keep_i/2³² and
// alias_i otherwise, so
//
//	P(i) = (keep_i/2³² + Σ_{j: alias_j = i} (1 − keep_j/2³²)) / n
func newAliasTable(p []float64) aliasTable {
	n := len(p)
	t := make(aliasTable, n)
	q := make([]float64, n)
	var small, large []int
	for i, pi := range p {
		q[i] = pi * float64(n)
		if q[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t[s] = aliasEntry{keep: toUint32(q[s]), alias: int32(l)}
		q[l] -= 1 - q[s]
		if q[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left is 1 up to rounding: those columns keep their own word.
	for _, i := range append(small, large...) {
		t[i] = aliasEntry{keep: math.MaxUint32, alias: int32(i)}
	}
	return t
}

// toUint32 maps a probability in [0, 1] to a threshold in [0, 2³²−1].
func toUint32(p float64) uint32 {
	return uint32(math.Min(math.Max(p, 0)*(1<<32), math.MaxUint32))
}

// The sigmoid table of word2vec.c (EXP_TABLE_SIZE, MAX_EXP): σ is read
// from 1000 precomputed values over (−6, 6); training treats σ(x) as 0 or
// 1 beyond that. Entry i holds σ at x_i = (2i/1000 − 1)·6.
const (
	expTableSize = 1000
	maxExp       = 6
)

var expTable = func() [expTableSize + 1]float32 {
	var t [expTableSize + 1]float32
	for i := range t {
		e := math.Exp((float64(i)/expTableSize*2 - 1) * maxExp)
		t[i] = float32(e / (e + 1))
	}
	return t
}()

// sigmoid reads σ(f) from the table for −6 < f < 6 exactly as word2vec.c
// (and gensim) do, including their integer division: the scale
// EXP_TABLE_SIZE/MAX_EXP/2 is 83, not 83.33, so f maps to the entry for
// x = 0.996·(f+6) − 6, up to 0.06 below f, and σ is read up to 0.015 low.
func sigmoid(f float32) float32 {
	const scale = expTableSize / maxExp / 2 // 83 in integer arithmetic, as in C
	return expTable[int((f+maxExp)*scale)]
}

// rng is the per-goroutine generator of training: SplitMix64 (Steele, Lea
// & Flood 2014), seeded from the caller's *rand.Rand. It is a plain uint64
// so that drawing a number inlines; math/rand/v2's interface call would
// cost more than the draw in the inner loop.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// below returns a uniform integer in [0, n) by Lemire's multiply-shift.
func (r *rng) below(n int) int {
	return int((r.next() >> 32) * uint64(n) >> 32)
}

// unigramTable returns word2vec.c's negative-sampling table: size slots,
// word i filling a run of them in proportion to count(i)^power, so that a
// uniformly random slot draws word i with that probability. Word i owns
// the slots [round(size·C_i), round(size·C_{i+1})), C_i the cumulative
// share of the words before it, so its share is within 1/size of its
// probability; a word whose share rounds to nothing is given one slot
// (size is raised to V if smaller). word2vec.c's own loop assigns the
// slots the same way up to an off-by-one at each boundary.
func unigramTable(counts []int64, size int, power float64) []int32 {
	if size < len(counts) {
		size = len(counts)
	}
	p := unigramWeights(counts, power)
	table := make([]int32, size)
	var cum float64
	start := 0
	for i := range counts {
		cum += p[i]
		end := int(math.Round(cum * float64(size)))
		if end <= start {
			end = start + 1 // a rare word keeps a slot
		}
		if rest := len(counts) - 1 - i; end > size-rest {
			end = size - rest // ... and so does every word after it
		}
		if i == len(counts)-1 {
			end = size
		}
		for j := start; j < end; j++ {
			table[j] = int32(i)
		}
		start = end
	}
	return table
}
