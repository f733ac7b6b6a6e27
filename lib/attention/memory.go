package attention

import (
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Memory is a batch of memories ready to be attended to: the keys, the
// values, the lengths of the rows, what the block computed from the keys
// alone, and the gradients that the queries' Backward calls add up. A
// block's Memory method makes it; any number of queries read it.
//
// A row's memory is packed at the front: slots 0 … n_b−1 are real, slots
// n_b … T−1 padding, which gets no weight and no gradient.
type Memory struct {
	Keys []*mat.Dense // T slots of B×K: k_j (a translator's encoder outputs s_j; a memory network's m_i)
	// Values holds T slots of B×V: v_j, what the weights average (a memory
	// network's c_i). When the block's Memory was given no values, the
	// values are the keys: Values and Keys are the same slice.
	Values  []*mat.Dense
	Lengths []int // n_b, the number of real slots of each row
	// Empty, when not nil, holds for each row a number of empty slots
	// besides its n_b real ones: slots whose keys and values are zero,
	// which take part in the softmax with score 0 (what q·0 scores) and so
	// take weight without adding to the context, but are neither stored
	// nor computed, and get no weight in the Forward's weights matrix. An
	// end-to-end memory network's memory is so: a fixed number of slots, a
	// story filling n_b of them and a zero null symbol the rest (Sukhbaatar
	// et al. 2015), so that a hop can look at "nothing". Set it after the
	// block's Memory made the Memory. Linear weights are the scores, 0 for
	// an empty slot: Empty changes nothing then.
	Empty []int
	// Proj holds the key projections k_j·Wk (T slots of B×A) for Additive;
	// nil for the other blocks.
	Proj []*mat.Dense

	// Keys, Values and Proj stacked, (T·B)×K, ×V and ×A, when the block
	// made them (not for Rows).
	keys, values, proj *mat.Dense
	// ∂L/∂Keys, ∂L/∂Values and ∂L/∂Proj, stacked as keys and proj and in
	// their slots, added up by the queries. When the values are the keys,
	// dValues is dKeys: both shares land in one sum, in the order the
	// queries add them.
	dKeys, dValues, dProj             *mat.Dense
	dKeySlots, dValueSlots, dProjSlot []*mat.Dense
	// The rows of the queries q_t and of ∂L/∂(q_t·W), one after the other:
	// ((queries·B)×H and ×A) for the query-side weight's gradient.
	queries, dqw []float64
	// The query-side weight (Additive's Wq, General's W) packed for the
	// queries' products: W forward, Wᵀ backward.
	qW, qWT nn.PackedWeight
}

// newMemory checks the keys, values and lengths and returns a Memory of
// stacked copies of the keys and values (values nil: the keys), without
// projections.
func newMemory(keys, values []*mat.Dense, lengths []int) *Memory {
	if len(keys) == 0 || (values != nil && len(values) != len(keys)) {
		panic(nn.ErrShape)
	}
	b, _ := keys[0].Dims()
	mem := &Memory{Lengths: make([]int, b)}
	mem.keys, mem.Keys = stack(keys, b)
	mem.values, mem.Values = mem.keys, mem.Keys
	if values != nil {
		mem.values, mem.Values = stack(values, b)
	}
	for i := range mem.Lengths {
		n := len(keys)
		if lengths != nil {
			if len(lengths) != b {
				panic(nn.ErrShape)
			}
			n = lengths[i]
		}
		if n < 0 || n > len(keys) {
			panic(nn.ErrShape)
		}
		mem.Lengths[i] = n
	}
	return mem
}

// stack returns a (T·B)×w copy of the T slots xs (each B×w) and its T
// views.
func stack(xs []*mat.Dense, b int) (*mat.Dense, []*mat.Dense) {
	_, w := xs[0].Dims()
	all := mat.NewDense(len(xs)*b, w, nil)
	slots := nn.SplitSteps(all, len(xs), b)
	for j, x := range xs {
		nn.MustDims(x, b, w)
		slots[j].Copy(x)
	}
	return all, slots
}

// sharedValues reports whether the values are the keys.
func (m *Memory) sharedValues() bool {
	return len(m.Values) > 0 && m.Values[0] == m.Keys[0]
}

// Rows returns a Memory of the rows idx of m, in that order (copies, no
// gradients): the sources of a set of hypotheses in beam search.
func (m *Memory) Rows(idx []int) *Memory {
	r := &Memory{Keys: pickSlots(m.Keys, idx), Lengths: make([]int, len(idx))}
	r.Values = r.Keys
	if !m.sharedValues() {
		r.Values = pickSlots(m.Values, idx)
	}
	if m.Proj != nil {
		r.Proj = pickSlots(m.Proj, idx)
	}
	for i, row := range idx {
		r.Lengths[i] = m.Lengths[row]
	}
	return r
}

// pickSlots returns, for each slot, a new matrix of its rows idx.
func pickSlots(slots []*mat.Dense, idx []int) []*mat.Dense {
	out := make([]*mat.Dense, len(slots))
	for j, s := range slots {
		_, c := s.Dims()
		out[j] = mat.NewDense(len(idx), c, nil)
		for i, row := range idx {
			copy(out[j].RawRowView(i), s.RawRowView(row))
		}
	}
	return out
}

// grads returns the gradient accumulators of m's keys, values and
// projections, in slots, allocating them on first use.
func (m *Memory) grads() (dkeys, dvalues, dproj []*mat.Dense) {
	if m.dKeys == nil {
		m.dKeys, m.dKeySlots = zeroSlots(m.Keys)
		m.dValues, m.dValueSlots = m.dKeys, m.dKeySlots
		if !m.sharedValues() {
			m.dValues, m.dValueSlots = zeroSlots(m.Values)
		}
		if m.Proj != nil {
			m.dProj, m.dProjSlot = zeroSlots(m.Proj)
		}
	}
	return m.dKeySlots, m.dValueSlots, m.dProjSlot
}

// zeroSlots returns a zero (T·B)×w matrix shaped as the T slots xs (each
// B×w) and its T views.
func zeroSlots(xs []*mat.Dense) (*mat.Dense, []*mat.Dense) {
	b, w := xs[0].Dims()
	all := mat.NewDense(len(xs)*b, w, nil)
	return all, nn.SplitSteps(all, len(xs), b)
}

// gradients returns what MemoryBackward hands back: ∂L/∂keys and, unless
// the values are the keys, ∂L/∂values (zeros when no query added any).
func (m *Memory) gradients() (dkeys, dvalues []*mat.Dense) {
	dk, dv, _ := m.grads()
	if m.sharedValues() {
		return dk, nil
	}
	return dk, dv
}

// addQuery adds the query q (B×H) of a step and g = ∂L/∂(q·W) (B×A) for
// addQueryGrad.
func (m *Memory) addQuery(q, g *mat.Dense) {
	r, h := q.Dims()
	_, a := g.Dims()
	if len(m.queries) == 0 {
		// Room for as many queries as the memory has slots, which a
		// translation's target rarely passes by much; append grows it when
		// needed.
		m.queries, m.dqw = make([]float64, 0, 2*len(m.Keys)*r*h), make([]float64, 0, 2*len(m.Keys)*r*a)
	}
	for i := 0; i < r; i++ {
		m.queries = append(m.queries, q.RawRowView(i)...)
		m.dqw = append(m.dqw, g.RawRowView(i)...)
	}
}

// addQueryGrad adds Σ_t q_tᵀ·g_t (H×A) over the queries' addQuery calls
// into dst, as one product: ((queries·B)×H)ᵀ·((queries·B)×A).
func (m *Memory) addQueryGrad(dst *mat.Dense) {
	h, a := dst.Dims()
	if len(m.queries) == 0 {
		return
	}
	nn.AddWeightGrad(dst, mat.NewDense(len(m.queries)/h, h, m.queries), mat.NewDense(len(m.dqw)/a, a, m.dqw))
}
