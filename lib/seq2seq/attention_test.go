package seq2seq

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

func randDense(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

// TestAttentionGrad checks every block's Backward against central
// differences, for L = Σ r ⊙ ctx with a fixed random r, on 3 rows of which
// one is padded (length 2 of 4) and one empty-free full row.
func TestAttentionGrad(t *testing.T) {
	const b, h, steps = 3, 4, 4
	lengths := []int{4, 2, 3}
	for _, kind := range []string{"bahdanau", "general", "dot"} {
		t.Run(kind, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 1))
			a, err := NewAttention(rng, kind, h, h, 5)
			if err != nil {
				t.Fatal(err)
			}
			q := &nn.Param{Name: "q", Value: randDense(rng, b, h), Grad: mat.NewDense(b, h, nil)}
			keys := make([]*nn.Param, steps)
			vals := make([]*mat.Dense, steps)
			for j := range keys {
				keys[j] = &nn.Param{Name: fmt.Sprintf("s%d", j), Value: randDense(rng, b, h), Grad: mat.NewDense(b, h, nil)}
				vals[j] = keys[j].Value
			}
			r := randDense(rng, b, h)
			var mem *Memory
			loss := func() float64 {
				mem = a.Memory(vals, lengths)
				ctx, _ := a.Forward(q.Value, mem)
				var m mat.Dense
				m.MulElem(ctx, r)
				return mat.Sum(&m)
			}
			backward := func() {
				dq := a.Backward(r)
				q.Grad.Add(q.Grad, dq)
				for j, d := range a.MemoryBackward(mem) {
					keys[j].Grad.Add(keys[j].Grad, d)
				}
			}
			params := append(append(a.Params(), q), keys...)
			rep := gradcheck.Check(loss, backward, params)
			if err := rep.Err(gradcheck.Tol); err != nil {
				t.Error(err)
			}
			t.Log(rep)
		})
	}
}

// TestAttentionWeights checks the masked softmax: rows sum to one over
// their length, padding gets zero, and equal scores give equal weights.
func TestAttentionWeights(t *testing.T) {
	a := &Dot{}
	q := mat.NewDense(2, 2, []float64{0, 0, 1, 0})
	keys := []*mat.Dense{
		mat.NewDense(2, 2, []float64{1, 2, 1, 0}),
		mat.NewDense(2, 2, []float64{3, 4, 0, 0}),
		mat.NewDense(2, 2, []float64{5, 6, 0, 1}),
	}
	ctx, w := a.Forward(q, a.Memory(keys, []int{2, 3}))
	// Row 0: q = 0, so both real steps score 0 and weigh ½: ctx = (2, 3).
	// Row 1: scores 1, 0, 0: weights e/(e+2), 1/(e+2), 1/(e+2).
	e := math.E
	want := []float64{0.5, 0.5, 0, e / (e + 2), 1 / (e + 2), 1 / (e + 2)}
	for i, v := range want {
		if got := w.At(i/3, i%3); math.Abs(got-v) > 1e-15 {
			t.Errorf("weight[%d,%d] = %v, want %v", i/3, i%3, got, v)
		}
	}
	if ctx.At(0, 0) != 2 || ctx.At(0, 1) != 3 {
		t.Errorf("ctx row 0 = %v, want (2, 3)", ctx.RawRowView(0))
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
