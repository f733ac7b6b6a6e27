package nn

import (
	"iter"
	"slices"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Pipeline runs the layers of a Stack each on a goroutine of its own,
// pipelined over the time steps: the model parallelism of GNMT (Wu et al.
// 2016, "Google's Neural Machine Translation System", §3), where each layer
// of the stacked LSTM sits on its own GPU. Layer k can run step t as soon
// as layer k−1 has output y^{k−1}_t, so while layer k works on step t,
// layer k−1 already works on step t+1 — a wavefront through the stack:
//
//	forward     time →  1    2    3    4    5
//	layer 3                       t=1  t=2  t=3 …
//	layer 2                  t=1  t=2  t=3  t=4 …
//	layer 1             t=1  t=2  t=3  t=4  t=5 …
//
// Backpropagation through time runs every layer from step T down to 1, and
// layer k's step t needs the gradient of its output at t, which is the
// input gradient of layer k+1's step t (plus the residual path):
//
//	∂L/∂y^k_t = ∂L/∂x^{k+1}_t  (+ ∂L/∂y^{k+1}_t with a residual connection)
//
// so the backward pass is the reverse wavefront, from the top layer down:
// layer k at step t alongside layer k+1 at step t−1. Each layer carries its
// own dh_t and dc_t from step to step, as BackwardSeq does, and adds its
// weight gradients as one product over all steps once it has handed on
// the input gradient of step 1, while the layers below still run. With L
// layers on L cores, T steps take about T + L − 1 step times instead of
// T·L.
//
// The results are those of Stack.ForwardSeq and Stack.BackwardSeq on the
// same layers, bit for bit: every layer does the same arithmetic in the
// same order, only on another goroutine. Residual connections and their
// clipping (Stack.Residual, Stack.Clip) are applied step by step. LSTM and
// GRU layers run one step at a time; any other SeqLayer (RNN,
// Bidirectional, a Stack) runs its whole sequence once all of its input
// steps have arrived, and then hands every step on — as GNMT's
// bidirectional bottom layer must, since its backward direction starts at
// the last step.
//
// Every pass records when each layer worked on each step (Spans): the
// pipeline diagram. A Pipeline is a SeqLayer: it stands in for the Stack
// it runs, whose layers keep their states (SetState before ForwardSeq,
// State after) as when the Stack runs them. The panic of a layer (a shape
// mismatch) is raised again on the caller's goroutine.
type Pipeline struct {
	Stack *Stack

	start time.Time
	spans [][]Span // spans[k]: layer k's, in the order it ran them
	// fwd[k] are the inputs of layer k (fwd[0] the caller's xs) and
	// fwd[L] the outputs; bwd[k] the gradients with respect to fwd[k].
	fwd, bwd [][]*mat.Dense
	noGrad   bool // the bottom layer returned no input gradient (RNN.NoInputGrad)
}

// Span is the time a layer of a Pipeline spent on one step, measured from
// the start of the last ForwardSeq. Step is −1 for work on all steps at
// once: the whole pass of a layer that is not run step by step, or, with
// Weights set, the weight-gradient products that end a layer's backward
// pass.
type Span struct {
	Layer, Step       int
	Backward, Weights bool
	Start, End        time.Duration
}

// NewPipeline returns a pipeline over the layers of s.
func NewPipeline(s *Stack) *Pipeline { return &Pipeline{Stack: s} }

// stepLayer is a layer that a Pipeline runs one step at a time, forward
// (beginSeq, then forwardAt for t = 0 … T−1, then endSeq: what its
// ForwardSeq does) and backward (startBackward, backwardAt for t = T−1 …
// 0, then endBackward: what its BackwardSeq does). LSTM and GRU are.
type stepLayer interface {
	SeqLayer
	beginSeq(steps, b int, lengths []int)
	forwardAt(t int, x *mat.Dense) *mat.Dense
	endSeq()
	cellBackward
	backwardAt(t int, dy *mat.Dense) *mat.Dense
}

// ForwardSeq runs the stack's layers over xs (T steps, each B×d), each
// layer on its own goroutine, and returns the top layer's outputs, as
// Stack.ForwardSeq does.
func (p *Pipeline) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	s := p.Stack
	s.begin(xs, lengths)
	steps, n := len(xs), len(s.Layers)
	b, _ := xs[0].Dims()
	p.start = time.Now()
	p.spans = slices.Grow(p.spans[:0], n)[:n]
	for k := range p.spans {
		p.spans[k] = p.spans[k][:0]
	}
	p.fwd = resizeSteps(p.fwd, n+1, steps)
	copy(p.fwd[0], xs)
	p.run(steps, false, func(k int, in <-chan int, out chan<- int) {
		l, residual := s.Layers[k], s.residual(k)
		x, y := p.fwd[k], p.fwd[k+1]
		sl, ok := l.(stepLayer)
		if !ok {
			if !all(in, steps) {
				return
			}
			t0 := time.Since(p.start)
			copy(y, l.ForwardSeq(x, lengths))
			for t := range y {
				if residual {
					y[t] = s.residualAt(&s.sums[k], steps, t, y[t], x[t], s.Clip > 0)
				}
			}
			p.record(Span{Layer: k, Step: -1}, t0)
			for t := 0; t < steps; t++ {
				out <- t
			}
			return
		}
		sl.beginSeq(steps, b, lengths)
		for t := range arrivals(in, steps) {
			t0 := time.Since(p.start)
			y[t] = sl.forwardAt(t, x[t])
			if residual {
				y[t] = s.residualAt(&s.sums[k], steps, t, y[t], x[t], s.Clip > 0)
			}
			p.record(Span{Layer: k, Step: t}, t0)
			out <- t
		}
		sl.endSeq()
	})
	return p.fwd[n]
}

