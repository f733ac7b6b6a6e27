package nn

import (
	"slices"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"gonum.org/v1/gonum/mat"
)

// Recurrent is a SeqLayer that carries a state from one step to the next:
// h for RNN and GRU, h and c for LSTM (c is nil for the others). Its state
// methods open both ends of the sequence, in both directions, so that states
// and their gradients can be passed between layers and between chunks:
//
//	forward:   SetState(h0, c0) → ForwardSeq → State() = (h_T, c_T)
//	backward:  SetStateGrad(∂L/∂h_T, ∂L/∂c_T) → BackwardSeq → StateGrad() = (∂L/∂h0, ∂L/∂c0)
//
// A seq2seq model hands the encoder's State to the decoder's SetState, and
// the decoder's StateGrad to the encoder's SetStateGrad. A character language
// model trained with truncated backpropagation through time carries the
// state from one chunk to the next with
//
//	l.SetState(l.State())
//
// and never sets a state gradient: the gradient stops at the chunk boundary.
//
// With lengths, the final state of row b is its state after its last real
// step lengths[b]−1: padded steps carry the state unchanged, and ∂L/∂h_T
// flows back through them unchanged to that step.
type Recurrent interface {
	SeqLayer
	// SetState sets the initial state of every following ForwardSeq, and
	// the state the next Step starts from (nil means zeros). The layer reads
	// h and c but never writes them.
	SetState(h, c *mat.Dense)
	// State returns copies of the current state: the state after the last
	// ForwardSeq or Step, or the one SetState set since (nil means zeros).
	State() (h, c *mat.Dense)
	// SetStateGrad sets the gradient of the loss with respect to the final
	// state, which every following BackwardSeq adds at the last step (nil
	// means zero).
	SetStateGrad(dh, dc *mat.Dense)
	// StateGrad returns the gradient of the loss with respect to the
	// initial state, computed by the last BackwardSeq. The matrices belong
	// to the layer and are overwritten by the next BackwardSeq.
	StateGrad() (dh, dc *mat.Dense)
	// Step advances the current state by one step of input x (B×d) and
	// returns the new h (B×H), without a cache: the talk's stateful step,
	// for sampling and greedy decoding.
	Step(x *mat.Dense) *mat.Dense
	// Reset sets the state to zeros, as SetState(nil, nil) does.
	Reset()
}

// stacked is a (n·b)×w matrix seen as n blocks of b×w: the time-major layout
// of a sequence batch in one matrix. Block t holds step t of every example,
// so a product over all steps is one gemm over all, and a product for one
// step is one gemm over steps[t].
type stacked struct {
	n, b  int
	buf   []float64    // the memory of all, kept from resize to resize
	all   *mat.Dense   // (n·b)×w, over buf
	steps []*mat.Dense // n views of all, b×w each
	lead  *mat.Dense   // blocks 0 … n−2, ((n−1)·b)×w: h_0 … h_{T−1} of a state history
	tail  *mat.Dense   // blocks 1 … n−1, ((n−1)·b)×w: h_1 … h_T
}

// resize makes s n blocks of b×w. It keeps its memory while that is large
// enough, so that a layer called again and again on batches of one size
// allocates nothing after the first call; the contents are kept when the
// shape is unchanged and are garbage otherwise.
func (s *stacked) resize(n, b, w int) {
	if s.all != nil && s.n == n && s.b == b {
		if _, c := s.all.Dims(); c == w {
			return
		}
	}
	if cap(s.buf) < n*b*w {
		s.buf = make([]float64, n*b*w)
	}
	s.n, s.b = n, b
	s.frame(w)
	s.steps = SplitSteps(s.all, n, b)
}

// grow adds a block n+1 to s, keeping the contents of the others: the
// cache of one more step (GRU.ForwardStep). The memory grows by doubling, so
// T steps copy O(T) blocks.
func (s *stacked) grow() {
	_, w := s.all.Dims()
	old, size := s.n*s.b*w, (s.n+1)*s.b*w
	s.n++
	if cap(s.buf) < size {
		s.buf = slices.Grow(s.buf[:old], size-old)
		s.frame(w)
		s.steps = SplitSteps(s.all, s.n, s.b)
		return
	}
	s.frame(w)
	s.steps = append(s.steps, s.all.Slice(old/w, size/w, 0, w).(*mat.Dense))
}

