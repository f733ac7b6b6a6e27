package seq2seq

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Attention is one attention block: a query h_t (B×H) looks at T_src keys
// s_j (each B×K, the encoder's outputs) and returns the context vector and
// the attention weights
//
//	a_tj  = exp(score(h_t, s_j)) / Σ_{j' < n_b} exp(score(h_t, s_j'))     (j < n_b; 0 past it)
//	c_t   = Σ_j a_tj · s_j                                                  (B×K)
//
// where n_b = lengths[b] is the length of source sentence b (nil lengths
// mean every row has T_src steps). Only the score differs between the
// blocks: see Additive, General and Dot.
//
// Backward takes ∂L/∂c_t and returns ∂L/∂h_t and ∂L/∂s_j, adding the
// gradients of the block's parameters into their Grad. The softmax and the
// weighted sum are shared by all blocks:
//
//	∂L/∂a_tj  = ∂L/∂c_t · s_j
//	∂L/∂s_j  += a_tj · ∂L/∂c_t
//	∂L/∂e_tj  = a_tj · (∂L/∂a_tj − Σ_j' a_tj' · ∂L/∂a_tj')           (e = score)
//
// An Attention keeps the cache of one Forward. A decoder that attends at
// every step uses one Shared copy per step: the copies share the
// parameters, Value and Grad, so their gradients add up.
type Attention interface {
	// Forward returns the context (B×K) and the weights (B×T_src) of query
	// q (B×H) over keys (T_src steps of B×K) with the source lengths. The
	// block keeps q, keys and the weights for Backward and never writes them.
	Forward(q *mat.Dense, keys []*mat.Dense, lengths []int) (ctx, weights *mat.Dense)
	// Backward returns ∂L/∂q (B×H) and ∂L/∂keys (T_src steps of B×K) for
	// dctx = ∂L/∂ctx (B×K), and adds the parameter gradients.
	Backward(dctx *mat.Dense) (dq *mat.Dense, dkeys []*mat.Dense)
	// Params returns the block's parameters (none for Dot).
	Params() []*nn.Param
	// Shared returns a block of the same kind with the same parameters and
	// its own cache.
	Shared() Attention
}

// NewAttention returns the attention block named kind: "bahdanau" (or
// "additive"), "general" (or "luong") or "dot", for queries of width h and
// keys of width k. dim is the width of the additive block's hidden layer
// (ignored by the others). An unknown kind is an error of the caller's data
// (a flag, a file) and is returned.
func NewAttention(rng *rand.Rand, kind string, h, k, dim int) (Attention, error) {
	switch kind {
	case "bahdanau", "additive":
		return NewAdditive(rng, h, k, dim), nil
	case "general", "luong":
		return NewGeneral(rng, h, k), nil
	case "dot":
		if h != k {
			return nil, fmt.Errorf("seq2seq: dot attention needs equal query and key widths, have %d and %d", h, k)
		}
		return &Dot{}, nil
	}
	return nil, fmt.Errorf("seq2seq: unknown attention %q (want bahdanau, general or dot)", kind)
}

// attend is the part every block shares: the masked softmax over the
// scores, the context, and their backward pass. It keeps the cache.
type attend struct {
	q       *mat.Dense
	keys    []*mat.Dense
	lens    []int
	weights *mat.Dense // B×T_src
}

// forward turns the scores (B×T_src, overwritten) into weights and returns
// the context.
func (a *attend) forward(q *mat.Dense, keys []*mat.Dense, lengths []int, scores *mat.Dense) (ctx, weights *mat.Dense) {
	b, _ := q.Dims()
	steps := len(keys)
	_, k := keys[0].Dims()
	a.q, a.keys = q, keys
	a.lens = a.lens[:0]
	for i := 0; i < b; i++ {
		n := steps
		if lengths != nil {
			n = lengths[i]
		}
		if n < 0 || n > steps {
			panic(nn.ErrShape)
		}
		a.lens = append(a.lens, n)
	}
	for i, n := range a.lens {
		row := scores.RawRowView(i)
		if n > 0 {
			nn.SoftmaxTo(row[:n], row[:n])
		}
		clear(row[n:]) // padding gets no weight; an empty source none at all
	}
	ctx = mat.NewDense(b, k, nil)
	for i, n := range a.lens {
		c := ctx.RawRowView(i)
		for j := 0; j < n; j++ {
			w := scores.At(i, j)
			for l, v := range keys[j].RawRowView(i) {
				c[l] += w * v
			}
		}
	}
	a.weights = scores
	return ctx, scores
}

