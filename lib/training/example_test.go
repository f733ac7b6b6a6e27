package training_test

import (
	"context"
	"fmt"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/training"
)

// line is the smallest Model: one weight w fitted to y = 3x on the points
// x = 1, 2, 3, one point a step.
type line struct{ w *nn.Param }

func (l *line) Params() []*nn.Param { return []*nn.Param{l.w} }

// LossGrad is the squared error on point step mod 3 and its gradient:
//
//	L = (w·x − 3x)²,   ∂L/∂w = 2·(w·x − 3x)·x
func (l *line) LossGrad(step int) (float64, int) {
	x := float64(step%3 + 1)
	e := l.w.Value.At(0, 0)*x - 3*x
	l.w.Grad.Set(0, 0, l.w.Grad.At(0, 0)+2*e*x)
	return e * e, 1
}

// A model plugs into the loop with Params and LossGrad; the loop does the
// rest: here SGD, a global-norm clip at 10 (which slows the first steps,
// whose gradients reach 54) and the smoothed loss.
func ExampleLoop() {
	m := &line{w: nn.NewParam("w", 1, 1)}
	loop := training.NewLoop(m, optim.NewSGD(m.Params(), 0.02))
	loop.Clip = training.Clip{Norm: 10}
	loop.Smoothing = 0.5
	err := loop.Run(context.Background(), 45, func(p training.Progress) {
		if p.Step%15 == 0 {
			fmt.Printf("step %d: loss %.4f, smoothed %.4f\n", p.Step, p.Loss, p.SmoothLoss)
		}
	})
	fmt.Printf("w = %.4f, err %v\n", m.w.Value.At(0, 0), err)
	// Output:
	// step 15: loss 6.3484, smoothed 5.8040
	// step 30: loss 0.0121, smoothed 0.0153
	// step 45: loss 0.0000, smoothed 0.0000
	// w = 2.9991, err <nil>
}