// frame sets all, lead and tail to n blocks of b×w over buf.
func (s *stacked) frame(w int) {
	s.all = mat.NewDense(s.n*s.b, w, s.buf[:s.n*s.b*w])
	s.lead, s.tail = nil, nil
	if s.n > 1 {
		s.lead = s.all.Slice(0, (s.n-1)*s.b, 0, w).(*mat.Dense)
		s.tail = s.all.Slice(s.b, s.n*s.b, 0, w).(*mat.Dense)
	}
}

// seqCache is what a gated layer (LSTM, GRU) keeps of a sequence whatever
// its gates: the lengths, the inputs x_t, the states h_0 … h_T, the
// outputs, its weights packed for the sequence's products, and where
// BackwardStep stands. The layer adds its gates' blocks.
type seqCache struct {
	lens   []int
	padded bool
	back   int     // the steps BackwardStep has still to run; 0: none begun
	x      stacked // T blocks B×d
	hs     stacked // T+1 blocks B×H: h_0 … h_T
	ys     stacked // T blocks B×H: the outputs
	// Wh, Wx, Whᵀ and Wxᵀ packed for the per-step products of the
	// current sequence (reset by begin).
	whP, wxP, whTP, wxTP PackedWeight
}

// forwardSeq is the ForwardSeq of a gated layer l whose cache is c: every
// step in turn, as a Pipeline runs them one at a time.
func forwardSeq(l stepLayer, c *seqCache, xs []*mat.Dense, lengths []int) []*mat.Dense {
	steps, b := seqDims(xs, -1) // input checks the width
	l.beginSeq(steps, b, lengths)
	for t, x := range xs {
		l.forwardAt(t, x)
	}
	l.endSeq()
	return c.ys.steps
}

// begin sizes the cache for T steps of B rows, inputs of width d and
// states of width H, with lengths (nil: all T long), sets h_0 to h0 (nil:
// zeros) and marks the packed weights stale.
func (c *seqCache) begin(steps, b, d, hid int, lengths []int, h0 *mat.Dense) {
	c.lens, c.padded = seqLengths(c.lens, lengths, steps, b)
	c.x.resize(steps, b, d)
	c.hs.resize(steps+1, b, hid)
	c.ys.resize(steps, b, hid)
	setInitial(c.hs.steps[0], h0)
	for _, w := range []*PackedWeight{&c.whP, &c.wxP, &c.whTP, &c.wxTP} {
		w.Reset()
	}
}

// input checks x (B×d) and copies it into block t of the inputs.
func (c *seqCache) input(t int, x *mat.Dense) {
	_, d := c.x.all.Dims()
	MustDims(x, c.x.b, d)
	copyInto(c.x.steps[t], x)
}

// output writes the output of step t, h_{t+1} with the padded rows zeroed,
// and returns it.
func (c *seqCache) output(t int) *mat.Dense {
	outputAt(c.ys.steps[t], c.hs.steps[t+1], c.lens, t)
	return c.ys.steps[t]
}

// extend adds a step T to the cache of a sequence without lengths, and to
// the layer's own blocks more, for an input x (B×d), and returns T: the
// start of ForwardStep.
func (c *seqCache) extend(x *mat.Dense, more ...*stacked) int {
	mustForward(&c.x)
	if c.padded {
		panic("nn: ForwardStep after a ForwardSeq with lengths")
	}
	_, d := c.x.all.Dims()
	MustDims(x, c.x.b, d)
	t := c.x.n
	for _, s := range append([]*stacked{&c.x, &c.hs, &c.ys}, more...) {
		s.grow()
	}
	for i := range c.lens {
		c.lens[i]++
	}
	return t
}

// SplitSteps returns the n views b×w of x ((n·b)×w) in which a
// time-major sequence batch is stored: view t is step t, rows t·b … t·b+b−1.
// The views share x's memory.
func SplitSteps(x *mat.Dense, n, b int) []*mat.Dense {
	_, w := x.Dims()
	steps := make([]*mat.Dense, n)
	for t := range steps {
		steps[t] = x.Slice(t*b, (t+1)*b, 0, w).(*mat.Dense)
	}
	return steps
}

// Ensure returns m when it is r×c, and a new zero r×c matrix otherwise: a
// buffer kept from call to call while the shape holds. Packages built on nn
// keep theirs with it too.
func Ensure(m *mat.Dense, r, c int) *mat.Dense {
	if m != nil {
		if mr, mc := m.Dims(); mr == r && mc == c {
			return m
		}
	}
	return mat.NewDense(r, c, nil)
}

