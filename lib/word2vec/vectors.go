package word2vec

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
)

// Vectors is a set of word vectors: V words, each with a d-dimensional
// float32 vector, in the order of the file or the vocabulary (most frequent
// first after training). Similarities are cosines; Vectors keeps a
// unit-length copy of every row for them, made on first use. Vectors is
// read-only once made, and safe for concurrent use.
type Vectors struct {
	words []string
	dim   int
	data  []float32 // V×d, row i is words[i]'s vector
	index map[string]int

	unitOnce sync.Once
	unit     []float32 // data with every row scaled to length 1 (zero rows stay zero)
}

// ErrUnknownWord is wrapped by the errors for words not in the vectors.
var ErrUnknownWord = errors.New("word2vec: word not in the vocabulary")

// NewVectors returns vectors for words from data, a len(words)×dim
// row-major matrix, which Vectors keeps (it does not copy). Words must be
// distinct and non-empty, without a space or a new line (the file formats
// separate words with them).
func NewVectors(words []string, dim int, data []float32) (*Vectors, error) {
	if dim < 1 {
		return nil, fmt.Errorf("word2vec: vectors of dimension %d", dim)
	}
	if len(data) != len(words)*dim {
		return nil, fmt.Errorf("word2vec: %d words × %d dimensions need %d values, got %d", len(words), dim, len(words)*dim, len(data))
	}
	index := make(map[string]int, len(words))
	for i, w := range words {
		if w == "" || strings.ContainsAny(w, " \n") {
			return nil, fmt.Errorf("word2vec: word %d %q is empty or has a space or new line", i, w)
		}
		if j, dup := index[w]; dup {
			return nil, fmt.Errorf("word2vec: word %q twice, at %d and %d", w, j, i)
		}
		index[w] = i
	}
	return &Vectors{words: words, dim: dim, data: data, index: index}, nil
}

// Len is the number of words V.
func (v *Vectors) Len() int { return len(v.words) }

// Dim is the vector size d.
func (v *Vectors) Dim() int { return v.dim }

// Words returns the words in order. The slice is shared: do not modify it.
func (v *Vectors) Words() []string { return v.words }

// Word returns word i.
func (v *Vectors) Word(i int) string { return v.words[i] }

// Index returns the row of word, or −1.
func (v *Vectors) Index(word string) int {
	if i, ok := v.index[word]; ok {
		return i
	}
	return -1
}

// Has reports whether word has a vector.
func (v *Vectors) Has(word string) bool { _, ok := v.index[word]; return ok }

// Vector returns a copy of word's vector in float64, or nil when the word
// has none.
func (v *Vectors) Vector(word string) []float64 {
	i, ok := v.index[word]
	if !ok {
		return nil
	}
	return v.Row(i)
}

// Row returns a copy of row i in float64.
func (v *Vectors) Row(i int) []float64 {
	out := make([]float64, v.dim)
	for j, x := range v.row(i) {
		out[j] = float64(x)
	}
	return out
}

func (v *Vectors) row(i int) []float32 { return v.data[i*v.dim:][:v.dim] }

// Top returns the first n words and their vectors (all of them if n ≤ 0 or
// n ≥ V), sharing the data. After training, or in a file written by any of
// word2vec.c, gensim or seq2go, these are the n most frequent words.
func (v *Vectors) Top(n int) *Vectors {
	if n <= 0 || n >= len(v.words) {
		return v
	}
	top, _ := NewVectors(v.words[:n], v.dim, v.data[:n*v.dim])
	u := v.units()[:n*v.dim]
	top.unitOnce.Do(func() { top.unit = u })
	return top
}

// units returns the unit-length rows, computing them on first use.
func (v *Vectors) units() []float32 {
	v.unitOnce.Do(v.normalize)
	return v.unit
}

func (v *Vectors) normalize() {
	u := make([]float32, len(v.data))
	for i := range v.words {
		r := v.row(i)
		var n float64 // in float64: a float32 sum of squares overflows above 1.8e19
		for _, x := range r {
			n += float64(x) * float64(x)
		}
		n = math.Sqrt(n)
		if n == 0 {
			continue
		}
		inv := float32(1 / n)
		ur := u[i*v.dim:][:v.dim]
		for j, x := range r {
			ur[j] = x * inv
		}
	}
	v.unit = u
}

// Neighbour is a word and its cosine similarity to a query.
type Neighbour struct {
	Word       string
	Similarity float64
}

func (n Neighbour) String() string { return fmt.Sprintf("%s %.4f", n.Word, n.Similarity) }

