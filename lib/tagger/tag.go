package tagger

import (
	"sort"
	"unicode"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Tagger tags sentences with a trained model's weights as they were when
// it was made: it computes the character representation of every training
// form once, so that only unseen forms go through the character network
// while tagging. Train on, and make a new Tagger. A Tagger is not safe for
// concurrent use: make one per goroutine (they share the model's weights).
type Tagger struct {
	m     *Model // a replica: its own caches
	Batch int    // sentences tagged together (default 64)
}

// charCache holds the character representations of known forms.
type charCache struct {
	index map[string]int
	rep   *mat.Dense // one row per form
}

// NewTagger returns a tagger with m's current weights.
func NewTagger(m *Model) *Tagger {
	r := m.Replica()
	if m.Config.charOut() > 0 {
		r.charRep = buildCharCache(r)
	}
	return &Tagger{m: r, Batch: 64}
}

// Model returns the model the tagger reads (sharing its weights).
func (t *Tagger) Model() *Model { return t.m }

// buildCharCache runs the character network over every training form
// (every form whose normalised word has a count), a batch at a time.
func buildCharCache(m *Model) *charCache {
	var forms []string
	seen := map[string]bool{}
	for _, w := range m.trainForms() {
		if !seen[w] {
			seen[w] = true
			forms = append(forms, w)
		}
	}
	sort.Strings(forms)
	c := &charCache{index: make(map[string]int, len(forms)), rep: mat.NewDense(max(1, len(forms)), m.Config.charOut(), nil)}
	const chunk = 512
	var buf *mat.Dense
	for lo := 0; lo < len(forms); lo += chunk {
		hi := min(lo+chunk, len(forms))
		buf = m.charNet(forms[lo:hi], buf)
		for k := lo; k < hi; k++ {
			c.index[forms[k]] = k
			copy(c.rep.RawRowView(k), buf.RawRowView(k-lo))
		}
	}
	return c
}

// trainForms returns the forms the character cache holds: the training
// forms as the vocabulary keeps them (normalised) plus their capitalised
// spelling, the two shapes most words take.
func (m *Model) trainForms() []string {
	var forms []string
	for id, w := range m.Words.Words() {
		if id < data.NumSpecial || m.Words.Count(w) == 0 {
			continue
		}
		forms = append(forms, w, capitalise(w))
	}
	return forms
}

func capitalise(w string) string {
	for i, r := range w {
		up := string(unicode.ToUpper(r))
		return up + w[i+len(string(r)):]
	}
	return w
}

// lookup returns the representations of forms (U×Dc) in dst: cached rows
// copied, the others computed by the character network in one batch.
func (c *charCache) lookup(m *Model, forms []string, dst *mat.Dense) *mat.Dense {
	dst = nn.Ensure(dst, len(forms), m.Config.charOut())
	var miss []string
	var at []int
	for k, f := range forms {
		if i, ok := c.index[f]; ok {
			copy(dst.RawRowView(k), c.rep.RawRowView(i))
			continue
		}
		miss = append(miss, f)
		at = append(at, k)
	}
	if len(miss) > 0 {
		// charNet overwrites the batch's char buffers, which this pass no
		// longer needs (no Backward at inference).
		rep := m.charNet(miss, nil)
		for j, k := range at {
			copy(dst.RawRowView(k), rep.RawRowView(j))
		}
	}
	return dst
}

// TagExamples returns the predicted tag ids of each example, for each of
// the model's tagsets: [tagset][sentence][word].
func (t *Tagger) TagExamples(exs []Example) [][][]int {
	out := make([][][]int, len(t.m.heads))
	for k := range out {
		out[k] = make([][]int, len(exs))
	}
	batch := max(1, t.Batch)
	// Tag in order of length, so that a batch holds sentences of similar
	// length and little of it is padding.
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return exs[order[a]].Len() < exs[order[b]].Len() })
	part := make([]Example, 0, batch)
	for lo := 0; lo < len(order); lo += batch {
		hi := min(lo+batch, len(order))
		part = part[:0]
		var idx []int
		for _, i := range order[lo:hi] {
			if exs[i].Len() == 0 {
				for k := range out {
					out[k][i] = []int{}
				}
				continue
			}
			part = append(part, exs[i])
			idx = append(idx, i)
		}
		if len(part) == 0 {
			continue
		}
		t.m.forwardPass(part, false)
		for k, h := range t.m.heads {
			for j, tags := range h.decode(part, t.m.fw.lengths, t.m.fw.steps) {
				out[k][idx[j]] = tags
			}
		}
	}
	return out
}

// Tag fills in the model's tagset columns (UPOS, XPOS or both) of every
// syntactic word of sents, in place; multiword tokens, empty nodes, the
// other columns and the comments are left as they are.
func (t *Tagger) Tag(sents []data.Sentence) {
	pred := t.TagExamples(t.m.Encode(sents))
	for k, h := range t.m.heads {
		for i, tags := range pred[k] {
			names := make([]string, len(tags))
			for j, id := range tags {
				names[j] = h.tags[id]
			}
			sents[i].SetColumn(h.column, names)
		}
	}
}

// TagWords returns the tags of one sentence of words, in the model's first
// tagset.
func (t *Tagger) TagWords(words []string) []string {
	s := []data.Sentence{data.NewSentence(words)}
	t.Tag(s)
	return s[0].Column(t.m.heads[0].column)
}
