package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Tiny sizes keep every gradient check fast: B=2 sequences of T=3 steps,
// input width d=4, hidden width H=5.
const (
	tB, tT, tD, tH = 2, 3, 4, 5
)

// tolExact is the tolerance of two computations that do the same arithmetic
// in a different order (a blocked gemm against a per-step one, a summed
// gradient against two accumulated ones): a few ulps of values of order one.
const tolExact = 1e-12

// recurrentKinds builds each recurrent layer with random (not zero, not one)
// biases, so that a wrong bias gradient cannot hide.
var recurrentKinds = []struct {
	name string
	make func(rng *rand.Rand, in, hidden int) nn.Recurrent
}{
	{"RNN", func(rng *rand.Rand, in, hidden int) nn.Recurrent {
		return randomBiases(rng, nn.NewRNN(rng, in, hidden))
	}},
	{"LSTM", func(rng *rand.Rand, in, hidden int) nn.Recurrent {
		return randomBiases(rng, nn.NewLSTM(rng, in, hidden))
	}},
	{"GRU", func(rng *rand.Rand, in, hidden int) nn.Recurrent {
		return randomBiases(rng, nn.NewGRU(rng, in, hidden))
	}},
}

func randomBiases(rng *rand.Rand, l nn.Recurrent) nn.Recurrent {
	for _, p := range l.Params() {
		if r, _ := p.Value.Dims(); r == 1 {
			nn.InitNormal(rng, p.Value, 0.5)
		}
	}
	return l
}

func randSeq(rng *rand.Rand, steps, b, d int) []*mat.Dense {
	xs := make([]*mat.Dense, steps)
	for t := range xs {
		xs[t] = randDense(rng, b, d)
	}
	return xs
}

// checkPass logs the report (go test -v shows the margin) and fails unless
// it is below gradcheck.Tol.
func checkPass(t *testing.T, r gradcheck.Report) {
	t.Helper()
	t.Log(r)
	mustPass(t, r)
}

// sumProd returns Σ a ⊙ b.
func sumProd(a, b *mat.Dense) float64 {
	var m mat.Dense
	m.MulElem(a, b)
	return mat.Sum(&m)
}

// checkRecurrent is gradcheck.Seq extended to both ends of the sequence.
// Besides the inputs and weights it perturbs the initial state (h0, and c0
// when not nil), and adds Σ rh ⊙ h_T + Σ rc ⊙ c_T to the loss, so that
// StateGrad (∂L/∂h0) and SetStateGrad (∂L/∂h_T) are checked too.
func checkRecurrent(l nn.Recurrent, xs []*mat.Dense, lengths []int, h0, c0 *mat.Dense, rng *rand.Rand) gradcheck.Report {
	var ins []*nn.Param
	vals := make([]*mat.Dense, len(xs))
	for t, x := range xs {
		p := &nn.Param{Name: fmt.Sprintf("x%d", t), Value: mat.DenseCopyOf(x), Grad: mat.NewDense(tB, tD, nil)}
		ins, vals[t] = append(ins, p), p.Value
	}
	state := func(name string, m *mat.Dense) *nn.Param {
		if m == nil {
			return nil
		}
		r, c := m.Dims()
		p := &nn.Param{Name: name, Value: mat.DenseCopyOf(m), Grad: mat.NewDense(r, c, nil)}
		ins = append(ins, p)
		return p
	}
	hp, cp := state("h0", h0), state("c0", c0)
	value := func(p *nn.Param) *mat.Dense {
		if p == nil {
			return nil
		}
		return p.Value
	}

	var rys []*mat.Dense
	var rh, rc *mat.Dense
	loss := func() float64 {
		l.SetState(value(hp), value(cp))
		ys := l.ForwardSeq(vals, lengths)
		h, c := l.State()
		if rys == nil {
			for _, y := range ys {
				r, k := y.Dims()
				rys = append(rys, randDense(rng, r, k))
			}
			r, k := h.Dims()
			rh = randDense(rng, r, k)
			if c != nil {
				rc = randDense(rng, r, k)
			}
		}
		s := sumProd(h, rh)
		if c != nil {
			s += sumProd(c, rc)
		}
		for t, y := range ys {
			s += sumProd(y, rys[t])
		}
		return s
	}
	backward := func() {
		l.SetStateGrad(rh, rc)
		for t, dx := range l.BackwardSeq(rys) {
			ins[t].Grad.Add(ins[t].Grad, dx)
		}
		l.SetStateGrad(nil, nil)
		dh, dc := l.StateGrad()
		if hp != nil {
			hp.Grad.Add(hp.Grad, dh)
		}
		if cp != nil {
			cp.Grad.Add(cp.Grad, dc)
		}
	}
	return gradcheck.Check(loss, backward, append(l.Params(), ins...))
}

