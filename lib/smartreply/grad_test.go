package smartreply

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
)

// seqs returns n random sequences of 1 … maxLen ids in [lo, hi).
func seqs(rng *rand.Rand, n, maxLen, lo, hi int) [][]int {
	out := make([][]int, n)
	for i := range out {
		s := make([]int, 1+rng.IntN(maxLen))
		for k := range s {
			s[k] = lo + rng.IntN(hi-lo)
		}
		out[i] = s
	}
	return out
}

// TestDualEncoderGrad checks the dual encoder's gradient, towers included,
// on a batch where two replies are the same (masked for each other).
func TestDualEncoderGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	de := NewDualEncoder(rng, 7, 6, 3, 4, 5)
	msgs, replies := seqs(rng, 4, 3, 1, 7), seqs(rng, 4, 3, 1, 6)
	replies[3] = append([]int(nil), replies[1]...)
	same := sameReplies(replies)
	if !same[1][3] || same[0][1] {
		t.Fatal("sameReplies missed the duplicate")
	}
	loss := func() float64 { return de.Loss(msgs, replies, same) }
	if err := gradcheck.Check(loss, de.Backward, de.Params()).Err(gradcheck.Tol); err != nil {
		t.Error(err)
	}
}

// TestDualEncoderLossGrad: shared out among two workers, the gradient is
// the example-weighted sum of the two halves' gradients.
func TestDualEncoderLossGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	de := NewDualEncoder(rng, 9, 8, 3, 4, 5)
	msgs, replies := seqs(rng, 2*MinShare+2, 4, 1, 9), seqs(rng, 2*MinShare+2, 4, 1, 8)
	nn.ZeroGrads(de.Params())
	loss := de.LossGrad(msgs, replies, 2)
	got := gradsOf(de.Params())
	nn.ZeroGrads(de.Params())
	h := len(msgs) / 2
	want := 0.0
	for _, part := range [][2]int{{0, h}, {h, len(msgs)}} {
		share := float64(part[1]-part[0]) / float64(len(msgs))
		l := de.Loss(msgs[part[0]:part[1]], replies[part[0]:part[1]], sameReplies(replies[part[0]:part[1]]))
		scaleBackward(de, share)
		want += l * share
	}
	if math.Abs(loss-want) > 1e-12 {
		t.Errorf("loss %v, want %v", loss, want)
	}
	for i, p := range de.Params() {
		if d := maxDiff(got[i], p.Grad.RawMatrix().Data); d > 1e-12 {
			t.Errorf("%s: gradients differ by %g", p.Name, d)
		}
	}
}

// scaleBackward adds share × the gradient of de's last Loss into its Grads.
func scaleBackward(de *DualEncoder, share float64) {
	before := gradsOf(de.Params())
	de.Backward()
	for i, p := range de.Params() {
		g := p.Grad.RawMatrix().Data
		for k := range g {
			g[k] = before[i][k] + share*(g[k]-before[i][k])
		}
	}
}

func gradsOf(ps []*nn.Param) [][]float64 {
	out := make([][]float64, len(ps))
	for i, p := range ps {
		out[i] = append([]float64(nil), p.Grad.RawMatrix().Data...)
	}
	return out
}

func maxDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func TestTriggerGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	tr := NewTrigger(rng, 7, 3, 4)
	msgs, labels := seqs(rng, 5, 4, 1, 7), []int{1, 0, 0, 1, 1}
	loss := func() float64 { return tr.Loss(msgs, labels) }
	if err := gradcheck.Check(loss, tr.LossBackward, tr.Params()).Err(gradcheck.Tol); err != nil {
		t.Error(err)
	}
}
