package mpi

import (
	"errors"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// AllReduce is synchronous data parallelism across the ranks of a job, as
// the exchange of the training loop (training.Exchanger): once every rank
// has computed the gradient of its shard of the batch, Exchange leaves in
// every rank's Grads the gradient of the whole batch and returns the whole
// batch's loss and tokens,
//
//	g = Σ_r (n_r / N) · g_r,    loss = Σ_r n_r · loss_r / N,    N = Σ_r n_r
//
// where rank r's shard held n_r tokens, with mean loss loss_r and its
// gradient g_r: what one process computes on the whole batch, up to the
// order of the sums. Every rank then takes the same optimizer step from the
// same weights, so the weights stay equal without being sent again. It is
// one AllreduceSum per step, of every gradient and two numbers, and it is
// for losses that are means over tokens (a summed loss, min-char-rnn's,
// would want the plain sum).
//
// A rank cannot leave on its own: the others would wait for it in the next
// all-reduce. So the ranks agree on when to stop, in the same call: each
// adds 1 to one more element when Interrupted says it was asked to stop
// (Ctrl-C, or the SIGTERM mpirun sends every rank when it gets one), and
// when the sum is not 0 every rank calls Stop after that same step.
type AllReduce struct {
	Interrupted func() bool // whether this rank was asked to stop; nil: never
	Stop        func()      // called on every rank once any was interrupted

	buf []float64
}

// Exchange all-reduces the gradients in params' Grad, weighted by tokens,
// and returns the loss and tokens of all ranks together; it calls Stop when
// any rank was interrupted.
func (a *AllReduce) Exchange(params []*nn.Param, step int, loss float64, tokens int) (float64, int, error) {
	grads := make([]*mat.Dense, len(params))
	for i, p := range params {
		grads[i] = p.Grad
	}
	w, stop := float64(tokens), 0.0
	if a.Interrupted != nil && a.Interrupted() {
		stop = 1
	}
	a.buf = append(gather(a.buf[:0], grads, w), w*loss, w, stop)
	if err := AllreduceSum(a.buf); err != nil {
		return 0, 0, err
	}
	n := len(a.buf)
	if a.buf[n-1] > 0 && a.Stop != nil {
		a.Stop()
	}
	n--
	total := a.buf[n-1]
	if total <= 0 {
		return 0, 0, errors.New("mpi: no rank had any tokens in its shard")
	}
	scatter(grads, a.buf, 1/total)
	return a.buf[n-2] / total, int(total), nil
}

// BcastParams copies the Values of params on rank root into params on
// every other rank (the same shapes, in the same order): every rank starts
// from rank 0's weights, and from its optimizer's state (pass
// optimizer.State() too).
func BcastParams(params []*nn.Param, root int) error {
	values := make([]*mat.Dense, len(params))
	for i, p := range params {
		values[i] = p.Value
	}
	buf := gather(nil, values, 1)
	if err := Bcast(buf, root); err != nil {
		return err
	}
	scatter(values, buf, 1)
	return nil
}

// gather appends scale × the elements of each of ms, row by row, to dst
// and returns it.
func gather(dst []float64, ms []*mat.Dense, scale float64) []float64 {
	for _, m := range ms {
		raw := m.RawMatrix()
		for r := 0; r < raw.Rows; r++ {
			for _, v := range raw.Data[r*raw.Stride : r*raw.Stride+raw.Cols] {
				dst = append(dst, scale*v)
			}
		}
	}
	return dst
}

// scatter sets the elements of each of ms, row by row, to scale × the next
// values of src: the inverse of gather.
func scatter(ms []*mat.Dense, src []float64, scale float64) {
	for _, m := range ms {
		raw := m.RawMatrix()
		for r := 0; r < raw.Rows; r++ {
			row := raw.Data[r*raw.Stride : r*raw.Stride+raw.Cols]
			for j := range row {
				row[j] = scale * src[j]
			}
			src = src[len(row):]
		}
	}
}
