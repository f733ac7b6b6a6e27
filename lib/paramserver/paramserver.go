// Package paramserver is asynchronous data parallelism: a parameter server
// and its workers in one process, after Downpour SGD (Dean et al. 2012,
// "Large Scale Distributed Deep Networks", §4.1), the second way of the
// talk's "fast training" slides.
//
// Synchronous data parallelism (a model's LossGrad with workers > 1) splits
// every batch among N replicas, waits for all of them, sums their
// gradients and takes one optimizer step: the result is that of one worker
// on the whole batch, and the slowest replica sets the pace. Here nobody
// waits. Each worker loops on its own:
//
//	pull:  θ_w ← θ                       copy the server's weights (version v)
//	grad:  g ← ∇L(θ_w; its next batch)    on its own copy, while others push
//	push:  θ ← θ − update(g)              the server applies g at once (version v′+1)
//
// and the server applies the pushes in the order they come, with the
// model's own optimizer (its Adam or Adagrad state lives on the server).
// A push computed from version v and applied at version v′ is v′ − v
// versions stale: the other workers' pushes landed in between, and g is
// the gradient at weights that are no longer the server's. Staleness is
// the price of never waiting; Downpour lets it grow without bound, which
// can make training diverge when one worker falls far behind.
//
// # Bounded staleness: stale pushes are dropped
//
// With Staleness = S ≥ 0, a push more than S versions stale is dropped —
// not applied, counted in Dropped — and its worker pulls fresh weights and
// carries on with its next batch; no worker ever waits for another. (The
// other choice, making fast workers wait for slow ones as in stale
// synchronous parallel, Ho et al. 2013, cannot bound the staleness of the
// pushes themselves: two workers that pulled the same version would wait
// for each other at S = 0.) With N workers of equal speed a push is about
// N − 1 versions stale, so S ≥ N − 1 drops little; S = 0 keeps only pushes
// from the current weights, as sequential training would. A negative S is
// no bound: plain Downpour.
//
// The server's weights are the model's own Params; each worker has a
// private copy of them (Detach) and its own gradients, so that a worker's
// forward and backward pass never reads weights the server is writing.
package paramserver

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Server holds the central weights and applies the workers' gradients as
// they come. Its methods are safe for concurrent use.
type Server struct {
	// Staleness is the bound S on the staleness of an applied push;
	// negative means none (see the package documentation).
	Staleness int

	params  []*nn.Param // the central weights; Grad receives a push
	apply   func()      // the optimizer step on params' Grad
	mu      sync.Mutex
	version int // updates applied
	dropped int // pushes dropped as too stale
}

// New returns a server over params (the model's weights) that applies a
// pushed gradient by calling apply, with the gradient in params' Grad:
// typically the model's gradient clipping, then its optimizer's Step and
// ZeroGrad. apply must leave Grad zero.
func New(params []*nn.Param, apply func(), staleness int) *Server {
	return &Server{Staleness: staleness, params: params, apply: apply}
}

// Version returns the number of updates applied so far.
func (s *Server) Version() int { s.mu.Lock(); defer s.mu.Unlock(); return s.version }

// Dropped returns the number of pushes dropped as too stale.
func (s *Server) Dropped() int { s.mu.Lock(); defer s.mu.Unlock(); return s.dropped }

// Pull copies the server's weights into dst (a worker's parameters, in the
// order and shapes of the server's) and returns their version.
func (s *Server) Pull(dst []*nn.Param) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(dst) != len(s.params) {
		panic(nn.ErrShape)
	}
	for i, p := range s.params {
		dst[i].Value.Copy(p.Value)
	}
	return s.version
}

// Push applies the gradient in grads (a worker's parameters, Grad) computed
// from weights of the given version, unless it is more than Staleness
// versions stale. It reports the push's staleness and whether it was
// applied; after an applied push, the version is one more.
func (s *Server) Push(grads []*nn.Param, version int) (staleness int, applied bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.push(grads, version)
}

// push is Push with s.mu held.
func (s *Server) push(grads []*nn.Param, version int) (int, bool) {
	stale := s.version - version
	if s.Staleness >= 0 && stale > s.Staleness {
		s.dropped++
		return stale, false
	}
	nn.AddGrads(s.params, grads, 1)
	s.apply()
	s.version++
	return stale, true
}

// Worker is one worker's model: Params are its own weights and gradients
// (Detach a replica's parameters to give it its own weights), in the order
// and shapes of the server's; LossGrad computes the loss on the worker's
// next batch and adds its gradient into Params' Grad, and returns the loss
// and the number of tokens (or examples) it covered.
type Worker struct {
	Params   []*nn.Param
	LossGrad func() (loss float64, tokens int)
}

// Update is what Run reports after every applied push.
type Update struct {
	Version   int           // the server's version after it
	Worker    int           // the index of the worker that pushed it
	Staleness int           // versions between the worker's pull and this update
	Loss      float64       // the worker's loss on its batch
	Tokens    int           // tokens of that batch
	Dropped   int           // pushes dropped so far
	Elapsed   time.Duration // since Run began
}

// Run runs every worker on a goroutine of its own, pulling, computing and
// pushing, until the server's version reaches steps or ctx is done, and
// calls report (when not nil) after each applied push, on the pushing
// worker's goroutine, with the server locked: the weights are those of
// that update and stay still while report runs (it may save them, or
// evaluate them), and report must not call the server's methods. Work in
// flight when the target is reached is discarded. A worker's panic stops the run and is returned
// as an error; otherwise Run returns ctx's error if it was cancelled.
func (s *Server) Run(ctx context.Context, workers []Worker, steps int, report func(Update)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	errs := make([]error, len(workers))
	var wg sync.WaitGroup
	for k, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[k] = fmt.Errorf("paramserver: worker %d: %v", k, r)
					cancel()
				}
			}()
			for ctx.Err() == nil {
				version := s.Pull(w.Params)
				if version >= steps {
					cancel()
					return
				}
				nn.ZeroGrads(w.Params)
				loss, tokens := w.LossGrad()
				s.mu.Lock()
				if s.version >= steps || ctx.Err() != nil {
					s.mu.Unlock()
					return
				}
				stale, applied := s.push(w.Params, version)
				if applied && report != nil {
					report(Update{Version: s.version, Worker: k, Staleness: stale, Loss: loss, Tokens: tokens,
						Dropped: s.dropped, Elapsed: time.Since(start)})
				}
				s.mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if s.Version() < steps {
		return ctx.Err()
	}
	return nil
}

// Detach gives each of params its own copy of its Value, so that a
// replica's layers (which share the model's weights, see nn.Param.Replica)
// read weights of their own, which Pull overwrites: a worker's model.
func Detach(params []*nn.Param) {
	for _, p := range params {
		p.Value = mat.DenseCopyOf(p.Value)
	}
}
