package nn_test

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

func randDense(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	nn.InitNormal(rng, m, 1)
	return m
}

func mustPass(t *testing.T, r gradcheck.Report) {
	t.Helper()
	if err := r.Err(gradcheck.Tol); err != nil {
		t.Fatal(err)
	}
	if r.Checked == 0 {
		t.Fatal("gradcheck compared no elements")
	}
}

func TestGradLayers(t *testing.T) {
	const b, in = 2, 4
	for _, tc := range []struct {
		name  string
		layer func(rng *rand.Rand) nn.Layer
	}{
		{"Linear", func(rng *rand.Rand) nn.Layer { return nn.NewLinear(rng, in, in) }},
		{"Tanh", func(*rand.Rand) nn.Layer { return &nn.Tanh{} }},
		{"Sigmoid", func(*rand.Rand) nn.Layer { return &nn.Sigmoid{} }},
		{"ReLU", func(*rand.Rand) nn.Layer { return &nn.ReLU{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 1))
			l := tc.layer(rng)
			if lin, ok := l.(*nn.Linear); ok {
				nn.InitNormal(rng, lin.B.Value, 1) // a zero bias would hide a wrong db
			}
			mustPass(t, gradcheck.Layer(l, randDense(rng, b, in), rng))
		})
	}
}

// The talk's feed-forward step as a chain of layers: Linear → Tanh → Linear.
func TestGradFeedForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	l1, act, l2 := nn.NewLinear(rng, 4, 5), &nn.Tanh{}, nn.NewLinear(rng, 5, 3)
	x := &nn.Param{Name: "x", Value: randDense(rng, 2, 4), Grad: mat.NewDense(2, 4, nil)}
	r := randDense(rng, 2, 3)
	loss := func() float64 {
		var m mat.Dense
		m.MulElem(l2.Forward(act.Forward(l1.Forward(x.Value))), r)
		return mat.Sum(&m)
	}
	backward := func() { x.Grad.Add(x.Grad, l1.Backward(act.Backward(l2.Backward(r)))) }
	params := append(append(l1.Params(), l2.Params()...), x)
	mustPass(t, gradcheck.Check(loss, backward, params))
}

func TestGradSoftmaxCrossEntropy(t *testing.T) {
	for _, tc := range []struct {
		name string
		sum  bool
		mask []float64
	}{
		{"mean", false, nil},
		{"sum", true, nil},
		{"masked", false, []float64{1, 0, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 3))
			z := &nn.Param{Name: "z", Value: randDense(rng, 3, 5), Grad: mat.NewDense(3, 5, nil)}
			ce := &nn.SoftmaxCrossEntropy{Sum: tc.sum}
			targets := []int{0, 4, 2}
			mustPass(t, gradcheck.Check(
				func() float64 { return ce.Forward(z.Value, targets, tc.mask) },
				func() { z.Grad.Add(z.Grad, ce.Backward()) },
				[]*nn.Param{z}))
		})
	}
}

