package smartreply

import (
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"gonum.org/v1/gonum/mat"
)

// embedded is a batch of token sequences looked up in an embedding table,
// time-major: what a tower or the trigger reads, and how it goes back.
type embedded struct {
	b, ts int
	lens  []int
}

// forward returns the embeddings of seqs (none empty) as Ts steps of B×E,
// padded with id 0 past each length, and the lengths.
func (x *embedded) forward(e *nn.Embedding, seqs [][]int) ([]*mat.Dense, []int) {
	ids, ts, lens := seq2seq.TimeMajor(seqs)
	x.b, x.ts, x.lens = len(seqs), ts, lens
	return nn.SplitSteps(e.Forward(ids), ts, len(seqs)), lens
}

// backward adds the gradient of the steps' embeddings into e's table.
func (x *embedded) backward(e *nn.Embedding, dsteps []*mat.Dense) {
	_, d := dsteps[0].Dims()
	dx := mat.NewDense(x.ts*x.b, d, nil)
	for t, s := range nn.SplitSteps(dx, x.ts, x.b) {
		s.Copy(dsteps[t])
	}
	e.Backward(dx)
}
