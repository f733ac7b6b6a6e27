package attention

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Attention is one attention block (see the package documentation): a
// query q (B×H) looks at a Memory of T slots, keys k_j (B×K) and values v_j
// (B×V), and gets back the context c = Σ_j a_j·v_j (B×V) and the weights a
// (B×T). Dot, General and Additive implement it; they differ only in the
// score.
type Attention interface {
	// Memory prepares a batch of memories for the queries that attend to
	// them: T slots of keys (each B×K) and of values (each B×V; nil means
	// the values are the keys), with the number of real slots of each row
	// (nil means T for every row). It copies keys and values.
	Memory(keys, values []*mat.Dense, lengths []int) *Memory
	// Forward returns the context (B×V) and the weights (B×T) of query q
	// (B×H) over mem. The block keeps q, mem and the weights for Backward:
	// the weights belong to the block, and neither side may write them.
	Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense)
	// Backward returns ∂L/∂q (B×H) for the last Forward, given dctx =
	// ∂L/∂ctx (B×V) and dweights = ∂L/∂weights (B×T), either nil for zero.
	// It adds the gradients of the parameters that only this query uses
	// (Additive's v) into their Grad, and the keys', the values' and the
	// query-side weight's shares into the Memory.
	Backward(dctx, dweights *mat.Dense) (dq *mat.Dense)
	// MemoryBackward returns ∂L/∂k_j and ∂L/∂v_j (T slots of B×K and B×V)
	// from everything the queries' Backward calls added into mem, carried
	// back through Memory's own computation, and adds the gradients of the
	// weights that the queries share. When the values are the keys,
	// dvalues is nil and dkeys holds both shares. Call it once, after the
	// last query's Backward.
	MemoryBackward(mem *Memory) (dkeys, dvalues []*mat.Dense)
	// Params returns the block's parameters (none for Dot).
	Params() []*nn.Param
	// Shared returns a block of the same kind and settings with the same
	// parameters (Value and Grad) and a cache of its own: one per query
	// of a decoder that attends at every step.
	Shared() Attention
	// Replica returns a block of the same kind and settings with the same
	// weights (Value), its own gradients (Grad) and cache: for data
	// parallelism.
	Replica() Attention
}

// NewAttention returns the attention block named kind: "bahdanau" (or
// "additive"), "general" (or "luong") or "dot", for queries of width h and
// keys of width k. dim is the width of the additive block's hidden layer
// (ignored by the others). An unknown kind, or dot with h ≠ k, is an error
// of the caller's data (a flag, a file) and is returned.
func NewAttention(rng *rand.Rand, kind string, h, k, dim int) (Attention, error) {
	switch kind {
	case "bahdanau", "additive":
		return NewAdditive(rng, h, k, dim), nil
	case "general", "luong":
		return NewGeneral(rng, h, k), nil
	case "dot":
		if h != k {
			return nil, fmt.Errorf("attention: dot attention needs equal query and key widths, have %d and %d", h, k)
		}
		return &Dot{}, nil
	}
	return nil, fmt.Errorf("attention: unknown attention %q (want bahdanau, general or dot)", kind)
}

// attend is the part every block shares: the masked softmax (or, Linear,
// the masked scores) and the weighted sum of the values, their backward
// pass, and the cache of the last Forward.
type attend struct {
	q       *mat.Dense
	mem     *Memory
	weights *mat.Dense // B×T
	linear  bool       // the weights of the last Forward are the scores
}

