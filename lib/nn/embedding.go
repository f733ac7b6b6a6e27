package nn

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Embedding maps token ids to rows of a V×d table: the input layer of a
// language model. It is the same as a Linear layer applied to one-hot
// vectors, without the product:
//
//	y_i = W[ids_i]            y: N×d
//	∂L/∂W[ids_i] += ∂L/∂y_i   (rows of repeated ids add up)
type Embedding struct {
	W   *Param
	ids []int // the ids of the last Forward
}

// NewEmbedding returns a V×d table drawn from N(0, 1), as PyTorch's
// nn.Embedding does.
func NewEmbedding(rng *rand.Rand, vocab, dim int) *Embedding {
	e := &Embedding{W: NewParam("W", vocab, dim)}
	InitNormal(rng, e.W.Value, 1)
	return e
}

// Forward returns the rows of W for ids, one row per id (len(ids)×d).
// An id outside [0, V) is a programming error and panics.
func (e *Embedding) Forward(ids []int) *mat.Dense {
	v, d := e.W.Value.Dims()
	y := mat.NewDense(len(ids), d, nil)
	for i, id := range ids {
		if id < 0 || id >= v {
			panic(fmt.Sprintf("nn: embedding id %d out of range [0, %d)", id, v))
		}
		copy(y.RawRowView(i), e.W.Value.RawRowView(id))
	}
	e.ids = append(e.ids[:0], ids...)
	return y
}

// Backward adds the rows of dy into the rows of W.Grad that Forward read.
// An embedding has no input gradient: ids are not differentiable.
func (e *Embedding) Backward(dy *mat.Dense) {
	MustDims(dy, len(e.ids), -1)
	for i, id := range e.ids {
		g := e.W.Grad.RawRowView(id)
		for j, v := range dy.RawRowView(i) {
			g[j] += v
		}
	}
}

// Params returns the table W.
func (e *Embedding) Params() []*Param { return []*Param{e.W} }

// Replica returns an Embedding that shares e's table, with its own cache and gradient.
func (e *Embedding) Replica() *Embedding { return &Embedding{W: e.W.Replica()} }
