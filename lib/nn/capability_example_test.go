package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
)

// A translator's encoder, a bidirectional LSTM under an LSTM, asked for
// what it can do: Walk finds every layer by its path, NameParams names the
// parameters by it, SetClip reaches the LSTMs' cells and the stack's
// residual sums, and ReplicaOf makes a data-parallel copy of the whole.
func ExampleWalk() {
	rng := rand.New(rand.NewPCG(1, 1))
	enc := nn.NewStack(nn.NewBidirectional(nn.NewLSTM(rng, 8, 4), nn.NewLSTM(rng, 8, 4)), nn.NewLSTM(rng, 8, 8))
	nn.Walk(enc, func(path string, l nn.SeqLayer) {
		_, clips := l.(nn.Clipper)
		fmt.Printf("%-6q %T clips: %v\n", path, l, clips)
	})
	nn.NameParams("encoder", enc)
	fmt.Println(enc.Params()[0].Name, enc.Params()[6].Name)
	nn.SetClip(enc, 8)
	r := nn.ReplicaOf(enc).(*nn.Stack)
	fmt.Println("replica's top cell clip:", r.Layers[1].(*nn.LSTM).CellClip)
	// Output:
	// ""     *nn.Stack clips: true
	// "0"    *nn.Bidirectional clips: false
	// "0.fwd" *nn.LSTM clips: true
	// "0.bwd" *nn.LSTM clips: true
	// "1"    *nn.LSTM clips: true
	// encoder.0.fwd.Wx encoder.1.Wx
	// replica's top cell clip: 8
}