// backward returns de = ∂L/∂scores (B×T_src) and the keys' gradient from
// the weighted sum, for dctx = ∂L/∂ctx.
func (a *attend) backward(dctx *mat.Dense) (de *mat.Dense, dkeys []*mat.Dense) {
	if a.weights == nil {
		panic("seq2seq: attention Backward before Forward")
	}
	b, steps := a.weights.Dims()
	_, k := a.keys[0].Dims()
	mustDims(dctx, b, k)
	de = mat.NewDense(b, steps, nil)
	dkeys = make([]*mat.Dense, steps)
	for j := range dkeys {
		dkeys[j] = mat.NewDense(b, k, nil)
	}
	for i, n := range a.lens {
		dc, w, d := dctx.RawRowView(i), a.weights.RawRowView(i), de.RawRowView(i)
		dot := 0.0
		for j := 0; j < n; j++ {
			s, ds := a.keys[j].RawRowView(i), dkeys[j].RawRowView(i)
			da := 0.0
			for l, v := range dc {
				da += v * s[l]
				ds[l] += w[j] * v
			}
			d[j] = da
			dot += w[j] * da
		}
		for j := 0; j < n; j++ {
			d[j] = w[j] * (d[j] - dot)
		}
	}
	return de, dkeys
}

// Dot is Luong et al.'s dot attention, for keys as wide as the query:
//
//	score(h_t, s_j) = h_tᵀ·s_j
//	∂L/∂h_t = Σ_j ∂L/∂e_tj · s_j,    ∂L/∂s_j += ∂L/∂e_tj · h_t
type Dot struct{ attend }

// Forward implements Attention.
func (a *Dot) Forward(q *mat.Dense, keys []*mat.Dense, lengths []int) (ctx, weights *mat.Dense) {
	b, h := checkAttn(q, keys, lengths, -1)
	mustDims(keys[0], b, h)
	scores := mat.NewDense(b, len(keys), nil)
	for i := 0; i < b; i++ {
		qr := q.RawRowView(i)
		for j, s := range keys {
			scores.Set(i, j, dot(qr, s.RawRowView(i)))
		}
	}
	return a.forward(q, keys, lengths, scores)
}

// Backward implements Attention.
func (a *Dot) Backward(dctx *mat.Dense) (dq *mat.Dense, dkeys []*mat.Dense) {
	de, dkeys := a.backward(dctx)
	b, h := a.q.Dims()
	dq = mat.NewDense(b, h, nil)
	for i, n := range a.lens {
		qr, dqr := a.q.RawRowView(i), dq.RawRowView(i)
		for j := 0; j < n; j++ {
			e := de.At(i, j)
			axpy(dqr, e, a.keys[j].RawRowView(i))
			axpy(dkeys[j].RawRowView(i), e, qr)
		}
	}
	return dq, dkeys
}

// Params returns nil: dot attention has no parameters.
func (a *Dot) Params() []*nn.Param { return nil }

// Shared implements Attention.
func (a *Dot) Shared() Attention { return &Dot{} }

