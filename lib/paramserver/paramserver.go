// Package paramserver is asynchronous data parallelism: a parameter server
// and its workers in one process, after Downpour SGD (Dean et al. 2012,
// "Large Scale Distributed Deep Networks", §4.1), the second way of the
// talk's "fast training" slides.
//
// Synchronous data parallelism (a model's LossGrad with workers > 1) splits
// every batch among N replicas, waits for all of them, sums their
// gradients and takes one optimizer step: the result is that of one worker
// on the whole batch, and the slowest replica sets the pace. Here nobody
// waits for anybody. Each worker loops on its own, on its own batches:
//
//	pull:  θ_w ← θ                        copy the server's weights (version v)
//	grad:  g ← ∇L(θ_w; its next batch)     on its own copy, while others push
//	push:  θ ← θ − update(g)               the server applies g (version v′+1)
//
// and the server applies the pushes one at a time, in the order they come,
// with the model's own optimizer. A push computed from version v and
// applied at version v′ is v′ − v versions stale: the other workers'
// pushes landed in between, and g is the gradient at weights that are no
// longer the server's. Staleness is the price of never waiting; Downpour
// lets it grow without bound, which can make training diverge when one
// worker falls far behind.
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
// # The server is a model of the training loop
//
// The server's weights are the model's own Params, and a Server is itself
// what the training loop trains (lib/training's Model: Params and
// LossGrad): its LossGrad waits for the next push that is fresh enough,
// puts that worker's gradient into the Grads and returns the worker's loss
// and tokens, and the loop then checks, clips and applies it with its
// optimizer exactly as it would a synchronous gradient. Every read and
// write of the server's weights — a worker's pull, a push, the optimizer's
// step — happens on the loop's goroutine, one after another; each worker
// computes on a private copy of the weights (nn.Detach) with its own
// gradients.
package paramserver

import (
	"context"
	"fmt"
	"sync"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/training"
)

// Worker is one worker's model: Params are its own weights and gradients
// (nn.Detach a replica's parameters to give it weights of its own), in the
// order and shapes of the server's; LossGrad computes the loss on the
// worker's next batch and adds its gradient into Params' Grad, and returns
// the loss and the number of tokens (or examples) it covered. Each worker
// runs on its own goroutine.
type Worker struct {
	Params   []*nn.Param
	LossGrad func() (loss float64, tokens int)
}

// Server holds the central weights and applies the workers' gradients as
// they come (see the package documentation). Its methods other than
// Close, Version and Dropped are for the one goroutine that trains it.
type Server struct {
	// Staleness is the bound S on the staleness of an applied push;
	// negative means none.
	Staleness int

	params  []*nn.Param
	workers []Worker
	msgs    chan message // the workers' pulls and pushes
	cancel  context.CancelFunc
	done    sync.WaitGroup

	mu       sync.Mutex // guards the counts below, read by Version and Dropped
	version  int        // pushes taken (the loop applies each before the next LossGrad)
	dropped  int        // pushes dropped as too stale
	stale    []int      // staleness of every push taken, in order
	panicked any        // a worker's panic, raised again by LossGrad
}

// message is a worker's pull (push false) or push, with the channel on
// which the server answers: the version pulled, or that the push was
// taken in (applied or dropped).
type message struct {
	worker  int
	push    bool
	version int // of a push: the version its weights were pulled at
	loss    float64
	tokens  int
	reply   chan int
}

// New returns a server over params (the model's weights) and its workers,
// which start on the first LossGrad.
func New(params []*nn.Param, workers []Worker, staleness int) *Server {
	for k, w := range workers {
		if len(w.Params) != len(params) {
			panic(fmt.Sprintf("paramserver: worker %d has %d parameters, the server %d", k, len(w.Params), len(params)))
		}
	}
	return &Server{Staleness: staleness, params: params, workers: workers}
}

// Params returns the server's weights: the model's.
func (s *Server) Params() []*nn.Param { return s.params }

// Version returns the number of pushes taken so far.
func (s *Server) Version() int { s.mu.Lock(); defer s.mu.Unlock(); return s.version }

// Dropped returns the number of pushes dropped as too stale.
func (s *Server) Dropped() int { s.mu.Lock(); defer s.mu.Unlock(); return s.dropped }

// Stalenesses returns the staleness of every push taken so far, in order.
func (s *Server) Stalenesses() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.stale...)
}

// LossGrad serves the workers' pulls until a push at most Staleness
// versions stale arrives, adds its gradient into the server's Grads (which
// the caller has zeroed) and returns the worker's loss and tokens; the
// caller then applies the Grads with its optimizer before the next call,
// as the training loop does. step is not read: the batches are the
// workers'. It starts the workers on its first call, and panics with a
// worker's panic.
func (s *Server) LossGrad(step int) (loss float64, tokens int) {
	if s.msgs == nil {
		s.start()
	}
	for {
		m := <-s.msgs
		if m.worker < 0 {
			s.Close()
			panic(s.panicked)
		}
		w := s.workers[m.worker]
		if !m.push {
			for i, p := range s.params {
				w.Params[i].Value.Copy(p.Value)
			}
			m.reply <- s.Version()
			continue
		}
		s.mu.Lock()
		stale := s.version - m.version
		take := s.Staleness < 0 || stale <= s.Staleness
		if take {
			nn.AddGrads(s.params, w.Params, 1)
			s.version++
			s.stale = append(s.stale, stale)
		} else {
			s.dropped++
		}
		s.mu.Unlock()
		m.reply <- 0
		if take {
			return m.loss, m.tokens
		}
	}
}

// start starts the workers' goroutines.
func (s *Server) start() {
	var ctx context.Context
	ctx, s.cancel = context.WithCancel(context.Background())
	s.msgs = make(chan message)
	for k, w := range s.workers {
		s.done.Add(1)
		go func() {
			defer s.done.Done()
			defer func() {
				if r := recover(); r != nil {
					s.mu.Lock()
					s.panicked = fmt.Sprintf("paramserver: worker %d: %v", k, r)
					s.mu.Unlock()
					select {
					case s.msgs <- message{worker: -1}:
					case <-ctx.Done():
					}
				}
			}()
			reply := make(chan int, 1)
			// send sends m and returns the server's answer, or false when
			// the server has closed.
			send := func(m message) (int, bool) {
				select {
				case s.msgs <- m:
					return <-reply, true
				case <-ctx.Done():
					return 0, false
				}
			}
			for {
				version, ok := send(message{worker: k, reply: reply})
				if !ok {
					return
				}
				nn.ZeroGrads(w.Params)
				loss, tokens := w.LossGrad()
				if _, ok := send(message{worker: k, push: true, version: version, loss: loss, tokens: tokens, reply: reply}); !ok {
					return
				}
			}
		}()
	}
}

// Close stops the workers and waits for them to return; a worker in the
// middle of a batch finishes it first, and its push is lost.
func (s *Server) Close() {
	if s.cancel != nil {
		s.cancel()
		s.done.Wait()
	}
}

// Workers returns n workers forked from a model (training.Forker): worker
// k's Params are those of its fork, and its LossGrad the fork's on the
// fork's own count of batches, 0, 1, 2, ….
func Workers(m training.Forker, n int) []Worker {
	ws := make([]Worker, n)
	for k := range ws {
		f, batches := m.Fork(k, n), 0
		ws[k] = Worker{Params: f.Params(), LossGrad: func() (float64, int) {
			loss, tokens := f.LossGrad(batches)
			batches++
			return loss, tokens
		}}
	}
	return ws
}
