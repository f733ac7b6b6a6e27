package nn_test

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// The talk's feed-forward step,
//
//	def step(x):
//	    h = np.tanh(np.dot(W1, x) + b1)
//	    y = np.dot(W2, h) + b2
//	    return y
//
// with seq2go's blocks. Weights are in×out, so x is a row and W·x becomes x·W.
func Example_feedForwardStep() {
	l1 := &nn.Linear{W: nn.NewParam("W1", 3, 4), B: nn.NewParam("b1", 1, 4)}
	l2 := &nn.Linear{W: nn.NewParam("W2", 4, 2), B: nn.NewParam("b2", 1, 2)}
	l1.W.Value.Apply(func(i, j int, _ float64) float64 { return 0.1 * float64(i-j) }, l1.W.Value)
	l1.B.Value.SetRow(0, []float64{0.1, 0, -0.1, 0.2})
	l2.W.Value.Apply(func(i, j int, _ float64) float64 { return 0.5 * float64(i+j) }, l2.W.Value)
	l2.B.Value.SetRow(0, []float64{0, 1})
	var tanh nn.Tanh

	step := func(x *mat.Dense) *mat.Dense {
		h := tanh.Forward(l1.Forward(x))
		return l2.Forward(h)
	}

	x := mat.NewDense(1, 3, []float64{1, 2, 3})
	y := step(x)
	fmt.Printf("y = %.4f\n", mat.Formatted(y))
	// By hand: x·W1 + b1 = (0.9, 0.2, −0.5, −0.8), h = tanh of that,
	// y = h·W2 + b2 = (−1.3595, −0.4657).
	//
	// Output:
	// y = [-1.3595  -0.4657]
}
