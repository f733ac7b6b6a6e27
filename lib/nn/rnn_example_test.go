package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// The talk's RNN step,
//
//	rnn = RNN()
//	y = rnn.step(x)  # x is an input vector, y is the RNN's output vector
//
// fed the characters of "hell" one at a time as one-hot rows over the
// vocabulary {h, e, l, o}. The state carries what came before: the two 'l'
// give different outputs.
func ExampleRNN_Step() {
	rng := rand.New(rand.NewPCG(1, 1))
	vocab := map[rune]int{'h': 0, 'e': 1, 'l': 2, 'o': 3}
	rnn := nn.NewRNN(rng, len(vocab), 3) // d = V = 4, H = 3

	for _, ch := range "hell" {
		x := mat.NewDense(1, len(vocab), nil) // one-hot, 1×V
		x.Set(0, vocab[ch], 1)
		h := rnn.Step(x) // 1×H
		fmt.Printf("%c  h = [%7.4f %7.4f %7.4f]\n", ch, h.At(0, 0), h.At(0, 1), h.At(0, 2))
	}
	rnn.Reset() // back to h = 0 for the next sequence

	// Output:
	// h  h = [-0.2874  0.6405  0.5433]
	// e  h = [ 0.7583  0.3130  0.4845]
	// l  h = [ 0.0093  0.7805  0.3162]
	// l  h = [ 0.5765  0.8178 -0.2321]
}
