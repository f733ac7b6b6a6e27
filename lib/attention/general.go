package attention

import (
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// General is Luong et al.'s "general" (bilinear) attention:
//
//	score(q, k_j) = q·W·k_jᵀ = (q·W)·k_jᵀ          W: H×K
//	g := ∂L/∂(q·W) = Σ_j ∂L/∂e_j · k_j,    ∂L/∂k_j += ∂L/∂e_j · q·W
//	∂L/∂q = g·Wᵀ,    ∂L/∂W += qᵀ·g (in MemoryBackward, over all queries)
type General struct {
	W *nn.Param
	// Linear drops the softmax: the weights are the scores (see the
	// package documentation).
	Linear bool
	attend
	qw *mat.Dense // q·W, B×K
}

// NewGeneral returns a general attention block for queries of width h and
// keys of width k, with a Xavier-initialised W.
func NewGeneral(rng *rand.Rand, h, k int) *General {
	a := &General{W: nn.NewParam("Wa", h, k)}
	nn.InitXavier(rng, a.W.Value)
	return a
}

// Memory implements Attention: the keys and values as they are.
func (a *General) Memory(keys, values []*mat.Dense, lengths []int) *Memory {
	_, k := a.W.Value.Dims()
	nn.MustDims(keys[0], -1, k)
	return newMemory(keys, values, lengths)
}

// Forward implements Attention.
func (a *General) Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense) {
	h, k := a.W.Value.Dims()
	a.qw = mat.NewDense(checkQuery(q, mem, h), k, nil)
	mem.qW.Mul(a.qw, q, a.W.Value, false, 0) // (B×K) = (B×H)·(H×K)
	return a.forward(q, mem, scoreKeys(a.qw, mem), a.Linear)
}

// Backward implements Attention.
func (a *General) Backward(dctx, dweights *mat.Dense) (dq *mat.Dense) {
	g := keysBackward(a.backward(dctx, dweights), a.qw, a.mem)
	a.mem.addQuery(a.q, g)
	dq = mat.NewDense(g.RawMatrix().Rows, a.W.Value.RawMatrix().Rows, nil)
	a.mem.qWT.Mul(dq, g, a.W.Value, true, 0) // (B×H) = (B×K)·(K×H)
	return dq
}

// MemoryBackward implements Attention: it adds ∂L/∂W = Σ_t q_tᵀ·g_t.
func (a *General) MemoryBackward(mem *Memory) (dkeys, dvalues []*mat.Dense) {
	mem.addQueryGrad(a.W.Grad) // (H×K) += ((queries·B)×H)ᵀ·((queries·B)×K)
	return mem.gradients()
}

// Params returns W.
func (a *General) Params() []*nn.Param { return []*nn.Param{a.W} }

// Shared implements Attention.
func (a *General) Shared() Attention { return &General{W: a.W, Linear: a.Linear} }

// Replica implements Attention.
func (a *General) Replica() Attention { return &General{W: a.W.Replica(), Linear: a.Linear} }