// Similarity returns the cosine of the angle between the vectors of a and b.
func (v *Vectors) Similarity(a, b string) (float64, error) {
	i, j := v.Index(a), v.Index(b)
	if i < 0 || j < 0 {
		return 0, v.unknown(a, b)
	}
	u := v.units()
	return float64(dot(u[i*v.dim:][:v.dim], u[j*v.dim:][:v.dim])), nil
}

func (v *Vectors) unknown(words ...string) error {
	var missing []string
	for _, w := range words {
		if !v.Has(w) {
			missing = append(missing, fmt.Sprintf("%q", w))
		}
	}
	return fmt.Errorf("%w: %s", ErrUnknownWord, strings.Join(missing, ", "))
}

// Nearest returns the k words most similar to word (by cosine), most
// similar first, without word itself.
func (v *Vectors) Nearest(word string, k int) ([]Neighbour, error) {
	i := v.Index(word)
	if i < 0 {
		return nil, v.unknown(word)
	}
	return v.nearest(v.units()[i*v.dim:][:v.dim], k, []int{i}), nil
}

// NearestTo returns the k words whose vectors are most similar to vec (by
// cosine), most similar first, leaving out the words in exclude.
func (v *Vectors) NearestTo(vec []float64, k int, exclude ...string) ([]Neighbour, error) {
	if len(vec) != v.dim {
		return nil, fmt.Errorf("word2vec: query of dimension %d for vectors of dimension %d", len(vec), v.dim)
	}
	q := make([]float32, v.dim)
	var n float64
	for _, x := range vec {
		n += x * x
	}
	if n > 0 {
		n = 1 / math.Sqrt(n)
	}
	for j, x := range vec {
		q[j] = float32(x * n)
	}
	var skip []int
	for _, w := range exclude {
		if i := v.Index(w); i >= 0 {
			skip = append(skip, i)
		}
	}
	return v.nearest(q, k, skip), nil
}

// Analogy answers "a is to b as c is to ?" by 3CosAdd (Mikolov et al.
// 2013c; the name is Levy & Goldberg's, 2014): the k words whose unit
// vectors have the largest cosine with
//
//	û_b − û_a + û_c      (û the unit vector)
//
// leaving out a, b and c themselves, as word2vec.c's word-analogy and
// gensim do. Analogy("man", "king", "woman", 1) is the famous one.
func (v *Vectors) Analogy(a, b, c string, k int) ([]Neighbour, error) {
	ia, ib, ic := v.Index(a), v.Index(b), v.Index(c)
	if ia < 0 || ib < 0 || ic < 0 {
		return nil, v.unknown(a, b, c)
	}
	q := v.analogyQuery(nil, ia, ib, ic)
	return v.nearest(q, k, []int{ia, ib, ic}), nil
}

// analogyQuery writes û_b − û_a + û_c, scaled to unit length so that the
// scores are cosines, into dst (allocated when nil).
func (v *Vectors) analogyQuery(dst []float32, ia, ib, ic int) []float32 {
	u, d := v.units(), v.dim
	if dst == nil {
		dst = make([]float32, d)
	}
	ua, ub, uc := u[ia*d:][:d], u[ib*d:][:d], u[ic*d:][:d]
	var n float32
	for j := range dst {
		dst[j] = ub[j] - ua[j] + uc[j]
		n += dst[j] * dst[j]
	}
	if n > 0 {
		inv := float32(1 / math.Sqrt(float64(n)))
		for j := range dst {
			dst[j] *= inv
		}
	}
	return dst
}

// nearest returns the k rows of the unit matrix with the largest dot
// product with q, skipping the rows in skip. One pass over V rows keeps
// the k best in a small sorted slice: O(V·d + V·k) with k ≪ V.
func (v *Vectors) nearest(q []float32, k int, skip []int) []Neighbour {
	if k <= 0 {
		return nil
	}
	u, d := v.units(), v.dim
	type scored struct {
		i int
		s float32
	}
	best := make([]scored, 0, k+1)
rows:
	for i := range v.words {
		s := dot(q, u[i*d:][:d])
		if len(best) == k && s <= best[k-1].s {
			continue
		}
		for _, j := range skip {
			if i == j {
				continue rows
			}
		}
		at := sort.Search(len(best), func(j int) bool { return best[j].s < s })
		if len(best) < k {
			best = append(best, scored{})
		}
		copy(best[at+1:], best[at:])
		best[at] = scored{i, s}
	}
	out := make([]Neighbour, len(best))
	for j, b := range best {
		out[j] = Neighbour{v.words[b.i], float64(b.s)}
	}
	return out
}
