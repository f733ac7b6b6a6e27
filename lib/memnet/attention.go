package memnet

import (
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/nn"
)

// attention is one hop's look at the memory: dot attention of the state u
// over the memory vectors m_i (the keys), reading out the output vectors
// c_i (the values), for each row b of a batch over its own n_b memories:
//
//	p_i = softmax_i(u·m_i)          i < n_b          (B×M: weight 0 past n_b)
//	o   = Σ_i p_i · c_i                              (B×d)
//
// With Linear set the softmax is left out, p_i = u·m_i: the paper's linear
// start. Backward, with dp_i = ∂L/∂o·c_i:
//
//	∂L/∂c_i += p_i · ∂L/∂o
//	∂L/∂s_i  = p_i · (dp_i − Σ_j p_j·dp_j)     (linear: ∂L/∂s_i = dp_i)
//	∂L/∂u   += Σ_i ∂L/∂s_i · m_i,    ∂L/∂m_i += ∂L/∂s_i · u
//
// The memory is a padded batch, M steps of B×d as in package nn: step i
// holds memory i of every row.
type attention struct {
	Linear bool

	u            *mat.Dense
	keys, values []*mat.Dense
	lengths      []int
	p            *mat.Dense // B×M, the weights
}

// Forward writes o (B×d) and returns the weights p (B×M), which belong to
// the block until the next Forward. It keeps its arguments for Backward.
func (a *attention) Forward(o, u *mat.Dense, keys, values []*mat.Dense, lengths []int) (p *mat.Dense) {
	b, d := u.Dims()
	if len(keys) != len(values) || len(lengths) != b {
		panic(nn.ErrShape)
	}
	nn.MustDims(o, b, d)
	a.u, a.keys, a.values, a.lengths = u, keys, values, lengths
	a.p = nn.Ensure(a.p, b, len(keys))
	for r, n := range lengths {
		ur, pr, or := u.RawRowView(r), a.p.RawRowView(r), o.RawRowView(r)
		for i := 0; i < n; i++ {
			pr[i] = floats.Dot(ur, keys[i].RawRowView(r))
		}
		if !a.Linear && n > 0 {
			nn.SoftmaxTo(pr[:n], pr[:n])
		}
		clear(pr[n:])
		clear(or)
		for i := 0; i < n; i++ {
			floats.AddScaled(or, pr[i], values[i].RawRowView(r))
		}
	}
	return a.p
}

// Backward adds ∂L/∂u into du (B×d) and the memories' gradients into
// dkeys and dvalues (M steps of B×d) for do = ∂L/∂o.
func (a *attention) Backward(do, du *mat.Dense, dkeys, dvalues []*mat.Dense) {
	b, d := a.u.Dims()
	nn.MustDims(do, b, d)
	nn.MustDims(du, b, d)
	var ds []float64
	for r, n := range a.lengths {
		dor, pr, ur, dur := do.RawRowView(r), a.p.RawRowView(r), a.u.RawRowView(r), du.RawRowView(r)
		ds = slices.Grow(ds[:0], n)[:n]
		sum := 0.0
		for i := 0; i < n; i++ {
			ds[i] = floats.Dot(dor, a.values[i].RawRowView(r))
			floats.AddScaled(dvalues[i].RawRowView(r), pr[i], dor)
			sum += pr[i] * ds[i]
		}
		for i := 0; i < n; i++ {
			if !a.Linear {
				ds[i] = pr[i] * (ds[i] - sum)
			}
			floats.AddScaled(dur, ds[i], a.keys[i].RawRowView(r))
			floats.AddScaled(dkeys[i].RawRowView(r), ds[i], ur)
		}
	}
}
