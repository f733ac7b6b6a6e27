package attention

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Test sizes: B rows, T slots, H query width (= K, the key width, for
// dot), V value width, A the additive block's hidden width.
const tB, tT, tH, tV, tA = 4, 4, 3, 2, 5

// tLengths pads the batch: a full row, two shorter ones and an empty one.
var tLengths = []int{4, 2, 3, 0}

func randDense(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

// randParams returns n random r×c parameters named name0, name1, ….
func randParams(rng *rand.Rand, name string, n, r, c int) []*nn.Param {
	ps := make([]*nn.Param, n)
	for j := range ps {
		ps[j] = &nn.Param{Name: fmt.Sprintf("%s%d", name, j), Value: randDense(rng, r, c), Grad: mat.NewDense(r, c, nil)}
	}
	return ps
}

func values(ps []*nn.Param) []*mat.Dense {
	if ps == nil {
		return nil
	}
	vs := make([]*mat.Dense, len(ps))
	for j, p := range ps {
		vs[j] = p.Value
	}
	return vs
}

// variant is one way of using a block: softmax or linear weights, values
// of their own or the keys, empty slots (Memory.Empty) or none.
type variant struct {
	linear, values, empty bool
}

func (v variant) String() string {
	return fmt.Sprintf("linear=%v/values=%v/empty=%v", v.linear, v.values, v.empty)
}

var variants = []variant{{false, false, false}, {false, true, false}, {true, false, false}, {true, true, false},
	{false, false, true}, {false, true, true}, {true, true, true}}

// tEmpty gives the rows of tLengths empty slots: none for the full row,
// some for the others, the empty row included (all its weight on them).
var tEmpty = []int{0, 3, 1, 2}

// emptyOf returns tEmpty for a variant with empty slots, else nil.
func emptyOf(v variant) []int {
	if v.empty {
		return tEmpty
	}
	return nil
}

// newBlock returns a block of kind with its Linear set.
func newBlock(rng *rand.Rand, kind string, linear bool) Attention {
	switch kind {
	case "general":
		a := NewGeneral(rng, tH, tH)
		a.Linear = linear
		return a
	case "bahdanau":
		a := NewAdditive(rng, tH, tH, tA)
		a.Linear = linear
		return a
	}
	return &Dot{Linear: linear}
}

// sumProduct returns Σ a ⊙ b.
func sumProduct(a, b *mat.Dense) float64 {
	var m mat.Dense
	m.MulElem(a, b)
	return mat.Sum(&m)
}

// TestGrad checks every block's Backward and MemoryBackward against central
// differences, for L = Σ_t (Σ r_t ⊙ ctx_t + Σ w_t ⊙ weights_t) over two
// queries that share one padded Memory (so that the Memory's sums over
// queries are checked too), with fixed random r_t and w_t.
func TestGrad(t *testing.T) {
	for _, kind := range []string{"bahdanau", "general", "dot"} {
		for _, v := range variants {
			t.Run(kind+"/"+v.String(), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(1, 1))
				a := newBlock(rng, kind, v.linear)
				qs := randParams(rng, "q", 2, tB, tH)
				keys := randParams(rng, "k", tT, tB, tH)
				var vals []*nn.Param
				width := tH
				if v.values {
					vals, width = randParams(rng, "v", tT, tB, tV), tV
				}
				rs, ws := make([]*mat.Dense, 2), make([]*mat.Dense, 2)
				for s := range rs {
					rs[s], ws[s] = randDense(rng, tB, width), randDense(rng, tB, tT)
				}
				steps := []Attention{a.Shared(), a.Shared()}
				var mem *Memory
				loss := func() float64 {
					mem = a.Memory(values(keys), values(vals), tLengths)
					mem.Empty = emptyOf(v)
					sum := 0.0
					for s, q := range qs {
						ctx, w := steps[s].Forward(q.Value, mem)
						sum += sumProduct(ctx, rs[s]) + sumProduct(w, ws[s])
					}
					return sum
				}
				backward := func() {
					for s := len(qs) - 1; s >= 0; s-- {
						qs[s].Grad.Add(qs[s].Grad, steps[s].Backward(rs[s], ws[s]))
					}
					dk, dv := a.MemoryBackward(mem)
					if (dv == nil) == v.values {
						t.Fatalf("MemoryBackward returned dvalues %v with values %v", dv != nil, v.values)
					}
					for j := range keys {
						keys[j].Grad.Add(keys[j].Grad, dk[j])
						if v.values {
							vals[j].Grad.Add(vals[j].Grad, dv[j])
						}
					}
				}
				params := append(append(append(a.Params(), qs...), keys...), vals...)
				rep := gradcheck.Check(loss, backward, params)
				if err := rep.Err(gradcheck.Tol); err != nil {
					t.Error(err)
				}
				t.Log(rep)
			})
		}
	}
}

