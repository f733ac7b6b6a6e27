package paramserver_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/paramserver"
	"github.com/seq2go/seq2go/lib/training"
	"gonum.org/v1/gonum/mat"
)

// blobs is a 3-class problem in 2-D: class c is a Gaussian of σ = 0.5
// around (2cos(2πc/3), 2sin(2πc/3)), well separated, so softmax regression
// reaches a small loss.
type blobs struct{ rng *rand.Rand }

// batch returns n points (n×2) and their classes.
func (d blobs) batch(n int) (*mat.Dense, []int) {
	x, y := mat.NewDense(n, 2, nil), make([]int, n)
	for i := range y {
		c := d.rng.IntN(3)
		a := 2 * math.Pi * float64(c) / 3
		x.Set(i, 0, 2*math.Cos(a)+0.5*d.rng.NormFloat64())
		x.Set(i, 1, 2*math.Sin(a)+0.5*d.rng.NormFloat64())
		y[i] = c
	}
	return x, y
}

// classifier is softmax regression: one Linear 2→3 and the cross-entropy.
type classifier struct {
	lin  *nn.Linear
	loss nn.SoftmaxCrossEntropy
}

func (c *classifier) lossGrad(x *mat.Dense, y []int) float64 {
	l := c.loss.Forward(c.lin.Forward(x), y, nil)
	c.lin.Backward(c.loss.Backward())
	return l
}

// setup returns the central model, its SGD optimizer and n workers with
// their own weights (nn.Detach) and their own data.
func setup(n int, lr float64) (*classifier, optim.Optimizer, []paramserver.Worker) {
	rng := rand.New(rand.NewPCG(1, 1))
	model := &classifier{lin: nn.NewLinear(rng, 2, 3)}
	workers := make([]paramserver.Worker, n)
	for k := range workers {
		workers[k] = setupWorker(model, k)
	}
	return model, optim.NewSGD(model.lin.Params(), lr), workers
}

// setupWorker returns worker k of model: weights of its own, data of its own.
func setupWorker(model *classifier, k int) paramserver.Worker {
	w := &classifier{lin: model.lin.Replica()}
	nn.Detach(w.lin.Params())
	data := blobs{rand.New(rand.NewPCG(2, uint64(k)))}
	return paramserver.Worker{Params: w.lin.Params(), LossGrad: func() (float64, int) {
		x, y := data.batch(16)
		return w.lossGrad(x, y), 16
	}}
}

// train is the training loop's step, steps times: zero the gradients, the
// server's LossGrad, the optimizer's step.
func train(srv *paramserver.Server, opt optim.Optimizer, steps int) {
	defer srv.Close()
	for step := 0; step < steps; step++ {
		opt.ZeroGrad()
		srv.LossGrad(step)
		opt.Step()
	}
}

// Four workers train softmax regression asynchronously: 400 updates take
// the loss on 2,000 fresh points from above 1 (2.9 from this seed's
// initial weights) to below 0.15 (about 0.015 when measured; the classes
// overlap little).
func TestConverges(t *testing.T) {
	model, opt, workers := setup(4, 0.2)
	srv := paramserver.New(model.lin.Params(), workers, 8)
	x, y := blobs{rand.New(rand.NewPCG(3, 3))}.batch(2000)
	before := model.loss.Forward(model.lin.Forward(x), y, nil)
	train(srv, opt, 400)
	after := model.loss.Forward(model.lin.Forward(x), y, nil)
	t.Logf("loss %.4f → %.4f in %d updates, %d dropped", before, after, srv.Version(), srv.Dropped())
	if after > 0.15 || !(before > 1) {
		t.Errorf("loss %.4f → %.4f, want from above 1 to below 0.15", before, after)
	}
	if srv.Version() != 400 {
		t.Errorf("version %d after 400 steps", srv.Version())
	}
}

