package nn

import (
	"errors"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// ErrShape is the panic value of a shape mismatch between a layer and its input.
var ErrShape = errors.New("nn: dimension mismatch")

// Param is a trainable matrix and the gradient of the loss with respect to it.
// Value and Grad have the same shape.
type Param struct {
	Name  string
	Value *mat.Dense
	Grad  *mat.Dense
}

// NewParam returns a zero r×c parameter with a zero gradient.
func NewParam(name string, r, c int) *Param {
	return &Param{Name: name, Value: mat.NewDense(r, c, nil), Grad: mat.NewDense(r, c, nil)}
}

// ZeroGrad sets the gradient to zero.
func (p *Param) ZeroGrad() { p.Grad.Zero() }

// Replica returns a Param that shares p's Value but has its own zero Grad:
// the parameter of a data-parallel replica.
func (p *Param) Replica() *Param {
	r, c := p.Value.Dims()
	return &Param{Name: p.Name, Value: p.Value, Grad: mat.NewDense(r, c, nil)}
}

// Detach gives each of params its own copy of its Value, so that a
// replica's layers (which share the model's weights, see Replica) read
// weights of their own: a worker of asynchronous data parallelism
// (lib/paramserver), whose weights the server overwrites before each batch.
func Detach(params []*Param) {
	for _, p := range params {
		p.Value = mat.DenseCopyOf(p.Value)
	}
}

// Layer is a block that maps a batch B×in to a batch B×out.
type Layer interface {
	Forward(x *mat.Dense) *mat.Dense
	Backward(dy *mat.Dense) *mat.Dense
	Params() []*Param
}

// SeqLayer is a block that maps a sequence batch (T steps of B×in) to a
// sequence batch (T steps of B×out). lengths, when not nil, holds the number
// of real (unpadded) steps of each of the B sequences; steps past a sequence's
// length are padding: they leave the state unchanged and their outputs are zero.
type SeqLayer interface {
	ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense
	BackwardSeq(dys []*mat.Dense) []*mat.Dense
	Params() []*Param
}

// ZeroGrads sets the gradient of every parameter to zero.
func ZeroGrads(params []*Param) {
	for _, p := range params {
		p.ZeroGrad()
	}
}

// AddGrads adds share × the gradient of each of src into the gradient of
// the matching parameter of dst (the same order and shapes): how a model
// folds in the gradients of its data-parallel replicas (their Params, in
// the order of its own), each weighed by its share of the loss.
func AddGrads(dst, src []*Param, share float64) {
	if len(dst) != len(src) {
		panic(ErrShape)
	}
	for i, p := range src {
		g, sg := dst[i].Grad.RawMatrix(), p.Grad.RawMatrix()
		if g.Rows != sg.Rows || g.Cols != sg.Cols {
			panic(ErrShape)
		}
		for r := 0; r < g.Rows; r++ {
			floats.AddScaled(g.Data[r*g.Stride:r*g.Stride+g.Cols], share, sg.Data[r*sg.Stride:r*sg.Stride+sg.Cols])
		}
	}
}

// Workers returns how many goroutines a data-parallel step shares a batch
// of n examples out among: workers (GOMAXPROCS when workers ≤ 0), but no
// more than give each at least minShare examples. 1 or less means the step
// is better run serially.
func Workers(workers, n, minShare int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return min(workers, n/max(minShare, 1))
}

// ShareOut runs f(k, lo, hi) for k = 0 … w−1 on w goroutines at once,
// worker k taking the examples [lo, hi) of n (shares that differ by one at
// most), and returns when every one is done: the fork and join of a
// data-parallel step. Prepare the replicas before (drawing their seeds
// from the model's generator, which the goroutines must not share), and
// fold their gradients in after (AddGrads).
func ShareOut(w, n int, f func(k, lo, hi int)) {
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(k, k*n/w, (k+1)*n/w)
		}()
	}
	wg.Wait()
}

// CountParams returns the number of scalar weights in params.
func CountParams(params []*Param) int {
	n := 0
	for _, p := range params {
		r, c := p.Value.Dims()
		n += r * c
	}
	return n
}
