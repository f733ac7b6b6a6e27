package attention

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// naiveAttend is the loop version of Forward, one row and one slot at a
// time, straight from the formulas of the package documentation:
//
//	e_bj = score(q_b, k_bj),   a_b = softmax(e_b[:n_b], e zeros)[:n_b] (or e_b[:n_b]),   c_b = Σ_j a_bj·v_bj
//
// q is B×H (q[b]), keys and values are [b][j] vectors, score the kind's
// score of one query and one key. It is the reference that
// TestMatchesNaive pins the fast blocks to.
func naiveAttend(score func(q, k []float64) float64, q [][]float64, keys, vals [][][]float64, lengths, empty []int, linear bool) (ctx, weights [][]float64) {
	for b, qb := range q {
		n, slots := lengths[b], len(keys[b])
		e := 0 // empty slots of score 0: a term exp(0 − mx) each in the sum
		if empty != nil {
			e = empty[b]
		}
		w := make([]float64, slots)
		for j := 0; j < n; j++ {
			w[j] = score(qb, keys[b][j])
		}
		if !linear && n > 0 {
			mx := math.Inf(-1)
			for j := 0; j < n; j++ {
				mx = math.Max(mx, w[j])
			}
			if e > 0 {
				mx = math.Max(mx, 0)
			}
			sum := float64(e) * math.Exp(-mx)
			for j := 0; j < n; j++ {
				w[j] = math.Exp(w[j] - mx)
				sum += w[j]
			}
			for j := 0; j < n; j++ {
				w[j] /= sum
			}
		}
		c := make([]float64, len(vals[b][0]))
		for j := 0; j < n; j++ {
			for l := range c {
				c[l] += w[j] * vals[b][j][l]
			}
		}
		ctx, weights = append(ctx, c), append(weights, w)
	}
	return ctx, weights
}

// naiveScore returns the score of a, a block of kind, by loops over its
// weights.
func naiveScore(kind string, a Attention) func(q, k []float64) float64 {
	dot := func(x, y []float64) float64 {
		s := 0.0
		for i := range x {
			s += x[i] * y[i]
		}
		return s
	}
	// times returns the row x times the matrix w.
	times := func(x []float64, w *mat.Dense) []float64 {
		_, c := w.Dims()
		y := make([]float64, c)
		for j := range y {
			for i, xi := range x {
				y[j] += xi * w.At(i, j)
			}
		}
		return y
	}
	switch kind {
	case "general":
		a := a.(*General)
		return func(q, k []float64) float64 { return dot(times(q, a.W.Value), k) } // q·W·kᵀ
	case "bahdanau":
		a := a.(*Additive)
		return func(q, k []float64) float64 { // tanh(q·Wq + k·Wk)·vᵀ
			u, p := times(q, a.Wq.Value), times(k, a.Wk.Value)
			for l := range u {
				u[l] = math.Tanh(u[l] + p[l])
			}
			return dot(u, a.V.Value.RawRowView(0))
		}
	}
	return dot // q·kᵀ
}

// byRow returns the T slots xs (each B×w) as [b][j] vectors.
func byRow(xs []*mat.Dense) [][][]float64 {
	b, _ := xs[0].Dims()
	out := make([][][]float64, b)
	for i := range out {
		for _, x := range xs {
			out[i] = append(out[i], x.RawRowView(i))
		}
	}
	return out
}

// TestMatchesNaive pins every block's Forward, in every variant, to
// naiveAttend: the same weights and context to within 1e-13 relative
// (the fast path's exp and tanh are lib/blas's, within a few ulp of math's,
// and its sums run in another order).
func TestMatchesNaive(t *testing.T) {
	const tol = 1e-13
	for _, kind := range []string{"bahdanau", "general", "dot"} {
		for _, v := range variants {
			rng := rand.New(rand.NewPCG(5, 5))
			a := newBlock(rng, kind, v.linear)
			q := randDense(rng, tB, tH)
			keys := values(randParams(rng, "k", tT, tB, tH))
			vals := keys
			var given []*mat.Dense
			if v.values {
				given = values(randParams(rng, "v", tT, tB, tV))
				vals = given
			}
			mem := a.Memory(keys, given, tLengths)
			mem.Empty = emptyOf(v)
			ctx, w := a.Forward(q, mem)
			qRows := make([][]float64, tB)
			for i := range qRows {
				qRows[i] = q.RawRowView(i)
			}
			wantCtx, wantW := naiveAttend(naiveScore(kind, a), qRows, byRow(keys), byRow(vals), tLengths, emptyOf(v), v.linear)
			for i := 0; i < tB; i++ {
				for name, pair := range map[string][2][]float64{"ctx": {ctx.RawRowView(i), wantCtx[i]}, "weights": {w.RawRowView(i), wantW[i]}} {
					for j, got := range pair[0] {
						want := pair[1][j]
						if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
							t.Errorf("%s/%v: %s[%d,%d] = %.17g, naive %.17g", kind, v, name, i, j, got, want)
						}
					}
				}
			}
		}
	}
}