func TestGradRecurrent(t *testing.T) {
	for _, kind := range recurrentKinds {
		for _, tc := range []struct {
			name    string
			lengths []int
			state   bool // non-zero initial state, and a final-state gradient
		}{
			{"full", nil, false},
			{"padded", []int{3, 1}, false},
			{"state", nil, true},
			// Row 1 has no real step at all: h_T = h0 and ∂L/∂h0 = ∂L/∂h_T.
			{"state+padded", []int{2, 0}, true},
		} {
			t.Run(kind.name+"/"+tc.name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(10, 10))
				l := kind.make(rng, tD, tH)
				xs := randSeq(rng, tT, tB, tD)
				if !tc.state {
					checkPass(t, gradcheck.Seq(l, xs, tc.lengths, rng))
					return
				}
				var c0 *mat.Dense
				if kind.name == "LSTM" {
					c0 = randDense(rng, tB, tH)
				}
				checkPass(t, checkRecurrent(l, xs, tc.lengths, randDense(rng, tB, tH), c0, rng))
			})
		}
	}
}

func TestGradStack(t *testing.T) {
	for _, tc := range []struct {
		name     string
		residual int
		lengths  []int
	}{
		{"plain", 0, nil},
		{"padded", 0, []int{1, 3}},
		// Residual from layer 1 up: the GRU (5→5) and the RNN (5→5) add
		// their inputs to their outputs.
		{"residual", 1, nil},
		{"residual+padded", 1, []int{3, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, 11))
			s := nn.NewStack(
				randomBiases(rng, nn.NewLSTM(rng, tD, tH)),
				randomBiases(rng, nn.NewGRU(rng, tH, tH)),
				randomBiases(rng, nn.NewRNN(rng, tH, tH)),
			)
			s.Residual = tc.residual
			checkPass(t, gradcheck.Seq(s, randSeq(rng, tT, tB, tD), tc.lengths, rng))
		})
	}
}

func TestGradBidirectional(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lengths []int
	}{
		{"full", nil},
		{"padded", []int{3, 1}},
		{"padded-empty", []int{0, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(12, 12))
			bi := nn.NewBidirectional(
				randomBiases(rng, nn.NewLSTM(rng, tD, tH)),
				randomBiases(rng, nn.NewGRU(rng, tD, 3)), // the directions may differ in width
			)
			checkPass(t, gradcheck.Seq(bi, randSeq(rng, tT, tB, tD), tc.lengths, rng))
		})
	}
	// A bidirectional layer under a unidirectional one: the usual encoder.
	t.Run("stacked", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 13))
		s := nn.NewStack(
			nn.NewBidirectional(nn.NewLSTM(rng, tD, 3), nn.NewLSTM(rng, tD, 3)),
			nn.NewLSTM(rng, 6, tH),
		)
		checkPass(t, gradcheck.Seq(s, randSeq(rng, tT, tB, tD), []int{2, 3}, rng))
	})
}

// A padded step must leave the state of its row unchanged and output zeros,
// and must not disturb the other rows.
func TestPaddingCarriesState(t *testing.T) {
	for _, kind := range recurrentKinds {
		t.Run(kind.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(14, 14))
			l := kind.make(rng, tD, tH)
			xs := randSeq(rng, tT, tB, tD)
			h0 := randDense(rng, tB, tH)
			var c0 *mat.Dense
			if kind.name == "LSTM" {
				c0 = randDense(rng, tB, tH)
			}

			// Reference: row 1 alone for one step, row 0 over all steps.
			l.SetState(h0, c0)
			l.ForwardSeq(xs[:1], nil)
			h1, c1 := l.State()
			l.ForwardSeq(xs, nil)
			hFull, cFull := l.State()

			ys := l.ForwardSeq(xs, []int{tT, 1})
			h, c := l.State()
			for step := 1; step < tT; step++ {
				if got := ys[step].RawRowView(1); !allZero(got) {
					t.Errorf("padded output y_%d row 1 = %v, want zeros", step, got)
				}
			}
			equalRows(t, "h_T row 1 (carried from step 0)", h, h1, 1)
			equalRows(t, "h_T row 0 (unpadded)", h, hFull, 0)
			if c != nil {
				equalRows(t, "c_T row 1 (carried from step 0)", c, c1, 1)
				equalRows(t, "c_T row 0 (unpadded)", c, cFull, 0)
			}
		})
	}
}