// seqLengths checks lengths against a batch of b sequences of t steps and
// writes them into dst (reusing its memory), with nil meaning every row is
// t steps long. It reports whether any row is padded.
func seqLengths(dst, lengths []int, t, b int) ([]int, bool) {
	if lengths != nil && len(lengths) != b {
		panic(ErrShape)
	}
	dst = dst[:0]
	padded := false
	for i := 0; i < b; i++ {
		n := t
		if lengths != nil {
			n = lengths[i]
		}
		if n < 0 || n > t {
			panic(ErrShape)
		}
		padded = padded || n < t
		dst = append(dst, n)
	}
	return dst, padded
}

// seqDims returns T, B and the width of xs, and panics with ErrShape unless
// every step is B×in.
func seqDims(xs []*mat.Dense, in int) (t, b int) {
	if len(xs) == 0 {
		panic(ErrShape)
	}
	b, _ = xs[0].Dims()
	for _, x := range xs {
		MustDims(x, b, in)
	}
	return len(xs), b
}

// copyInto copies src (r×c) into dst (r×c), row by row, so that views with
// any stride work.
func copyInto(dst, src *mat.Dense) {
	r, _ := dst.Dims()
	for i := 0; i < r; i++ {
		copy(dst.RawRowView(i), src.RawRowView(i))
	}
}

// zeroRow sets row i of m to zero.
func zeroRow(m *mat.Dense, i int) {
	clear(m.RawRowView(i))
}

// stackInputs copies the T steps xs (each B×d) into the blocks of x.
func stackInputs(x *stacked, xs []*mat.Dense) {
	for t, xt := range xs {
		copyInto(x.steps[t], xt)
	}
}

// setInitial copies h0 (B×H, nil meaning zeros) into dst.
func setInitial(dst, h0 *mat.Dense) {
	if h0 == nil {
		dst.Zero()
		return
	}
	r, c := dst.Dims()
	MustDims(h0, r, c)
	copyInto(dst, h0)
}

// carryPadded applies the padding rule to step t: the rows b whose sequence
// has ended (t ≥ lens[b]) are copied from src to dst. Forward carries the
// state h_t = h_{t−1} this way, Backward the gradient dh_{t−1} = dh_t.
func carryPadded(dst, src *mat.Dense, lens []int, t int) {
	for b, n := range lens {
		if t >= n {
			copy(dst.RawRowView(b), src.RawRowView(b))
		}
	}
}

// tanhInPlace sets every element of m to its tanh, with lib/blas's TanhTo
// (within 2 ulp of math.Tanh, and 5× faster). min-char-rnn's training is
// chaotic at the scale of an ulp, so any such change moves where a given
// seed ends up; charrnn's TestMemorise therefore trains from three seeds.
func tanhInPlace(m *mat.Dense) {
	r, _ := m.Dims()
	for i := 0; i < r; i++ {
		row := m.RawRowView(i)
		seqblas.TanhTo(row, row)
	}
}

// mustForward panics unless ForwardSeq has run: BackwardSeq reads its cache.
func mustForward(x *stacked) {
	if x.all == nil {
		panic("nn: BackwardSeq before ForwardSeq")
	}
}

// outputs copies the states h_1 … h_T (blocks 1 … T of hs) into ys and
// zeroes the padded rows: the layer's output, which the caller may modify
// without touching the cache that BackwardSeq reads.
func outputs(ys, hs *stacked, lens []int) {
	for t, y := range ys.steps {
		outputAt(y, hs.steps[t+1], lens, t)
	}
}

// outputAt copies the state h_{t+1} into y, the output of step t, and
// zeroes the rows whose sequence has ended (t ≥ lens[b]).
func outputAt(y, h *mat.Dense, lens []int, t int) {
	copyInto(y, h)
	for b, n := range lens {
		if t >= n {
			zeroRow(y, b)
		}
	}
}

// gradRow returns row b of dy, or nil when dy is nil (a zero gradient).
func gradRow(dy *mat.Dense, b int) []float64 {
	if dy == nil {
		return nil
	}
	return dy.RawRowView(b)
}

// cellBackward is the part of backpropagation through time that a gated
// layer (GRU, LSTM) writes itself: size the gradient buffers and take the
// final state's gradient, go back through one step, and add the weight
// gradients of all steps. backwardSeq and backwardStep drive it.
type cellBackward interface {
	startBackward()
	backStep(t int, dy *mat.Dense)
	endBackward()
}

