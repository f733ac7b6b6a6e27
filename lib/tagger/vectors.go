package tagger

import (
	"fmt"
	"math"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/word2vec"
	"gonum.org/v1/gonum/stat"
)

// NewWithVectors is New with word embeddings that start from pretrained
// vectors (seq2go's word2vec, or any file in word2vec's formats, read with
// word2vec.Load): the word vocabulary grows by the vector file's words that
// training never saw (normalised, as Normalize does), so that they are not
// <unk> when the tagger meets them, and every word with a vector starts
// from it. WordDim becomes the vectors' dimension. The vectors are scaled
// so that their values have the spread of the other rows' initialisation
// (a standard deviation of 0.1/√3, that of U(−0.1, 0.1)): raw word2vec
// values are ten times larger and would drown the character features at
// the start. It returns the model and the number of its words that found a
// vector.
func NewWithVectors(cfg Config, train []data.Sentence, vecs *word2vec.Vectors) (*Model, int, error) {
	if err := cfg.Validate(); err != nil {
		return nil, 0, err
	}
	words, chars, tags, err := vocabularies(train, cfg.tagsets())
	if err != nil {
		return nil, 0, err
	}
	var extra []string
	for _, w := range vecs.Words() {
		extra = append(extra, Normalize(w))
	}
	words, err = withExtraWords(words, extra)
	if err != nil {
		return nil, 0, fmt.Errorf("tagger: vectors: %w", err)
	}
	cfg.WordDim = vecs.Dim()
	m, err := build(cfg, words, chars, tags)
	if err != nil {
		return nil, 0, err
	}
	return m, m.loadVectors(vecs), nil
}

// loadVectors copies the vectors of vecs into the rows of the words that
// have one, scaled (see NewWithVectors), and returns how many did.
func (m *Model) loadVectors(vecs *word2vec.Vectors) int {
	var all []float64
	for i := 0; i < vecs.Len(); i++ {
		all = append(all, vecs.Row(i)...)
	}
	scale := 0.1 / math.Sqrt(3) / math.Max(stat.StdDev(all, nil), 1e-12)
	// A normalised word may come from several spellings in the file
	// ("The", "the"): the first, the most frequent, wins.
	done := map[int]bool{}
	for i, w := range vecs.Words() {
		id := m.Words.ID(Normalize(w))
		if id == data.UnkID || done[id] {
			continue
		}
		done[id] = true
		row := m.wordEmb.W.Value.RawRowView(id)
		for j, v := range vecs.Row(i) {
			row[j] = v * scale
		}
	}
	return len(done)
}