func allZero(v []float64) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

func equalRows(t *testing.T, what string, got, want *mat.Dense, row int) {
	t.Helper()
	g, w := got.RawRowView(row), want.RawRowView(row)
	for j := range g {
		if math.Abs(g[j]-w[j]) > tolExact {
			t.Errorf("%s: got %v, want %v", what, g, w)
			return
		}
	}
}

func equalApprox(t *testing.T, what string, got, want *mat.Dense) {
	t.Helper()
	if !mat.EqualApprox(got, want, tolExact) {
		var d mat.Dense
		d.Sub(got, want)
		t.Errorf("%s: |Δ|∞ = %.3g\ngot  %.6f\nwant %.6f", what, mat.Norm(&d, math.Inf(1)),
			mat.Formatted(got), mat.Formatted(want))
	}
}

// The talk's stateful Step, called T times, must give the same outputs and
// final state as one ForwardSeq over the T steps from the same state.
func TestStepMatchesForwardSeq(t *testing.T) {
	for _, kind := range recurrentKinds {
		t.Run(kind.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(15, 15))
			l := kind.make(rng, tD, tH)
			xs := randSeq(rng, tT, tB, tD)
			h0, c0 := randDense(rng, tB, tH), randDense(rng, tB, tH)

			l.SetState(h0, c0)
			var stepped []*mat.Dense
			for _, x := range xs {
				stepped = append(stepped, l.Step(x))
			}
			hStep, cStep := l.State()

			l.SetState(h0, c0)
			ys := l.ForwardSeq(xs, nil)
			hSeq, cSeq := l.State()
			for i := range ys {
				equalApprox(t, fmt.Sprintf("step %d", i), stepped[i], ys[i])
			}
			equalApprox(t, "final h", hStep, hSeq)
			if cSeq != nil {
				equalApprox(t, "final c", cStep, cSeq)
			}

			// Reset goes back to zeros: a step from zeros equals a
			// one-step ForwardSeq with no initial state.
			l.Reset()
			y := l.Step(xs[0])
			equalApprox(t, "step after Reset", y, l.ForwardSeq(xs[:1], nil)[0])
		})
	}
}

// stepper is a layer that also runs, and goes back through, one step at a
// time: LSTM and GRU.
type stepper interface {
	nn.Recurrent
	ForwardStep(x *mat.Dense) *mat.Dense
	BackwardStep(dy *mat.Dense) *mat.Dense
}

// stepwise is a stepper whose ForwardSeq and BackwardSeq (without lengths)
// take one step at a time: ForwardSeq of the first step, then ForwardStep,
// and BackwardStep from the last step back, as a decoder with input feeding
// runs them.
type stepwise struct{ stepper }

func (s stepwise) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	ys := []*mat.Dense{s.stepper.ForwardSeq(xs[:1], nil)[0]}
	for _, x := range xs[1:] {
		ys = append(ys, s.ForwardStep(x))
	}
	return ys
}

func (s stepwise) BackwardSeq(dys []*mat.Dense) []*mat.Dense {
	dxs := make([]*mat.Dense, len(dys))
	for t := len(dys) - 1; t >= 0; t-- {
		dxs[t] = s.BackwardStep(dys[t])
	}
	return dxs
}