// BackwardSeq takes ∂L/∂y_t for the T outputs of the last ForwardSeq (nil
// entries are zero), runs backpropagation through time in every layer on
// its own goroutine, from the top layer down, and returns ∂L/∂xs, as
// Stack.BackwardSeq does.
func (p *Pipeline) BackwardSeq(dys []*mat.Dense) []*mat.Dense {
	s := p.Stack
	n := len(s.Layers)
	if len(p.fwd) != n+1 {
		panic("nn: BackwardSeq before ForwardSeq")
	}
	steps := len(p.fwd[0])
	if len(dys) != steps {
		panic(ErrShape)
	}
	p.bwd = resizeSteps(p.bwd, n+1, steps)
	copy(p.bwd[n], dys)
	p.noGrad = false
	p.run(steps, true, func(k int, in <-chan int, out chan<- int) {
		l, residual := s.Layers[k], s.residual(k)
		d, dx := p.bwd[k+1], p.bwd[k]
		grad := func(t int) *mat.Dense {
			if residual && s.Clip > 0 {
				return s.clippedGradAt(k, t, d[t])
			}
			return d[t]
		}
		sl, ok := l.(stepLayer)
		if !ok {
			if !all(in, steps) {
				return
			}
			t0 := time.Since(p.start)
			g := make([]*mat.Dense, steps)
			for t := range g {
				g[t] = grad(t)
			}
			got := l.BackwardSeq(g)
			p.noGrad = k == 0 && got == nil
			for t := range dx {
				dx[t] = nil
				if got != nil {
					dx[t] = got[t]
				}
				if residual {
					dx[t] = s.residualAt(&s.dsums[k], steps, t, dx[t], g[t], false)
				}
			}
			p.record(Span{Layer: k, Step: -1, Backward: true}, t0)
			for t := steps - 1; t >= 0; t-- {
				out <- t
			}
			return
		}
		sl.startBackward()
		for t := range arrivals(in, steps) {
			t0 := time.Since(p.start)
			g := grad(t)
			dx[t] = sl.backwardAt(t, g)
			if residual {
				dx[t] = s.residualAt(&s.dsums[k], steps, t, dx[t], g, false)
			}
			p.record(Span{Layer: k, Step: t, Backward: true}, t0)
			out <- t
		}
		// The weight gradients of all steps, while the layer below goes
		// back through its step 0.
		t0 := time.Since(p.start)
		sl.endBackward()
		p.record(Span{Layer: k, Step: -1, Backward: true, Weights: true}, t0)
	})
	if p.noGrad {
		return nil
	}
	return p.bwd[0]
}

