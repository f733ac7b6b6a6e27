package attention

import (
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Dot is Luong et al.'s dot attention, for keys as wide as the query, and
// the attention of an end-to-end memory network:
//
//	score(q, k_j) = q·k_jᵀ
//	∂L/∂q = Σ_j ∂L/∂e_j · k_j,    ∂L/∂k_j += ∂L/∂e_j · q
//
// It has no parameters, so &Dot{} is ready to use.
type Dot struct {
	// Linear drops the softmax: the weights are the scores (see the
	// package documentation).
	Linear bool
	attend
}

// Memory implements Attention: the keys and values as they are.
func (a *Dot) Memory(keys, values []*mat.Dense, lengths []int) *Memory {
	return newMemory(keys, values, lengths)
}

// Forward implements Attention.
func (a *Dot) Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense) {
	_, k := mem.Keys[0].Dims()
	checkQuery(q, mem, k)
	return a.forward(q, mem, scoreKeys(q, mem), a.Linear)
}

// Backward implements Attention.
func (a *Dot) Backward(dctx, dweights *mat.Dense) (dq *mat.Dense) {
	return keysBackward(a.backward(dctx, dweights), a.q, a.mem)
}

// MemoryBackward implements Attention.
func (a *Dot) MemoryBackward(mem *Memory) (dkeys, dvalues []*mat.Dense) { return mem.gradients() }

// Params returns nil: dot attention has no parameters.
func (a *Dot) Params() []*nn.Param { return nil }

// Shared implements Attention.
func (a *Dot) Shared() Attention { return &Dot{Linear: a.Linear} }

// Replica implements Attention.
func (a *Dot) Replica() Attention { return &Dot{Linear: a.Linear} }