// ForwardStep and BackwardStep, one step at a time, must compute what
// ForwardSeq and BackwardSeq do over the whole sequence (up to the order
// of the sums of the weight gradients), and pass a gradient check of their
// own, initial and final state included.
func TestForwardStepMatchesForwardSeq(t *testing.T) {
	for _, kind := range recurrentKinds[1:] { // LSTM and GRU
		t.Run(kind.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(16, 16))
			seq := kind.make(rng, tD, tH).(stepper)
			step := nn.ReplicaOf(seq).(stepper)
			xs, dys := randSeq(rng, tT, tB, tD), randSeq(rng, tT, tB, tH)
			h0, c0, dhT, dcT := randDense(rng, tB, tH), randDense(rng, tB, tH), randDense(rng, tB, tH), randDense(rng, tB, tH)
			if kind.name == "GRU" {
				c0, dcT = nil, nil
			}
			var ys, dxs [2][]*mat.Dense
			for k, l := range []nn.Recurrent{seq, stepwise{step}} {
				l.SetState(h0, c0)
				l.SetStateGrad(dhT, dcT)
				ys[k] = l.ForwardSeq(xs, nil)
				dxs[k] = l.BackwardSeq(dys)
			}
			for i := range xs {
				equalApprox(t, fmt.Sprintf("y_%d", i), ys[1][i], ys[0][i])
				equalApprox(t, fmt.Sprintf("dx_%d", i), dxs[1][i], dxs[0][i])
			}
			dh, dc := step.StateGrad()
			wantDh, wantDc := seq.StateGrad()
			equalApprox(t, "dh0", dh, wantDh)
			if dc != nil {
				equalApprox(t, "dc0", dc, wantDc)
			}
			for i, p := range step.Params() {
				equalApprox(t, p.Name+".Grad", p.Grad, seq.Params()[i].Grad)
			}
			checkPass(t, checkRecurrent(stepwise{step}, xs, nil, h0, c0, rng))
		})
	}
}

// Two replicas trained on two goroutines must give the same summed gradient
// as one layer run on both batches in turn. Run with -race: the replicas
// share the weights (read only) and nothing else.
func TestRecurrentReplica(t *testing.T) {
	layers := []struct {
		name string
		make func(rng *rand.Rand) nn.SeqLayer
	}{
		{"RNN", func(rng *rand.Rand) nn.SeqLayer { return nn.NewRNN(rng, tD, tH) }},
		{"LSTM", func(rng *rand.Rand) nn.SeqLayer { return nn.NewLSTM(rng, tD, tH) }},
		{"GRU", func(rng *rand.Rand) nn.SeqLayer { return nn.NewGRU(rng, tD, tH) }},
		{"Stack", func(rng *rand.Rand) nn.SeqLayer {
			return nn.NewStack(nn.NewBidirectional(nn.NewLSTM(rng, tD, tH), nn.NewGRU(rng, tD, tH)), nn.NewRNN(rng, 2*tH, tH))
		}},
	}
	for _, tc := range layers {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(16, 16))
			l := tc.make(rng)
			replica := func() nn.SeqLayer { return nn.ReplicaOf(l) }
			xs := [2][]*mat.Dense{randSeq(rng, tT, tB, tD), randSeq(rng, tT, tB, tD)}
			dys := [2][]*mat.Dense{randSeq(rng, tT, tB, tH), randSeq(rng, tT, tB, tH)}
			lengths := [2][]int{{3, 2}, nil}

			reps := [2]nn.SeqLayer{replica(), replica()}
			var wg sync.WaitGroup
			for i, r := range reps {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r.ForwardSeq(xs[i], lengths[i])
					r.BackwardSeq(dys[i])
				}()
			}
			wg.Wait()

			for i := range xs {
				l.ForwardSeq(xs[i], lengths[i])
				l.BackwardSeq(dys[i])
			}
			for k, p := range l.Params() {
				r0, r1 := reps[0].Params()[k], reps[1].Params()[k]
				if r0.Value != p.Value || r0.Grad == p.Grad {
					t.Fatalf("%s: a replica must share Value and own Grad", p.Name)
				}
				var sum mat.Dense
				sum.Add(r0.Grad, r1.Grad)
				equalApprox(t, p.Name+" grad", &sum, p.Grad)
			}
		})
	}
}

