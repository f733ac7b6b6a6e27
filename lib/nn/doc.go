// Package nn holds the building blocks of the talk's networks: parameters,
// linear and embedding layers, activations, the softmax cross-entropy loss,
// and the recurrent cells (RNN, LSTM, GRU) with their sequence layers.
//
// Every block has its Forward and Backward written out by hand, the way the
// talk's "RNN in 112 lines" does: Forward computes the output and keeps what
// Backward needs in the layer's own cache; Backward takes the gradient of the
// loss with respect to the output, adds the gradients of the parameters into
// their Grad matrices and returns the gradient with respect to the input.
// There is no hidden graph: a model is Go code that calls Forward in one order
// and Backward in the reverse order.
//
// # Conventions
//
// Shapes are rows×cols. A batch is B×d, one example a row; a sequence batch is
// a []*mat.Dense of T steps, each B×d (time-major, step t of every example in
// one matrix, so one matrix product serves the whole batch). Weights are
// in×out, so a forward pass is one product x·W:
//
//	y = x·W + b        x: B×in, W: in×out, b: 1×out, y: B×out
//
// The same letters are used everywhere: B batch, T time steps, d input
// width, H hidden width, V vocabulary size.
//
// Gradients accumulate: Backward adds into Param.Grad, so several Backward
// calls (time steps, or examples) sum their contributions, and an optimizer
// step or Param.ZeroGrad clears them.
//
// Shape mismatches are programming errors and panic with ErrShape, as in
// gonum's mat package.
//
// # Parallelism
//
// A layer's weights (Param.Value) are separate from its caches and gradients.
// Replica returns a copy of a layer that shares the weights but has its own
// caches and its own Grad matrices, so N replicas can run Forward and Backward
// on N goroutines at once (data parallelism) and their gradients be summed
// afterwards (AddGrads). Layers keep no global state, so each layer of a stack
// may also run in its own goroutine (model parallelism).
//
// # Capabilities
//
// What a sequence layer can do beyond ForwardSeq and BackwardSeq it says
// through methods, gathered in small interfaces: Replicator (Replica),
// Sharer (Shared), Container (Sublayers), Clipper (SetClip) and Quantizable
// (QuantizeWith, its int8 twin through lib/quant's Quantizer). Models ask a
// layer for a capability (ReplicaOf, SharedOf, Walk, SetClip, NameParams),
// never switch over layer types, so a new layer with the methods needs no
// edit anywhere else.
//
// # Speed
//
// Every product goes through gonum's blas64, whose default implementation
// is pure Go. A program that trains or decodes should install lib/blas's
// faster one once, at start-up, as the seq2go binary does:
//
//	import "github.com/seq2go/seq2go/lib/blas"
//
//	func main() {
//		blas.Use() // every mat.Dense product from here on runs lib/blas's kernels
//		…
//	}
//
// Importing nn changes nothing process-wide: the choice is the program's.
// The results agree to rounding either way (the summation order differs),
// so figures reproduced bit for bit, such as the README's, assume
// blas.Use().
package nn
