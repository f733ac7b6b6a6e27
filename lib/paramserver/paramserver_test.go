package paramserver_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/paramserver"
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

// setup returns the central model, a server over it with SGD, and n
// workers with their own weights (Detach) and their own data.
func setup(n, staleness int, lr float64) (*classifier, *paramserver.Server, []paramserver.Worker) {
	rng := rand.New(rand.NewPCG(1, 1))
	model := &classifier{lin: nn.NewLinear(rng, 2, 3)}
	opt := optim.NewSGD(model.lin.Params(), lr)
	srv := paramserver.New(model.lin.Params(), func() { opt.Step(); opt.ZeroGrad() }, staleness)
	workers := make([]paramserver.Worker, n)
	for k := range workers {
		w := &classifier{lin: model.lin.Replica()}
		paramserver.Detach(w.lin.Params())
		data := blobs{rand.New(rand.NewPCG(2, uint64(k)))}
		workers[k] = paramserver.Worker{Params: w.lin.Params(), LossGrad: func() (float64, int) {
			x, y := data.batch(16)
			return w.lossGrad(x, y), 16
		}}
	}
	return model, srv, workers
}

// Four workers train softmax regression asynchronously: 400 updates take
// the loss on 2,000 fresh points from above 1 (2.9 from this seed's
// initial weights) to below 0.15 (about 0.015 when measured; the classes
// overlap little).
func TestRunConverges(t *testing.T) {
	model, srv, workers := setup(4, 8, 0.2)
	test := blobs{rand.New(rand.NewPCG(3, 3))}
	x, y := test.batch(2000)
	before := model.loss.Forward(model.lin.Forward(x), y, nil)
	var mu sync.Mutex
	seen := map[int]int{}
	err := srv.Run(context.Background(), workers, 400, func(u paramserver.Update) {
		mu.Lock()
		seen[u.Worker]++
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	after := model.loss.Forward(model.lin.Forward(x), y, nil)
	t.Logf("loss %.4f → %.4f in %d updates, %d dropped, updates by worker %v", before, after, srv.Version(), srv.Dropped(), seen)
	if srv.Version() != 400 {
		t.Errorf("version %d after Run(400)", srv.Version())
	}
	if after > 0.15 || !(before > 1) {
		t.Errorf("loss %.4f → %.4f, want from above 1 to below 0.15", before, after)
	}
}

// Every applied push is at most S versions stale, and every push is either
// applied or dropped. The first round is forced to overlap: every worker
// pulls version 0 before any computes, and none computes a second gradient
// before all first ones have reached the server, so N − 1 − S of the first
// N pushes must be dropped.
func TestStalenessBounded(t *testing.T) {
	for _, tc := range []struct{ workers, staleness int }{{4, 0}, {4, 1}, {3, 2}} {
		_, srv, workers := setup(tc.workers, tc.staleness, 0.1)
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
				case 2: // wait until every first gradient has been pushed
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
		maxStale := 0
		err := srv.Run(context.Background(), workers, 60, func(u paramserver.Update) {
			maxStale = max(maxStale, u.Staleness)
		})
		if err != nil {
			t.Fatal(err)
		}
		if maxStale > tc.staleness {
			t.Errorf("N=%d S=%d: an applied push was %d versions stale", tc.workers, tc.staleness, maxStale)
		}
		if want := tc.workers - 1 - tc.staleness; srv.Dropped() < want {
			t.Errorf("N=%d S=%d: %d pushes dropped, want at least %d from the first round", tc.workers, tc.staleness, srv.Dropped(), want)
		}
		// Pushes that reach the server are applied or dropped; at most one
		// per worker is discarded when the target is reached.
		if got := srv.Version() + srv.Dropped(); got > pushes || got < pushes-tc.workers {
			t.Errorf("N=%d S=%d: %d applied + %d dropped of %d pushes", tc.workers, tc.staleness, srv.Version(), srv.Dropped(), pushes)
		}
	}
}

// A worker's panic stops the run and comes back as an error naming it;
// cancelling the context stops it with the context's error.
func TestRunErrors(t *testing.T) {
	_, srv, workers := setup(3, -1, 0.1)
	workers[2].LossGrad = func() (float64, int) { panic("bad batch") }
	err := srv.Run(context.Background(), workers, 1000, nil)
	if err == nil || !strings.Contains(err.Error(), "worker 2: bad batch") {
		t.Errorf("Run = %v, want worker 2's panic", err)
	}
	_, srv, workers = setup(2, -1, 0.1)
	ctx, cancel := context.WithCancel(context.Background())
	err = srv.Run(ctx, workers, 1<<30, func(u paramserver.Update) {
		if u.Version == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || srv.Version() < 10 {
		t.Errorf("Run = %v at version %d, want context.Canceled after version 10", err, srv.Version())
	}
}

// Pull and Push by hand: a push from the current version is applied, one
// from an older version past the bound is dropped and changes nothing.
func TestPullPush(t *testing.T) {
	model, srv, workers := setup(1, 0, 1)
	w := workers[0]
	v := srv.Pull(w.Params)
	if !mat.Equal(w.Params[0].Value, model.lin.W.Value) || w.Params[0].Value == model.lin.W.Value {
		t.Fatal("Pull must copy the weights into the worker's own matrices")
	}
	nn.ZeroGrads(w.Params)
	w.LossGrad()
	want := mat.DenseCopyOf(model.lin.W.Value)
	want.Sub(want, w.Params[0].Grad) // SGD with lr 1
	if stale, ok := srv.Push(w.Params, v); !ok || stale != 0 {
		t.Fatalf("Push from the current version: staleness %d, applied %v", stale, ok)
	}
	if !mat.EqualApprox(model.lin.W.Value, want, 1e-15) {
		t.Errorf("W after the push is not W − ∂L/∂W")
	}
	before := mat.DenseCopyOf(model.lin.W.Value)
	if stale, ok := srv.Push(w.Params, v); ok || stale != 1 {
		t.Errorf("Push from version %d at version 1: staleness %d, applied %v; want 1, dropped", v, stale, ok)
	}
	if !mat.Equal(model.lin.W.Value, before) || srv.Dropped() != 1 {
		t.Errorf("a dropped push changed the weights or was not counted")
	}
}