// General is Luong et al.'s "general" (bilinear) attention:
//
//	score(h_t, s_j) = h_tᵀ·W·s_j = (h_t·W)·s_j        W: H×K
//	∂L/∂(h_t·W) = Σ_j ∂L/∂e_tj · s_j =: g,   ∂L/∂s_j += ∂L/∂e_tj · h_t·W
//	∂L/∂W += h_tᵀ·g,   ∂L/∂h_t = g·Wᵀ
type General struct {
	W *nn.Param
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

// Forward implements Attention.
func (a *General) Forward(q *mat.Dense, keys []*mat.Dense, lengths []int) (ctx, weights *mat.Dense) {
	h, k := a.W.Value.Dims()
	b, _ := checkAttn(q, keys, lengths, h)
	mustDims(keys[0], b, k)
	a.qw = mat.NewDense(b, k, nil)
	a.qw.Mul(q, a.W.Value) // (B×K) = (B×H)·(H×K)
	scores := mat.NewDense(b, len(keys), nil)
	for i := 0; i < b; i++ {
		qr := a.qw.RawRowView(i)
		for j, s := range keys {
			scores.Set(i, j, dot(qr, s.RawRowView(i)))
		}
	}
	return a.forward(q, keys, lengths, scores)
}

// Backward implements Attention.
func (a *General) Backward(dctx *mat.Dense) (dq *mat.Dense, dkeys []*mat.Dense) {
	de, dkeys := a.backward(dctx)
	b, k := a.qw.Dims()
	g := mat.NewDense(b, k, nil)
	for i, n := range a.lens {
		qr, gr := a.qw.RawRowView(i), g.RawRowView(i)
		for j := 0; j < n; j++ {
			e := de.At(i, j)
			axpy(gr, e, a.keys[j].RawRowView(i))
			axpy(dkeys[j].RawRowView(i), e, qr)
		}
	}
	var dw mat.Dense
	dw.Mul(a.q.T(), g) // (H×K) = (B×H)ᵀ·(B×K)
	a.W.Grad.Add(a.W.Grad, &dw)
	dq = &mat.Dense{}
	dq.Mul(g, a.W.Value.T()) // (B×H) = (B×K)·(K×H)
	return dq, dkeys
}

// Params returns W.
func (a *General) Params() []*nn.Param { return []*nn.Param{a.W} }

// Shared implements Attention.
func (a *General) Shared() Attention { return &General{W: a.W} }

// Additive is Bahdanau et al.'s additive attention, a one-hidden-layer
// network of the query and each key:
//
//	u_tj = tanh(h_t·Wq + s_j·Wk)                  Wq: H×A, Wk: K×A   (B×A)
//	score(h_t, s_j) = u_tj·vᵀ                      v: 1×A
//
// Backward, with dz_tj = ∂L/∂e_tj · v ⊙ (1 − u_tj²)  (B×A):
//
//	∂L/∂v  += Σ_j ∂L/∂e_tj · u_tj
//	∂L/∂Wq += h_tᵀ·Σ_j dz_tj,    ∂L/∂h_t = (Σ_j dz_tj)·Wqᵀ
//	∂L/∂Wk += Σ_j s_jᵀ·dz_tj,    ∂L/∂s_j += dz_tj·Wkᵀ
//
// s_j·Wk does not depend on the decoder step; Forward recomputes it at
// every step for clarity (see BUG).
type Additive struct {
	Wq, Wk, V *nn.Param
	attend
	u []*mat.Dense // T_src blocks B×A
}

// BUG(seq2seq): Additive recomputes the key projections s_j·Wk at every
// decoder step instead of once per source batch.

// NewAdditive returns an additive attention block for queries of width h,
// keys of width k and a hidden layer of width dim, Xavier-initialised.
func NewAdditive(rng *rand.Rand, h, k, dim int) *Additive {
	a := &Additive{Wq: nn.NewParam("Wq", h, dim), Wk: nn.NewParam("Wk", k, dim), V: nn.NewParam("v", 1, dim)}
	nn.InitXavier(rng, a.Wq.Value)
	nn.InitXavier(rng, a.Wk.Value)
	nn.InitXavier(rng, a.V.Value)
	return a
}

// Forward implements Attention.
func (a *Additive) Forward(q *mat.Dense, keys []*mat.Dense, lengths []int) (ctx, weights *mat.Dense) {
	h, dim := a.Wq.Value.Dims()
	k, _ := a.Wk.Value.Dims()
	b, _ := checkAttn(q, keys, lengths, h)
	mustDims(keys[0], b, k)
	var qa mat.Dense
	qa.Mul(q, a.Wq.Value) // (B×A) = (B×H)·(H×A)
	v := a.V.Value.RawRowView(0)
	scores := mat.NewDense(b, len(keys), nil)
	a.u = a.u[:0]
	for j, s := range keys {
		u := mat.NewDense(b, dim, nil)
		u.Mul(s, a.Wk.Value) // (B×A) = (B×K)·(K×A)
		u.Add(u, &qa)
		for i := 0; i < b; i++ {
			row := u.RawRowView(i)
			for l, x := range row {
				row[l] = math.Tanh(x)
			}
			scores.Set(i, j, dot(row, v))
		}
		a.u = append(a.u, u)
	}
	return a.forward(q, keys, lengths, scores)
}

// Backward implements Attention.
func (a *Additive) Backward(dctx *mat.Dense) (dq *mat.Dense, dkeys []*mat.Dense) {
	de, dkeys := a.backward(dctx)
	b, dim := a.u[0].Dims()
	v, dv := a.V.Value.RawRowView(0), a.V.Grad.RawRowView(0)
	dzSum := mat.NewDense(b, dim, nil)
	dz := mat.NewDense(b, dim, nil)
	var dwk, dsk mat.Dense
	for j, u := range a.u {
		dz.Zero()
		for i, n := range a.lens {
			if j >= n {
				continue
			}
			e := de.At(i, j)
			ur, dzr, sr := u.RawRowView(i), dz.RawRowView(i), dzSum.RawRowView(i)
			for l, x := range ur {
				dv[l] += e * x
				dzr[l] = e * v[l] * (1 - x*x)
				sr[l] += dzr[l]
			}
		}
		dwk.Mul(a.keys[j].T(), dz) // (K×A) = (B×K)ᵀ·(B×A)
		a.Wk.Grad.Add(a.Wk.Grad, &dwk)
		dsk.Mul(dz, a.Wk.Value.T()) // (B×K) = (B×A)·(A×K)
		dkeys[j].Add(dkeys[j], &dsk)
	}
	var dwq mat.Dense
	dwq.Mul(a.q.T(), dzSum) // (H×A) = (B×H)ᵀ·(B×A)
	a.Wq.Grad.Add(a.Wq.Grad, &dwq)
	dq = &mat.Dense{}
	dq.Mul(dzSum, a.Wq.Value.T()) // (B×H) = (B×A)·(A×H)
	return dq, dkeys
}

// Params returns Wq, Wk and v.
func (a *Additive) Params() []*nn.Param { return []*nn.Param{a.Wq, a.Wk, a.V} }

// Shared implements Attention.
func (a *Additive) Shared() Attention { return &Additive{Wq: a.Wq, Wk: a.Wk, V: a.V} }

// checkAttn checks the query (B×h, any width when h < 0), that every key
// step has B rows and the same width, and the lengths; it returns B and the
// query width.
func checkAttn(q *mat.Dense, keys []*mat.Dense, lengths []int, h int) (b, w int) {
	b, w = q.Dims()
	if len(keys) == 0 || (h >= 0 && w != h) || (lengths != nil && len(lengths) != b) {
		panic(nn.ErrShape)
	}
	_, k := keys[0].Dims()
	for _, s := range keys {
		mustDims(s, b, k)
	}
	return b, w
}

func mustDims(m *mat.Dense, r, c int) {
	mr, mc := m.Dims()
	if (r >= 0 && mr != r) || (c >= 0 && mc != c) {
		panic(nn.ErrShape)
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// axpy adds alpha·x to dst.
func axpy(dst []float64, alpha float64, x []float64) {
	for i, v := range x {
		dst[i] += alpha * v
	}
}