// TestNilGradients: Backward with a nil ∂L/∂ctx or ∂L/∂weights is Backward
// with zeros there.
func TestNilGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	a := NewGeneral(rng, tH, tH)
	q, keys := randDense(rng, tB, tH), values(randParams(rng, "k", tT, tB, tH))
	dctx, dw := randDense(rng, tB, tH), randDense(rng, tB, tT)
	for _, c := range []struct {
		name     string
		dctx, dw *mat.Dense // the gradients passed
		zctx, zw *mat.Dense // the same with zeros for nil
	}{
		{"nil weights", dctx, nil, dctx, mat.NewDense(tB, tT, nil)},
		{"nil ctx", nil, dw, mat.NewDense(tB, tH, nil), dw},
	} {
		b := a.Shared()
		mem := b.Memory(keys, nil, tLengths)
		b.Forward(q, mem)
		got := b.Backward(c.dctx, c.dw)
		mem = b.Memory(keys, nil, tLengths)
		b.Forward(q, mem)
		want := b.Backward(c.zctx, c.zw)
		if !mat.Equal(got, want) {
			t.Errorf("%s: dq %v, want %v", c.name, mat.Formatted(got), mat.Formatted(want))
		}
	}
}

// TestWeights checks the masked softmax and the linear weights by hand:
// rows sum to one over their length, padding gets zero, equal scores give
// equal weights; linear weights are the scores.
func TestWeights(t *testing.T) {
	q := mat.NewDense(2, 2, []float64{0, 0, 1, 0})
	keys := []*mat.Dense{
		mat.NewDense(2, 2, []float64{1, 2, 1, 0}),
		mat.NewDense(2, 2, []float64{3, 4, 0, 0}),
		mat.NewDense(2, 2, []float64{5, 6, 0, 1}),
	}
	e := math.E
	for _, c := range []struct {
		linear  bool
		want    []float64 // the weights, row by row
		wantCtx []float64 // row 0 of the context
	}{
		// Row 0: q = 0, so both real slots score 0 and weigh ½: ctx = (2, 3).
		// Row 1: scores 1, 0, 0: weights e/(e+2), 1/(e+2), 1/(e+2).
		{false, []float64{0.5, 0.5, 0, e / (e + 2), 1 / (e + 2), 1 / (e + 2)}, []float64{2, 3}},
		// Linear: the scores themselves, so row 0 weighs nothing.
		{true, []float64{0, 0, 0, 1, 0, 0}, []float64{0, 0}},
	} {
		a := &Dot{Linear: c.linear}
		ctx, w := a.Forward(q, a.Memory(keys, nil, []int{2, 3}))
		for i, v := range c.want {
			if got := w.At(i/3, i%3); math.Abs(got-v) > 1e-15 {
				t.Errorf("linear %v: weight[%d,%d] = %v, want %v", c.linear, i/3, i%3, got, v)
			}
		}
		if ctx.At(0, 0) != c.wantCtx[0] || ctx.At(0, 1) != c.wantCtx[1] {
			t.Errorf("linear %v: ctx row 0 = %v, want %v", c.linear, ctx.RawRowView(0), c.wantCtx)
		}
	}
}

// TestRows: a Memory of some rows attends as those rows of the whole one.
func TestRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, withValues := range []bool{false, true} {
		a := NewAdditive(rng, tH, tH, tA)
		keys := values(randParams(rng, "k", tT, tB, tH))
		var vals []*mat.Dense
		if withValues {
			vals = values(randParams(rng, "v", tT, tB, tV))
		}
		q := randDense(rng, tB, tH)
		mem := a.Memory(keys, vals, tLengths)
		ctx, w := a.Forward(q, mem)
		ctx, w = mat.DenseCopyOf(ctx), mat.DenseCopyOf(w)
		idx := []int{2, 0, 2}
		sub := mem.Rows(idx)
		qs := mat.NewDense(len(idx), tH, nil)
		for i, r := range idx {
			qs.SetRow(i, q.RawRowView(r))
		}
		sctx, sw := a.Forward(qs, sub)
		for i, r := range idx {
			if !mat.Equal(sctx.RowView(i), ctx.RowView(r)) || !mat.Equal(sw.RowView(i), w.RowView(r)) {
				t.Errorf("values %v: row %d of Rows(%v) differs from row %d", withValues, i, idx, r)
			}
		}
	}
}

func TestNewAttentionErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	if _, err := NewAttention(rng, "cosine", 2, 2, 2); err == nil {
		t.Error("unknown kind: no error")
	}
	if _, err := NewAttention(rng, "dot", 2, 3, 2); err == nil {
		t.Error("dot with unequal widths: no error")
	}
}

// TestShapes: a query, a key or a value of the wrong shape panics with
// nn.ErrShape.
func TestShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	keys := values(randParams(rng, "k", tT, tB, tH))
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"query width", func() { d := &Dot{}; d.Forward(randDense(rng, tB, tH+1), d.Memory(keys, nil, nil)) }},
		{"query rows", func() { d := &Dot{}; d.Forward(randDense(rng, tB+1, tH), d.Memory(keys, nil, nil)) }},
		{"values count", func() { (&Dot{}).Memory(keys, keys[:1], nil) }},
		{"value rows", func() { (&Dot{}).Memory(keys, values(randParams(rng, "v", tT, tB+1, tV)), nil) }},
		{"lengths", func() { (&Dot{}).Memory(keys, nil, []int{1}) }},
		{"length", func() { (&Dot{}).Memory(keys, nil, []int{1, 2, 3, tT + 1}) }},
		{"key width", func() { NewGeneral(rng, tH, tH+1).Memory(keys, nil, nil) }},
	} {
		func() {
			defer func() {
				if r := recover(); r != nn.ErrShape {
					t.Errorf("%s: recovered %v, want nn.ErrShape", c.name, r)
				}
			}()
			c.f()
		}()
	}
}

// TestEmptyIsZeroPadding: a Memory with empty slots attends as one whose
// rows are padded with as many zero keys and values and whose lengths
// count them: the same context, the same weights on the real slots.
func TestEmptyIsZeroPadding(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	q := randDense(rng, tB, tH)
	keys, vals := values(randParams(rng, "k", tT, tB, tH)), values(randParams(rng, "v", tT, tB, tV))
	most := 0
	for i, n := range tLengths {
		most = max(most, n+tEmpty[i])
	}
	// The padded memory: row i's real slots, then tEmpty[i] zero slots.
	pk, pv, lengths := make([]*mat.Dense, most), make([]*mat.Dense, most), make([]int, tB)
	for j := range pk {
		pk[j], pv[j] = mat.NewDense(tB, tH, nil), mat.NewDense(tB, tV, nil)
		for i, n := range tLengths {
			if j < n {
				copy(pk[j].RawRowView(i), keys[j].RawRowView(i))
				copy(pv[j].RawRowView(i), vals[j].RawRowView(i))
			}
		}
	}
	for i, n := range tLengths {
		lengths[i] = n + tEmpty[i]
	}
	for _, kind := range []string{"general", "dot"} {
		a := newBlock(rand.New(rand.NewPCG(4, 4)), kind, false)
		mem := a.Memory(keys, vals, tLengths)
		mem.Empty = tEmpty
		ctx, w := a.Forward(q, mem)
		ctx, w = mat.DenseCopyOf(ctx), mat.DenseCopyOf(w)
		wantCtx, wantW := a.Forward(q, a.Memory(pk, pv, lengths))
		if !mat.EqualApprox(ctx, wantCtx, 1e-14) {
			t.Errorf("%s: context %v, zero-padded %v", kind, mat.Formatted(ctx), mat.Formatted(wantCtx))
		}
		for i, n := range tLengths {
			for j := 0; j < n; j++ {
				if got, want := w.At(i, j), wantW.At(i, j); math.Abs(got-want) > 1e-14 {
					t.Errorf("%s: weight [%d,%d] %v, zero-padded %v", kind, i, j, got, want)
				}
			}
		}
	}
}