// The input stacking of ForwardSeq and the buffers it reuses must not
// change the answer: a second call on other inputs of the same shape gives
// what a fresh layer gives.
func TestRecurrentBufferReuse(t *testing.T) {
	for _, kind := range recurrentKinds {
		t.Run(kind.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(17, 17))
			l := kind.make(rng, tD, tH)
			fresh := nn.ReplicaOf(l)
			a, b := randSeq(rng, tT, tB, tD), randSeq(rng, tT, tB, tD)
			dy := randSeq(rng, tT, tB, tH)
			l.ForwardSeq(a, []int{1, 2})
			l.BackwardSeq(dy)
			ys, wantYs := l.ForwardSeq(b, nil), fresh.ForwardSeq(b, nil)
			for i := range ys {
				equalApprox(t, "y", ys[i], wantYs[i])
			}
			dxs, wantDxs := l.BackwardSeq(dy), fresh.BackwardSeq(dy)
			for i := range dxs {
				equalApprox(t, "dx", dxs[i], wantDxs[i])
			}
		})
	}
}

// After the first call, a ForwardSeq and BackwardSeq of the same shape
// allocate nothing: every buffer is reused. (Sizes small enough that gonum's
// gemm runs on one goroutine.)
func TestRecurrentSteadyStateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops the product buffers at random")
	}
	for _, kind := range recurrentKinds {
		t.Run(kind.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(18, 18))
			l := kind.make(rng, tD, tH)
			xs, dys := randSeq(rng, tT, tB, tD), randSeq(rng, tT, tB, tH)
			lengths := []int{3, 1}
			if n := testing.AllocsPerRun(10, func() {
				l.ForwardSeq(xs, lengths)
				l.BackwardSeq(dys)
			}); n != 0 {
				t.Errorf("%v allocations per ForwardSeq+BackwardSeq, want 0", n)
			}
		})
	}
}

// The backward direction of a Bidirectional starts at each row's last real
// step: its output at step t of a row of length n is what Bwd gives at step
// n−1−t when run on that row's steps reversed.
func TestBidirectionalReversesWithinLength(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 19))
	fwd, bwd := nn.NewGRU(rng, tD, 3), nn.NewRNN(rng, tD, tH)
	bi := nn.NewBidirectional(fwd, bwd)
	xs := randSeq(rng, tT, tB, tD)
	lengths := []int{3, 2}
	ys := bi.ForwardSeq(xs, lengths)
	for i, n := range lengths {
		var rev []*mat.Dense // row i's real steps, last first, as a batch of one
		for s := n - 1; s >= 0; s-- {
			rev = append(rev, mat.NewDense(1, tD, mat.DenseCopyOf(xs[s]).RawRowView(i)))
		}
		want := bwd.ForwardSeq(rev, nil)
		for s := 0; s < n; s++ {
			got := ys[s].RawRowView(i)[3:]
			if w := want[n-1-s].RawRowView(0); !floatsNear(got, w) {
				t.Errorf("row %d step %d: backward half %v, want %v", i, s, got, w)
			}
		}
		for s := n; s < tT; s++ {
			if !allZero(ys[s].RawRowView(i)) {
				t.Errorf("row %d step %d is padding, output %v", i, s, ys[s].RawRowView(i))
			}
		}
	}
}

func floatsNear(a, b []float64) bool {
	for j := range a {
		if math.Abs(a[j]-b[j]) > tolExact {
			return false
		}
	}
	return len(a) == len(b)
}

