package training

import (
	"fmt"
	"math"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/floats"
)

// NonFiniteError is the error of a step whose loss or gradient is NaN or
// infinite. The step was not applied: the model keeps the weights of step
// Step−1.
type NonFiniteError struct {
	Step  int     // the step that failed, counting from 1
	What  string  // "loss", or the parameter whose gradient it was: `gradient of "out.W"`
	Value float64 // the value found: NaN, +Inf or −Inf
	// Row and Col locate the element of a gradient.
	Row, Col int
}

func (e *NonFiniteError) Error() string {
	where := ""
	if e.What != "loss" {
		where = fmt.Sprintf(" at row %d, column %d", e.Row, e.Col)
	}
	return fmt.Sprintf("training: step %d: the %s is %v%s; stopped with the weights of step %d (a lower learning rate or a tighter clip may help)",
		e.Step, e.What, e.Value, where, e.Step-1)
}

// checkStep returns a *NonFiniteError when loss or one of the gradients of
// params is not finite. The gradients are summed as squares, a matrix at a
// time (a row at a time for a view; vectorised by gonum's Dot): a NaN or ±Inf makes the sum not finite, and
// only then is the row searched, so a step pays one fast pass over its
// gradients. (A huge finite gradient can overflow the sum; the search then
// finds nothing and the step goes on.)
func checkStep(step int, loss float64, params []*nn.Param) error {
	if !finite(loss) {
		return &NonFiniteError{Step: step, What: "loss", Value: loss}
	}
	for _, p := range params {
		g := p.Grad.RawMatrix()
		rows, n := g.Rows, g.Cols
		if g.Stride == g.Cols { // contiguous: one pass over all of it
			rows, n = 1, g.Rows*g.Cols
		}
		for i := 0; i < rows; i++ {
			part := g.Data[i*g.Stride : i*g.Stride+n]
			if finite(floats.Dot(part, part)) {
				continue
			}
			for k, x := range part {
				if !finite(x) {
					r, c := i+k/g.Cols, k%g.Cols
					return &NonFiniteError{Step: step, What: fmt.Sprintf("gradient of %q", p.Name), Value: x, Row: r, Col: c}
				}
			}
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
