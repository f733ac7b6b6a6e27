package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// A batch of two sequences of different lengths: the second has one real
// step, so from step 1 on its output is zero and its state is carried.
// State returns the final state of each row at its own length, ready to be
// the initial state of the next chunk or of a decoder.
func ExampleLSTM_ForwardSeq() {
	rng := rand.New(rand.NewPCG(1, 1))
	lstm := nn.NewLSTM(rng, 2, 2) // d = 2, H = 2
	xs := []*mat.Dense{           // T = 3 steps of B×d = 2×2
		mat.NewDense(2, 2, []float64{1, 0, 0, 1}),
		mat.NewDense(2, 2, []float64{0, 1, 0, 0}),
		mat.NewDense(2, 2, []float64{1, 1, 0, 0}),
	}
	ys := lstm.ForwardSeq(xs, []int{3, 1})
	for t, y := range ys {
		fmt.Printf("y_%d = %.4f\n", t, mat.Formatted(y, mat.Prefix("      ")))
	}
	h, _ := lstm.State() // row 1's h_T is its y_0: the state after its one real step
	fmt.Printf("h_T = %.4f\n", mat.Formatted(h, mat.Prefix("      ")))
	lstm.SetState(lstm.State()) // truncated BPTT: the next chunk starts here

	// Output:
	// y_0 = ⎡ 0.0222  -0.0852⎤
	//       ⎣-0.2185  -0.0036⎦
	// y_1 = ⎡-0.1474  -0.0726⎤
	//       ⎣ 0.0000   0.0000⎦
	// y_2 = ⎡-0.1475  -0.2090⎤
	//       ⎣ 0.0000   0.0000⎦
	// h_T = ⎡-0.1475  -0.2090⎤
	//       ⎣-0.2185  -0.0036⎦
}
