package optim

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/nn"
)

// Optimizer updates a fixed list of parameters from their gradients.
//
// Step applies one update from the current Param.Grad values and increments
// the step counter; it does not clear the gradients. ZeroGrad sets every
// gradient to zero (call it after Step, as in PyTorch). LR and SetLR read and
// set the learning rate that the next Step uses, which is how a Schedule
// drives an optimizer:
//
//	opt.SetLR(sched.LR(opt.Steps()))
//	opt.Step()
//	opt.ZeroGrad()
//
// Steps returns the number of Steps taken so far. State returns the
// optimizer's state (the step counter and the per-parameter matrices) as live
// Params for a checkpoint to save and restore; see the package documentation.
type Optimizer interface {
	Step()
	ZeroGrad()
	LR() float64
	SetLR(lr float64)
	State() []*nn.Param
	Steps() int
}

// core is what every optimizer shares: the parameters, the learning rate, the
// step counter (a 1×1 state matrix, so that a checkpoint restores it) and the
// state list that State hands out.
type core struct {
	params []*nn.Param
	lr     float64
	step   *nn.Param   // 1×1; Value holds the number of Steps taken
	state  []*nn.Param // step first, then the per-parameter state
}

// newCore checks params and makes the step counter "<name>.step" and one
// state matrix "<name>.<kind>/<param name>" per parameter for each kind.
// It returns the per-kind state lists.
func newCore(name string, params []*nn.Param, lr float64, kinds ...string) (core, [][]*nn.Param) {
	for _, p := range params {
		checkParam(p)
	}
	c := core{
		params: append([]*nn.Param(nil), params...),
		lr:     lr,
		step:   &nn.Param{Name: name + ".step", Value: mat.NewDense(1, 1, nil)},
	}
	c.state = append(c.state, c.step)
	perKind := make([][]*nn.Param, len(kinds))
	for k, kind := range kinds {
		perKind[k] = make([]*nn.Param, len(params))
		for i, p := range params {
			r, cols := p.Value.Dims()
			// State matrices have no gradient: they are not trained.
			s := &nn.Param{Name: name + "." + kind + "/" + p.Name, Value: mat.NewDense(r, cols, nil)}
			perKind[k][i] = s
			c.state = append(c.state, s)
		}
	}
	return c, perKind
}

// checkParam panics unless p has a Value and a Grad of the same shape.
func checkParam(p *nn.Param) {
	if p == nil {
		panic("optim: nil parameter")
	}
	if p.Value == nil || p.Grad == nil {
		panic(fmt.Sprintf("optim: parameter %q has no Value or no Grad", p.Name))
	}
	vr, vc := p.Value.Dims()
	gr, gc := p.Grad.Dims()
	if vr != gr || vc != gc {
		panic(nn.ErrShape)
	}
}

// zeroGrad sets every gradient to zero.
func (c *core) zeroGrad() { nn.ZeroGrads(c.params) }

// next increments the step counter held in the 1×1 state matrix and returns
// the new count t (1 on the first Step). Reading the counter back from the
// matrix, rather than from a Go field, is what makes a restored checkpoint
// continue with the right t.
func (c *core) next() int {
	if r, cc := c.step.Value.Dims(); r != 1 || cc != 1 {
		panic(nn.ErrShape)
	}
	t := c.steps() + 1
	c.step.Value.Set(0, 0, float64(t))
	return t
}

// steps returns the step count stored in the 1×1 state matrix.
func (c *core) steps() int { return int(c.step.Value.At(0, 0)) }

// stateList returns a fresh slice of the live state Params.
func (c *core) stateList() []*nn.Param { return append([]*nn.Param(nil), c.state...) }

// raw returns the backing store of m after checking that it is r×c.
// Reading it on every Step (instead of keeping the slice) lets a checkpoint
// restore a state Param by replacing its Value.
func raw(m *mat.Dense, r, c int) blas64.General {
	a := m.RawMatrix()
	if a.Rows != r || a.Cols != c {
		panic(nn.ErrShape)
	}
	return a
}

// rowsOf says how to walk r×c matrices whose backing slices have the given
// strides: rows runs of n elements, the i-th starting at i·stride. When every
// matrix is contiguous (stride = c) the whole matrix is one run of r·c, so a
// column vector is not walked one element at a time.
func rowsOf(r, c int, contiguous bool) (rows, n int) {
	if contiguous {
		return 1, r * c
	}
	return r, c
}

// row returns the i-th run of n elements of a.
func row(a blas64.General, i, n int) []float64 {
	off := i * a.Stride
	return a.Data[off : off+n : off+n]
}