// run runs stage(k, in, out) for every layer k on a goroutine of its own,
// the stages linked by channels of step numbers: a stage takes step t from
// in once its input for t is in place, and sends t on out once its output
// for t is. The forward pass feeds steps 0 … T−1 to the bottom layer, the
// backward pass T−1 … 0 to the top one. A stage closes out when it returns,
// so that a stage whose input ends early (a panic below it) stops too; run
// waits for every stage and panics again with the first stage's panic, in
// the order of the data.
func (p *Pipeline) run(steps int, backward bool, stage func(k int, in <-chan int, out chan<- int)) {
	n := len(p.Stack.Layers)
	links := make([]chan int, n+1)
	for i := range links {
		links[i] = make(chan int, steps) // a stage never waits to send
	}
	first := links[0]
	if backward {
		first = links[n]
	}
	for i := 0; i < steps; i++ {
		t := i
		if backward {
			t = steps - 1 - i
		}
		first <- t
	}
	close(first)
	stages := make([]func(), n)
	for k := range stages {
		in, out := links[k], links[k+1]
		if backward {
			in, out = links[k+1], links[k]
		}
		stages[k] = func() {
			defer close(out)
			stage(k, in, out)
		}
	}
	if backward {
		slices.Reverse(stages)
	}
	inParallel(stages...)
}

// inParallel runs every f on a goroutine of its own, waits for them all,
// and panics again, on the caller's goroutine, with the first of their
// panics in the order of fs: a layer's shape panic reaches the caller, who
// may recover it, instead of ending the process.
func inParallel(fs ...func()) {
	panics := make([]any, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			f()
		}()
	}
	wg.Wait()
	for _, r := range panics {
		if r != nil {
			panic(r)
		}
	}
}

// all waits for every one of the T steps of in and reports whether they
// all came (false: the stage before stopped early).
func all(in <-chan int, steps int) bool {
	for i := 0; i < steps; i++ {
		if _, ok := <-in; !ok {
			return false
		}
	}
	return true
}

// arrivals returns the T steps of in as they come, and ends after the last
// one, or early when in is closed (the stage before stopped): a stage goes
// on to its weight gradients as soon as it has its last step, without
// waiting for the stage before to finish its own.
func arrivals(in <-chan int, steps int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < steps; i++ {
			t, ok := <-in
			if !ok || !yield(t) {
				return
			}
		}
	}
}

// record adds span, which began at start and ends now, to its layer's.
func (p *Pipeline) record(span Span, start time.Duration) {
	span.Start, span.End = start, time.Since(p.start)
	p.spans[span.Layer] = append(p.spans[span.Layer], span)
}

// Spans returns what every layer worked on during the last ForwardSeq and
// the BackwardSeq after it, ordered by start time: the pipeline diagram.
func (p *Pipeline) Spans() []Span {
	var all []Span
	for _, s := range p.spans {
		all = append(all, s...)
	}
	slices.SortStableFunc(all, func(a, b Span) int { return int(a.Start - b.Start) })
	return all
}

// Params returns the parameters of the stack's layers, bottom first.
func (p *Pipeline) Params() []*Param { return p.Stack.Params() }

// Replica returns a *Pipeline over a replica of the stack: shared weights,
// own caches and gradients (see Replicator).
func (p *Pipeline) Replica() SeqLayer { return NewPipeline(p.Stack.Replica().(*Stack)) }

// Shared returns a *Pipeline over a shared copy of the stack (see Sharer).
func (p *Pipeline) Shared() SeqLayer { return NewPipeline(p.Stack.Shared().(*Stack)) }

// Sublayers returns the stack's layers, named as the Stack names them (see
// Container): a Pipeline in place of its Stack changes no parameter's
// name, so that a model's checkpoints read the same either way.
func (p *Pipeline) Sublayers() (names []string, layers []SeqLayer) { return p.Stack.Sublayers() }

// SetClip sets the stack's Clip (see Clipper).
func (p *Pipeline) SetClip(delta float64) { p.Stack.SetClip(delta) }

// QuantizeWith returns q's int8 twin of the stack, which decodes one layer
// after another (see Quantizer).
func (p *Pipeline) QuantizeWith(q Quantizer) (any, error) { return q.QuantizeStack(p.Stack) }

// resizeSteps returns n lists of T step matrices, reusing the memory of m.
func resizeSteps(m [][]*mat.Dense, n, steps int) [][]*mat.Dense {
	m = slices.Grow(m[:0], n)[:n]
	for k := range m {
		m[k] = slices.Grow(m[k][:0], steps)[:steps]
	}
	return m
}