func TestSoftmaxCrossEntropyValues(t *testing.T) {
	for _, tc := range []struct {
		name   string
		logits []float64
		target int
		want   float64
	}{
		// Uniform logits over V classes: −log(1/V).
		{"uniform", []float64{0, 0, 0, 0}, 2, math.Log(4)},
		// Huge logits must not overflow: softmax(1000, 0) = (1, e^−1000) ≈ (1, 0).
		{"large", []float64{1000, 0}, 0, 0},
		{"large-wrong", []float64{1000, 0}, 1, 1000},
		// −log σ(1) for two classes with logits (1, 0): log(1+e^−1) = 0.313262.
		{"two", []float64{1, 0}, 0, math.Log1p(math.Exp(-1))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ce nn.SoftmaxCrossEntropy
			got := ce.Forward(mat.NewDense(1, len(tc.logits), tc.logits), []int{tc.target}, nil)
			if math.Abs(got-tc.want) > 1e-12 || math.IsNaN(got) {
				t.Fatalf("loss = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSoftmaxCrossEntropyMaskedRowsIgnored(t *testing.T) {
	var ce nn.SoftmaxCrossEntropy
	logits := mat.NewDense(2, 3, []float64{1, 2, 3, 100, -100, 7})
	// The second row is padding: its (bad) target is never read, and it adds nothing.
	got := ce.Forward(logits, []int{2, 99}, []float64{1, 0})
	var one nn.SoftmaxCrossEntropy
	want := one.Forward(mat.NewDense(1, 3, []float64{1, 2, 3}), []int{2}, nil)
	if got != want {
		t.Fatalf("masked loss %v, want %v", got, want)
	}
	if g := ce.Backward().RawRowView(1); g[0] != 0 || g[1] != 0 || g[2] != 0 {
		t.Fatalf("padding row gradient %v, want zeros", g)
	}
}

func TestGradEmbedding(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	e := nn.NewEmbedding(rng, 6, 3)
	ids := []int{1, 4, 1, 0} // a repeated id: its gradient rows must add up
	r := randDense(rng, len(ids), 3)
	mustPass(t, gradcheck.Check(
		func() float64 {
			var m mat.Dense
			m.MulElem(e.Forward(ids), r)
			return mat.Sum(&m)
		},
		func() { e.Backward(r) },
		e.Params()))
}

func TestReplicaSharesWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	l := nn.NewLinear(rng, 3, 2)
	r := l.Replica()
	if r.W.Value != l.W.Value || r.W.Grad == l.W.Grad {
		t.Fatal("replica must share Value and own Grad")
	}
	x := randDense(rng, 4, 3)
	dy := randDense(rng, 4, 2)
	l.Forward(x)
	l.Backward(dy)
	r.Forward(x)
	r.Backward(dy)
	if !mat.Equal(l.W.Grad, r.W.Grad) {
		t.Fatal("replica gradient differs from the original's")
	}
}

func TestShapeMismatchPanics(t *testing.T) {
	defer func() {
		if recover() != nn.ErrShape {
			t.Fatal("want panic nn.ErrShape")
		}
	}()
	rng := rand.New(rand.NewPCG(6, 6))
	nn.NewLinear(rng, 3, 2).Forward(mat.NewDense(1, 4, nil))
}

// AddGrads folds a replica's gradients into the model's, weighed by share;
// the replica's are left as they were.
func TestAddGrads(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	model, replica := nn.NewLinear(rng, 3, 2), nn.NewLinear(rng, 3, 2)
	for _, l := range []*nn.Linear{model, replica} {
		for _, p := range l.Params() {
			p.Grad.Copy(randDense(rng, p.Grad.RawMatrix().Rows, p.Grad.RawMatrix().Cols))
		}
	}
	var want []*mat.Dense
	for i, p := range model.Params() {
		w := mat.DenseCopyOf(p.Grad)
		w.Apply(func(r, c int, v float64) float64 { return v + 0.25*replica.Params()[i].Grad.At(r, c) }, w)
		want = append(want, w)
	}
	nn.AddGrads(model.Params(), replica.Params(), 0.25)
	for i, p := range model.Params() {
		if !mat.Equal(p.Grad, want[i]) {
			t.Errorf("%s: gradient %v, want %v", p.Name, mat.Formatted(p.Grad), mat.Formatted(want[i]))
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("AddGrads with lists of different lengths did not panic")
		}
	}()
	nn.AddGrads(model.Params(), replica.Params()[:1], 1)
}

// TestShareOut: the shares cover the batch once, in order, and differ by
// one example at most; Workers caps the count by the smallest share.
func TestShareOut(t *testing.T) {
	for _, c := range []struct{ workers, n, minShare, want int }{
		{4, 32, 8, 4}, {4, 31, 8, 3}, {3, 10, 16, 0}, {2, 100, 1, 2},
	} {
		if got := nn.Workers(c.workers, c.n, c.minShare); got != c.want {
			t.Errorf("Workers(%d, %d, %d) = %d, want %d", c.workers, c.n, c.minShare, got, c.want)
		}
	}
	if nn.Workers(0, 1<<20, 1) != runtime.GOMAXPROCS(0) {
		t.Error("nn.Workers(0, …) is not GOMAXPROCS")
	}
	const w, n = 3, 10
	seen := make([]int, n)
	sizes := make([]int, w)
	nn.ShareOut(w, n, func(k, lo, hi int) {
		sizes[k] = hi - lo
		for i := lo; i < hi; i++ {
			seen[i]++ // each index belongs to one worker: no race
		}
	})
	for i, c := range seen {
		if c != 1 {
			t.Errorf("example %d taken %d times", i, c)
		}
	}
	if sizes[0] < 3 || sizes[2] > 4 || sizes[0]+sizes[1]+sizes[2] != n {
		t.Errorf("shares %v of %d", sizes, n)
	}
}
