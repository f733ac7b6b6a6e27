package attention

import (
	"math/rand/v2"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Additive is Bahdanau et al.'s additive attention, a one-hidden-layer
// network of the query and each key:
//
//	p_j  = k_j·Wk                                  Wk: K×A   (B×A, once per batch: Memory)
//	u_j  = tanh(q·Wq + p_j)                        Wq: H×A   (B×A)
//	score(q, k_j) = u_j·vᵀ                         v: 1×A
//
// Backward, with dz_j = ∂L/∂e_j · v ⊙ (1 − u_j²)  (B×A):
//
//	∂L/∂v  += Σ_j ∂L/∂e_j · u_j
//	∂L/∂q   = (Σ_j dz_j)·Wqᵀ
//	∂L/∂p_j += dz_j,   q and Σ_j dz_j                 (added into the Memory)
//
// and MemoryBackward, after the last query, with K, ∂L/∂P, Q and dZ the
// stacks of the k_j, the ∂L/∂p_j, the queries and their Σ_j dz_j:
//
//	∂L/∂Wk += Kᵀ·∂L/∂P,    ∂L/∂K += ∂L/∂P·Wkᵀ,    ∂L/∂Wq += Qᵀ·dZ
type Additive struct {
	Wq, Wk, V *nn.Param
	// Linear drops the softmax: the weights are the scores (see the
	// package documentation).
	Linear bool
	attend
	u     []*mat.Dense // T blocks B×A, views of us
	us    *mat.Dense
	qa    *mat.Dense // q·Wq (B×A)
	dzSum *mat.Dense // Σ_j dz_j (B×A)
}

// NewAdditive returns an additive attention block for queries of width h,
// keys of width k and a hidden layer of width dim, Xavier-initialised.
func NewAdditive(rng *rand.Rand, h, k, dim int) *Additive {
	a := &Additive{Wq: nn.NewParam("Wq", h, dim), Wk: nn.NewParam("Wk", k, dim), V: nn.NewParam("v", 1, dim)}
	nn.InitXavier(rng, a.Wq.Value)
	nn.InitXavier(rng, a.Wk.Value)
	nn.InitXavier(rng, a.V.Value)
	return a
}

// Memory implements Attention: it computes the projections p_j = k_j·Wk,
// of all slots in one product.
func (a *Additive) Memory(keys, values []*mat.Dense, lengths []int) *Memory {
	k, dim := a.Wk.Value.Dims()
	nn.MustDims(keys[0], -1, k)
	mem := newMemory(keys, values, lengths)
	b, _ := keys[0].Dims()
	mem.proj = mat.NewDense(len(keys)*b, dim, nil)
	mem.proj.Mul(mem.keys, a.Wk.Value) // ((T·B)×A) = ((T·B)×K)·(K×A)
	mem.Proj = nn.SplitSteps(mem.proj, len(keys), b)
	return mem
}

// Forward implements Attention.
func (a *Additive) Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense) {
	h, dim := a.Wq.Value.Dims()
	b := checkQuery(q, mem, h)
	if mem.Proj == nil {
		panic("attention: Additive attention over a Memory it did not make")
	}
	a.qa = nn.Ensure(a.qa, b, dim)
	mem.qW.Mul(a.qa, q, a.Wq.Value, false, 0) // (B×A) = (B×H)·(H×A)
	v := a.V.Value.RawRowView(0)
	scores := mat.NewDense(b, len(mem.Keys), nil)
	a.u = a.u[:0]
	a.us = nn.Ensure(a.us, len(mem.Proj)*b, dim) // the T blocks, reused while the shape holds
	for j, p := range mem.Proj {
		u := a.us.Slice(j*b, (j+1)*b, 0, dim).(*mat.Dense)
		for i, n := range mem.Lengths {
			if j >= n {
				continue // padding: no score, no gradient
			}
			row := u.RawRowView(i)
			floats.AddTo(row, p.RawRowView(i), a.qa.RawRowView(i))
			seqblas.TanhTo(row, row)
			scores.Set(i, j, floats.Dot(row, v))
		}
		a.u = append(a.u, u)
	}
	return a.forward(q, mem, scores, a.Linear)
}

// Backward implements Attention.
func (a *Additive) Backward(dctx, dweights *mat.Dense) (dq *mat.Dense) {
	de := a.backward(dctx, dweights)
	_, _, dproj := a.mem.grads()
	b, dim := a.u[0].Dims()
	v, dv := a.V.Value.RawRowView(0), a.V.Grad.RawRowView(0)
	a.dzSum = nn.Ensure(a.dzSum, b, dim)
	a.dzSum.Zero()
	for j, u := range a.u {
		for i, n := range a.mem.Lengths {
			if j >= n {
				continue
			}
			e := de.At(i, j)
			ur, dpr, sr := u.RawRowView(i), dproj[j].RawRowView(i), a.dzSum.RawRowView(i)
			for l, x := range ur {
				dv[l] += e * x
				dz := e * v[l] * (1 - x*x)
				dpr[l] += dz
				sr[l] += dz
			}
		}
	}
	a.mem.addQuery(a.q, a.dzSum)
	dq = mat.NewDense(b, a.Wq.Value.RawMatrix().Rows, nil)
	a.mem.qWT.Mul(dq, a.dzSum, a.Wq.Value, true, 0) // (B×H) = (B×A)·(A×H)
	return dq
}

// MemoryBackward implements Attention.
func (a *Additive) MemoryBackward(mem *Memory) (dkeys, dvalues []*mat.Dense) {
	mem.grads()
	nn.AddWeightGrad(a.Wk.Grad, mem.keys, mem.dProj) // (K×A) += ((T·B)×K)ᵀ·((T·B)×A)
	// ∂L/∂K += ∂L/∂P·Wkᵀ: ((T·B)×K) += ((T·B)×A)·(A×K)
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, mem.dProj.RawMatrix(), a.Wk.Value.RawMatrix(), 1, mem.dKeys.RawMatrix())
	mem.addQueryGrad(a.Wq.Grad) // (H×A) += ((queries·B)×H)ᵀ·((queries·B)×A)
	return mem.gradients()
}

// Params returns Wq, Wk and v.
func (a *Additive) Params() []*nn.Param { return []*nn.Param{a.Wq, a.Wk, a.V} }

// Shared implements Attention.
func (a *Additive) Shared() Attention {
	return &Additive{Wq: a.Wq, Wk: a.Wk, V: a.V, Linear: a.Linear}
}

// Replica implements Attention.
func (a *Additive) Replica() Attention {
	return &Additive{Wq: a.Wq.Replica(), Wk: a.Wk.Replica(), V: a.V.Replica(), Linear: a.Linear}
}
