package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// TestShareBatch splits a batch of 5 rows among replicas of a Linear layer
// under a mean squared error, 3 rows and 2: the loss and the gradients must
// be those of one pass over the 5 rows.
func TestShareBatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	l := nn.NewLinear(rng, 3, 2)
	x, y := randDense(rng, 5, 3), randDense(rng, 5, 2)
	var mse nn.MeanSquaredError
	want := mse.Forward(l.Forward(x), y, nil)
	l.Backward(mse.Backward())
	wantW := mat.DenseCopyOf(l.W.Grad)
	nn.ZeroGrads(l.Params())

	rows := [][2]int{{0, 3}, {3, 5}}
	reps := []*nn.Linear{l.Replica(), l.Replica()}
	var repParams [][]*nn.Param
	for _, r := range reps {
		repParams = append(repParams, r.Params())
	}
	loss, n := nn.ShareBatch(l.Params(), repParams, func(k int) (float64, int) {
		lo, hi := rows[k][0], rows[k][1]
		var m nn.MeanSquaredError
		xk, yk := x.Slice(lo, hi, 0, 3).(*mat.Dense), y.Slice(lo, hi, 0, 2).(*mat.Dense)
		lk := m.Forward(reps[k].Forward(xk), yk, nil)
		reps[k].Backward(m.Backward())
		return lk, hi - lo
	})
	if n != 5 || math.Abs(loss-want) > 1e-14 {
		t.Errorf("loss %.15g over %d rows, want %.15g over 5", loss, n, want)
	}
	if !mat.EqualApprox(l.W.Grad, wantW, 1e-14) {
		t.Errorf("gradient\n%v\nwant\n%v", mat.Formatted(l.W.Grad), mat.Formatted(wantW))
	}
}