// memorise trains layer + Linear + softmax cross-entropy to predict the next
// character of text, one sequence (B=1) of len(text)−1 one-hot steps, with
// min-char-rnn's Adagrad (lr 0.1, gradients clipped to ±5), and returns the
// mean loss per character after each step.
func memorise(rng *rand.Rand, text string, newLayer func(rng *rand.Rand, in, hidden int) nn.SeqLayer, hidden, steps int) []float64 {
	var vocab []rune
	index := map[rune]int{}
	for _, r := range text {
		if _, ok := index[r]; !ok {
			index[r] = len(vocab)
			vocab = append(vocab, r)
		}
	}
	ids := make([]int, 0, len(text))
	for _, r := range text {
		ids = append(ids, index[r])
	}
	v, n := len(vocab), len(ids)-1
	xs := make([]*mat.Dense, n)
	for t := range xs {
		xs[t] = mat.NewDense(1, v, nil)
		xs[t].Set(0, ids[t], 1)
	}
	targets := ids[1:]

	rnn := newLayer(rng, v, hidden)
	out := nn.NewLinear(rng, hidden, v)
	var ce nn.SoftmaxCrossEntropy
	params := append(rnn.Params(), out.Params()...)
	mem := make([]*mat.Dense, len(params))
	for i, p := range params {
		mem[i] = mat.NewDense(p.Value.RawMatrix().Rows, p.Value.RawMatrix().Cols, nil)
	}
	hs := mat.NewDense(n, hidden, nil) // the T outputs as rows: one Linear for all steps
	dhs := make([]*mat.Dense, n)
	var losses []float64
	for i := 0; i < steps; i++ {
		nn.ZeroGrads(params)
		for t, y := range rnn.ForwardSeq(xs, nil) {
			hs.SetRow(t, y.RawRowView(0))
		}
		losses = append(losses, ce.Forward(out.Forward(hs), targets, nil))
		dh := out.Backward(ce.Backward())
		for t := range dhs {
			dhs[t] = dh.Slice(t, t+1, 0, hidden).(*mat.Dense)
		}
		rnn.BackwardSeq(dhs)
		for i, p := range params {
			g, m, w := p.Grad.RawMatrix().Data, mem[i].RawMatrix().Data, p.Value.RawMatrix().Data
			for j := range g {
				gj := math.Max(-5, math.Min(5, g[j]))
				m[j] += gj * gj
				w[j] -= 0.1 * gj / math.Sqrt(m[j]+1e-8)
			}
		}
	}
	return losses
}

// An LSTM and an RNN learn to recite a short text. "hello " occurs twice,
// followed once by 'w' and once by 's': the layer must use more than the
// last character to get both right, so a low loss means the state carries
// information along the sequence.
func TestMemorise(t *testing.T) {
	if testing.Short() {
		t.Skip("convergence test")
	}
	const text = "hello world, hello seq2go"
	for _, tc := range []struct {
		name  string
		layer func(rng *rand.Rand, in, hidden int) nn.SeqLayer
		steps int
		below float64 // mean loss per character, nats; uniform guessing is log(13) ≈ 2.56
	}{
		{"LSTM", func(rng *rand.Rand, in, h int) nn.SeqLayer { return nn.NewLSTM(rng, in, h) }, 100, 0.05},
		{"RNN", func(rng *rand.Rand, in, h int) nn.SeqLayer { return nn.NewRNN(rng, in, h) }, 100, 0.05},
		{"GRU", func(rng *rand.Rand, in, h int) nn.SeqLayer { return nn.NewGRU(rng, in, h) }, 100, 0.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(20, 20))
			losses := memorise(rng, text, tc.layer, 32, tc.steps)
			first, last := losses[0], losses[len(losses)-1]
			t.Logf("loss %.4f → %.4f in %d steps", first, last, tc.steps)
			if last >= tc.below {
				t.Errorf("loss after %d steps = %.4f, want < %g", tc.steps, last, tc.below)
			}
		})
	}
}

// TestGradClipped checks the clips of quantization-aware training: an
// LSTM whose cell is clipped and a residual stack whose sums are, at
// bounds low enough that many elements sit at them, and that the clip
// holds.
func TestGradClipped(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	l := nn.NewLSTM(rng, tD, tH)
	randomBiases(rng, l)
	l.CellClip = 0.3
	xs := randSeq(rng, tT, tB, tD)
	checkPass(t, gradcheck.Seq(l, xs, []int{3, 2}, rng))
	l.ForwardSeq(xs, nil)
	_, c := l.State()
	clipped := 0
	for _, v := range c.RawMatrix().Data {
		if v > 0.3 || v < -0.3 {
			t.Fatalf("cell %v outside ±0.3", v)
		}
		if v == 0.3 || v == -0.3 {
			clipped++
		}
	}
	if clipped == 0 {
		t.Error("no cell element reached the bound: the test checks nothing")
	}
	s := nn.NewStack(randomBiases(rng, nn.NewGRU(rng, tD, tH)), randomBiases(rng, nn.NewLSTM(rng, tH, tH)))
	s.Residual, s.Clip = 1, 0.4
	checkPass(t, gradcheck.Seq(s, randSeq(rng, tT, tB, tD), []int{3, 1}, rng))
}