// forward turns the scores (B×T, overwritten) into weights, the softmax of
// each row's real slots and its empty ones (or, linear, the scores
// themselves) and zero past them, and returns the context.
func (a *attend) forward(q *mat.Dense, mem *Memory, scores *mat.Dense, linear bool) (ctx, weights *mat.Dense) {
	b, _ := q.Dims()
	_, v := mem.Values[0].Dims()
	a.q, a.mem, a.linear = q, mem, linear
	if mem.Empty != nil && len(mem.Empty) != b {
		panic(nn.ErrShape)
	}
	for i, n := range mem.Lengths {
		row := scores.RawRowView(i)
		if n > 0 && !linear {
			logZ := nn.SoftmaxTo(row[:n], row[:n])
			if mem.Empty != nil && mem.Empty[i] > 0 {
				// e empty slots of score 0 add e·exp(0) to Σ_j exp(e_j) = Z:
				// each real weight is exp(e_j)/(Z + e) = softmax_j · Z/(Z + e).
				floats.Scale(1/(1+float64(mem.Empty[i])*math.Exp(-logZ)), row[:n])
			}
		}
		clear(row[n:]) // padding gets no weight; an empty memory none at all
	}
	ctx = mat.NewDense(b, v, nil)
	for i, n := range mem.Lengths {
		c, w := ctx.RawRowView(i), scores.RawRowView(i)
		for j := 0; j < n; j++ {
			floats.AddScaled(c, w[j], mem.Values[j].RawRowView(i))
		}
	}
	a.weights = scores
	return ctx, scores
}

// backward returns de = ∂L/∂scores (B×T) for dctx = ∂L/∂ctx and dw =
// ∂L/∂weights (either nil for zero), and adds the weighted sum's share of
// ∂L/∂v_j into the Memory. Empty slots (Memory.Empty) need nothing of
// their own: their ∂L/∂a_j = ∂L/∂c·0 is zero, so they add nothing to the
// softmax's Σ_j' a_j'·∂L/∂a_j', and their scores are constants.
func (a *attend) backward(dctx, dw *mat.Dense) (de *mat.Dense) {
	if a.weights == nil {
		panic("attention: Backward before Forward")
	}
	b, slots := a.weights.Dims()
	_, v := a.mem.Values[0].Dims()
	if dctx != nil {
		nn.MustDims(dctx, b, v)
	}
	if dw != nil {
		nn.MustDims(dw, b, slots)
	}
	_, dvalues, _ := a.mem.grads()
	de = mat.NewDense(b, slots, nil)
	for i, n := range a.mem.Lengths {
		w, d := a.weights.RawRowView(i), de.RawRowView(i)
		sum := 0.0
		for j := 0; j < n; j++ {
			if dctx != nil {
				dc := dctx.RawRowView(i)
				d[j] = floats.Dot(dc, a.mem.Values[j].RawRowView(i))
				floats.AddScaled(dvalues[j].RawRowView(i), w[j], dc)
			}
			if dw != nil {
				d[j] += dw.At(i, j)
			}
			sum += w[j] * d[j]
		}
		if a.linear {
			continue // ∂L/∂e = ∂L/∂a
		}
		for j := 0; j < n; j++ {
			d[j] = w[j] * (d[j] - sum)
		}
	}
	return de
}

// scoreKeys fills scores (B×T) with the dot products of the rows of qk
// (B×K) with the keys, for each row's real slots: the scores of Dot (qk =
// q) and General (qk = q·W).
func scoreKeys(qk *mat.Dense, mem *Memory) *mat.Dense {
	b, _ := qk.Dims()
	scores := mat.NewDense(b, len(mem.Keys), nil)
	for i, n := range mem.Lengths {
		qr, sr := qk.RawRowView(i), scores.RawRowView(i)
		for j := 0; j < n; j++ {
			sr[j] = floats.Dot(qr, mem.Keys[j].RawRowView(i))
		}
	}
	return scores
}

// keysBackward adds ∂L/∂e_j · qk into ∂L/∂k_j and returns
// Σ_j ∂L/∂e_j · k_j (B×K): the backward pass of scoreKeys.
func keysBackward(de, qk *mat.Dense, mem *Memory) *mat.Dense {
	b, k := qk.Dims()
	dkeys, _, _ := mem.grads()
	g := mat.NewDense(b, k, nil)
	for i, n := range mem.Lengths {
		qr, gr, e := qk.RawRowView(i), g.RawRowView(i), de.RawRowView(i)
		for j := 0; j < n; j++ {
			floats.AddScaled(gr, e[j], mem.Keys[j].RawRowView(i))
			floats.AddScaled(dkeys[j].RawRowView(i), e[j], qr)
		}
	}
	return g
}

// checkQuery checks that q has the Memory's B rows and width h, and
// returns B.
func checkQuery(q *mat.Dense, mem *Memory, h int) int {
	b, _ := mem.Keys[0].Dims()
	nn.MustDims(q, b, h)
	return b
}
