package tagger

import (
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// head is one output layer of the model: the scores of one tagset's K
// tags from the BiLSTM's states, and a softmax per word or a CRF over them.
// A model with Tagset "both" has two, UPOS and XPOS, trained together on
// the sum of their losses (multi-task learning: the 45 Penn tags teach the
// shared layers distinctions the 17 universal ones lump together).
type head struct {
	tagset string // "upos" or "xpos"
	column int    // its CoNLL-U column
	tags   []string
	ids    map[string]int
	out    *nn.Linear
	crf    *nn.CRF // nil without CRF
	loss   nn.SoftmaxCrossEntropy

	// The last pass.
	logits, dlogits *mat.Dense // (T·B)×K
	targets         []int      // T·B gold tag ids; 0 on padding
	mask            []float64  // T·B: 1 for a word with a known gold tag
	gold            [][]int    // T×B views of targets, for the CRF
}

func newHead(rng *rand.Rand, tagset string, tags []string, in int, crf bool) *head {
	h := &head{tagset: tagset, column: columnOf(tagset), tags: tags, out: nn.NewLinear(rng, in, len(tags))}
	if crf {
		h.crf = nn.NewCRF(len(tags))
	}
	h.index()
	return h
}

func columnOf(tagset string) int {
	if tagset == "xpos" {
		return data.ColXPOS
	}
	return data.ColUPOS
}

func (h *head) index() {
	h.ids = make(map[string]int, len(h.tags))
	for i, t := range h.tags {
		h.ids[t] = i
	}
}

func (h *head) params() []*nn.Param {
	ps := h.out.Params()
	if h.crf != nil {
		ps = append(ps, h.crf.Params()...)
	}
	return ps
}

func (h *head) name() {
	nn.PrefixNames(h.tagset+".out", h.out.Params())
	if h.crf != nil {
		nn.PrefixNames(h.tagset+".crf", h.crf.Params())
	}
}

func (h *head) replica() *head {
	r := &head{tagset: h.tagset, column: h.column, tags: h.tags, ids: h.ids, out: h.out.Replica()}
	if h.crf != nil {
		r.crf = h.crf.Replica()
	}
	return r
}

// loss returns the head's loss over a batch (T steps of B sentences) whose
// gold tags are exs[i].Tags[k], k the head's index.
func (h *head) lossOf(k int, exs []Example, lengths []int, steps int) float64 {
	b := len(exs)
	n := steps * b
	h.targets = resizeInts(h.targets, n)
	clear(h.targets)
	if len(h.mask) != n {
		h.mask = make([]float64, n)
	}
	clear(h.mask)
	for i, e := range exs {
		if e.Tags == nil {
			panic("tagger: Loss of an untagged example")
		}
		for t, y := range e.Tags[k] {
			if y >= 0 {
				h.targets[t*b+i] = y
				h.mask[t*b+i] = 1
			}
		}
	}
	if h.crf == nil {
		return h.loss.Forward(h.logits, h.targets, h.mask)
	}
	h.gold = h.gold[:0]
	for t := 0; t < steps; t++ {
		h.gold = append(h.gold, h.targets[t*b:(t+1)*b])
	}
	return h.crf.Forward(nn.SplitSteps(h.logits, steps, b), lengths, h.gold)
}

// backward returns ∂L/∂(the head's input), (T·B)×2H, for the last loss.
func (h *head) backward(steps, b int) *mat.Dense {
	if h.crf == nil {
		return h.out.Backward(h.loss.Backward())
	}
	h.dlogits = nn.Ensure(h.dlogits, steps*b, len(h.tags))
	for t, d := range h.crf.Backward() {
		for i := 0; i < b; i++ {
			copy(h.dlogits.RawRowView(t*b+i), d.RawRowView(i))
		}
	}
	return h.out.Backward(h.dlogits)
}

// decode returns the best tags of each sentence ([sentence][word]) from
// the last pass's logits: the argmax of each word's scores, or the CRF's
// Viterbi path.
func (h *head) decode(exs []Example, lengths []int, steps int) [][]int {
	b := len(exs)
	var paths [][]int
	if h.crf != nil {
		paths = h.crf.Decode(nn.SplitSteps(h.logits, steps, b), lengths)
	}
	out := make([][]int, b)
	for i, e := range exs {
		tags := make([]int, e.Len())
		for t := range tags {
			if paths != nil {
				tags[t] = paths[t][i]
			} else {
				tags[t] = floats.MaxIdx(h.logits.RawRowView(t*b + i))
			}
		}
		out[i] = tags
	}
	return out
}