// Every push taken is at most S versions stale, and every push is taken or
// dropped. The first round is forced to overlap: every worker pulls
// version 0 before any computes, and none computes a second gradient
// before all first ones have reached the server, so N − 1 − S of the first
// N pushes must be dropped.
func TestStalenessBounded(t *testing.T) {
	for _, tc := range []struct{ workers, staleness int }{{4, 0}, {4, 1}, {3, 2}, {3, -1}} {
		model, opt, workers := setup(tc.workers, 0.1)
		srv := paramserver.New(model.lin.Params(), workers, tc.staleness)
		var pulled sync.WaitGroup
		pulled.Add(tc.workers)
		pushes := 0
		var mu sync.Mutex
		for k := range workers {
			lossGrad, round := workers[k].LossGrad, 0
			workers[k].LossGrad = func() (float64, int) {
				switch round++; round {
				case 1: // wait until every worker has pulled version 0
					pulled.Done()
					pulled.Wait()
				case 2: // wait until every first gradient has reached the server
					for srv.Version()+srv.Dropped() < tc.workers {
						time.Sleep(100 * time.Microsecond)
					}
				}
				mu.Lock()
				pushes++
				mu.Unlock()
				return lossGrad()
			}
		}
		train(srv, opt, 60)
		stale := srv.Stalenesses()
		if len(stale) != 60 {
			t.Errorf("N=%d S=%d: %d pushes taken in 60 steps", tc.workers, tc.staleness, len(stale))
		}
		for i, s := range stale {
			if tc.staleness >= 0 && s > tc.staleness || s < 0 {
				t.Errorf("N=%d S=%d: push %d taken %d versions stale", tc.workers, tc.staleness, i, s)
			}
		}
		want := max(0, tc.workers-1-tc.staleness)
		if tc.staleness < 0 {
			want = 0
			if srv.Dropped() != 0 {
				t.Errorf("N=%d without a bound: %d pushes dropped", tc.workers, srv.Dropped())
			}
			if stale[tc.workers-1] != tc.workers-1 {
				t.Errorf("N=%d without a bound: the last of the first round was %d stale, want %d", tc.workers, stale[tc.workers-1], tc.workers-1)
			}
		}
		if srv.Dropped() < want {
			t.Errorf("N=%d S=%d: %d pushes dropped, want at least %d from the first round", tc.workers, tc.staleness, srv.Dropped(), want)
		}
		// The pushes that reached the server were taken or dropped; at
		// most one per worker was in flight when the training stopped.
		mu.Lock()
		if got := srv.Version() + srv.Dropped(); got > pushes || got < pushes-tc.workers {
			t.Errorf("N=%d S=%d: %d taken + %d dropped of %d pushes", tc.workers, tc.staleness, srv.Version(), srv.Dropped(), pushes)
		}
		mu.Unlock()
	}
}

// A worker's panic reaches the training goroutine, naming the worker.
func TestWorkerPanics(t *testing.T) {
	model, opt, workers := setup(3, 0.1)
	workers[2].LossGrad = func() (float64, int) { panic("bad batch") }
	srv := paramserver.New(model.lin.Params(), workers, -1)
	defer func() {
		if r, _ := recover().(string); !strings.Contains(r, "worker 2: bad batch") {
			t.Errorf("recovered %q, want worker 2's panic", r)
		}
	}()
	train(srv, opt, 1000)
}

// One worker alone is sequential SGD: every push is from the current
// weights, and the server's weights after two steps are those of two SGD
// steps on the worker's two batches.
func TestOneWorkerIsSequential(t *testing.T) {
	model, opt, workers := setup(1, 1)
	w := model.lin.W.Value
	want := mat.DenseCopyOf(w)
	// The same two batches, by hand: the worker's data generator from
	// the same seed.
	ref := &classifier{lin: model.lin.Replica()}
	nn.Detach(ref.lin.Params())
	data := blobs{rand.New(rand.NewPCG(2, 0))}
	for i := 0; i < 2; i++ {
		ref.lin.W.Value.Copy(want)
		nn.ZeroGrads(ref.lin.Params())
		x, y := data.batch(16)
		ref.lossGrad(x, y)
		want.Sub(want, ref.lin.W.Grad) // SGD with lr 1
		// The bias moves too; only W is compared.
		ref.lin.B.Value.Sub(ref.lin.B.Value, ref.lin.B.Grad)
	}
	srv := paramserver.New(model.lin.Params(), workers, 0)
	train(srv, opt, 2)
	if !mat.EqualApprox(w, want, 1e-14) {
		t.Errorf("W after 2 steps:\n%v\nwant\n%v", mat.Formatted(w), mat.Formatted(want))
	}
	if s := srv.Stalenesses(); len(s) != 2 || s[0] != 0 || s[1] != 0 || srv.Dropped() != 0 {
		t.Errorf("stalenesses %v, %d dropped; want [0 0], 0", s, srv.Dropped())
	}
}

// forkable is the classifier as a training.Forker: its own LossGrad is
// never called when the loop's Source is the server (it panics to show it);
// its forks are the workers of setup.
type forkable struct{ c *classifier }

func (f forkable) Params() []*nn.Param          { return f.c.lin.Params() }
func (f forkable) LossGrad(int) (float64, int)  { panic("the model's own LossGrad ran") }
func (f forkable) Fork(k, n int) training.Model { return forked{setupWorker(f.c, k)} }

type forked struct{ w paramserver.Worker }

func (f forked) Params() []*nn.Param         { return f.w.Params }
func (f forked) LossGrad(int) (float64, int) { return f.w.LossGrad() }

// The training loop trains a Forker with Workers as its Source: the loss
// falls as in TestConverges, the model's own LossGrad never runs.
func TestLoopSource(t *testing.T) {
	model, _, _ := setup(0, 0.2)
	loop := training.NewLoop(forkable{model}, optim.NewSGD(model.lin.Params(), 0.2))
	srv := paramserver.New(model.lin.Params(), paramserver.Workers(forkable{model}, 3), 2)
	defer srv.Close()
	loop.Source = srv
	if err := loop.Run(context.Background(), 400, nil); err != nil {
		t.Fatal(err)
	}
	x, y := blobs{rand.New(rand.NewPCG(3, 3))}.batch(2000)
	if after := model.loss.Forward(model.lin.Forward(x), y, nil); after > 0.15 {
		t.Errorf("loss %.4f after 400 steps, want below 0.15", after)
	}
}