// backwardSeq goes back through every cached step of x (the layer's
// stacked inputs) with the output gradients dys (each B×H, or nil).
func backwardSeq(l cellBackward, x *stacked, hidden int, dys []*mat.Dense) {
	mustForward(x)
	checkGrads(dys, x.n, x.b, hidden)
	l.startBackward()
	for t := x.n - 1; t >= 0; t-- {
		l.backStep(t, dys[t])
	}
	l.endBackward()
}

// backwardStep goes back through the latest cached step that *back (the
// steps still to go back through; 0 when none has begun) has not passed,
// with output gradient dy, and returns its index t: BackwardSeq one step at
// a time. At t = 0 it adds the weight gradients of all steps.
func backwardStep(l cellBackward, x *stacked, hidden int, back *int, dy *mat.Dense) int {
	mustForward(x)
	checkGrads([]*mat.Dense{dy}, 1, x.b, hidden)
	if *back == 0 {
		l.startBackward()
		*back = x.n
	}
	*back--
	t := *back
	l.backStep(t, dy)
	if t == 0 {
		l.endBackward()
	}
	return t
}

// backwardAt goes back through step t of l's cache (steps T−1 … t+1 gone
// back through since startBackward) with output gradient dy (B×H, or nil
// for zero) and returns the step's input gradient, block t of dx: one step
// of backwardSeq, for a Pipeline, which calls endBackward itself after
// step 0 has been handed on.
func backwardAt(l cellBackward, x, dx *stacked, hidden, t int, dy *mat.Dense) *mat.Dense {
	checkGrads([]*mat.Dense{dy}, 1, x.b, hidden)
	l.backStep(t, dy)
	return dx.steps[t]
}

// checkGrads panics unless dys holds T steps, each nil (zero) or B×H.
func checkGrads(dys []*mat.Dense, t, b, h int) {
	if len(dys) != t {
		panic(ErrShape)
	}
	for _, dy := range dys {
		if dy != nil {
			MustDims(dy, b, h)
		}
	}
}

// copyState returns a copy of m, or nil when m is nil.
func copyState(m *mat.Dense) *mat.Dense {
	if m == nil {
		return nil
	}
	return mat.DenseCopyOf(m)
}

// startGrad sets dst (B×H) to the final-state gradient g, or to zero when
// g is nil.
func startGrad(dst, g *mat.Dense) {
	if g == nil {
		dst.Zero()
		return
	}
	r, c := dst.Dims()
	MustDims(g, r, c)
	copyInto(dst, g)
}

// transposeTo returns dst (reused when it is c×r, reallocated otherwise)
// set to mᵀ, where m is r×c. BackwardSeq multiplies every step's gradient
// by Whᵀ; multiplying by a transposed copy made once per sequence lets the
// BLAS read the weights row by row in place, instead of repacking Whᵀ on
// each of the T steps (lib/blas reads an untransposed B of a short product
// without packing it).
func transposeTo(dst, m *mat.Dense) *mat.Dense {
	r, c := m.Dims()
	dst = Ensure(dst, c, r)
	// Four rows of m at a time, so that each visit to a row of dst writes
	// four consecutive values: twice as fast (100×100 and 512×2048) as the
	// 32×32 tiles of single elements it replaced, whose every write went to
	// another row; that transpose was 5 % of min-char-rnn's training time.
	src, d := m.RawMatrix(), dst.RawMatrix()
	i := 0
	for ; i+4 <= r; i += 4 {
		r0 := src.Data[i*src.Stride : i*src.Stride+c]
		r1 := src.Data[(i+1)*src.Stride : (i+1)*src.Stride+c]
		r2 := src.Data[(i+2)*src.Stride : (i+2)*src.Stride+c]
		r3 := src.Data[(i+3)*src.Stride : (i+3)*src.Stride+c]
		for j := range r0 {
			o := d.Data[j*d.Stride+i : j*d.Stride+i+4 : j*d.Stride+i+4]
			o[0], o[1], o[2], o[3] = r0[j], r1[j], r2[j], r3[j]
		}
	}
	for ; i < r; i++ {
		for j, v := range src.Data[i*src.Stride : i*src.Stride+c] {
			d.Data[j*d.Stride+i] = v
		}
	}
	return dst
}
