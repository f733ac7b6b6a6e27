package nn

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Conv1D is a one-dimensional convolution along the steps of a sequence
// batch: F filters, each k steps wide, slide over the sequence, and output
// step t sees the k input steps centred on t (Collobert et al. 2011,
// "Natural Language Processing (almost) from Scratch"; over the characters
// of a word in dos Santos & Zadrozny 2014 and Ma & Hovy 2016):
//
//	y_t = b + Σ_{j=0}^{k−1} x_{t+j−p}·W_j        p = (k−1)/2; x_u = 0 outside [0, n)
//
// where x_t is B×d, W_j (d×F) is tap j and y_t is B×F. The taps are stacked
// in one (k·d)×F matrix W, tap j in rows j·d … (j+1)·d−1, so that with the
// "im2col" matrix X of the windows — row (t, b) is [x_{t−p} | … | x_{t+p}]
// of sequence b, (T·B)×(k·d) — the whole layer is one product:
//
//	Y = X·W + b                     (T·B)×F
//	∂L/∂W += Xᵀ·dY,   ∂L/∂b += Σ_rows dY,   ∂L/∂X = dY·Wᵀ
//
// and ∂L/∂x_u sums the k blocks of ∂L/∂X that read x_u. With lengths,
// sequence b has n_b steps: inputs past n_b count as zero padding and
// outputs past it are zero, as every SeqLayer's are.
type Conv1D struct {
	W, B  *Param
	Width int // k, the number of taps (odd, so that the window is centred)

	lens   []int
	padded bool
	cols   stacked // T blocks B×(k·d): the windows
	ys     stacked // T blocks B×F
	dcols  *mat.Dense
	dx     stacked // T blocks B×d
}

// NewConv1D returns a convolution of width k (odd) from d to f channels,
// with Xavier-initialised taps (fan-in k·d) and a zero bias.
func NewConv1D(rng *rand.Rand, d, f, k int) *Conv1D {
	if k < 1 || k%2 == 0 {
		panic("nn: Conv1D width must be odd")
	}
	c := &Conv1D{W: NewParam("W", k*d, f), B: NewParam("b", 1, f), Width: k}
	InitXavier(rng, c.W.Value)
	return c
}

// dims returns d and F.
func (c *Conv1D) dims() (d, f int) {
	r, f := c.W.Value.Dims()
	return r / c.Width, f
}

// ForwardSeq returns the T output steps (each B×F). The returned matrices
// belong to the layer and are overwritten by the next ForwardSeq.
func (c *Conv1D) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	d, f := c.dims()
	steps, b := seqDims(xs, d)
	c.lens, c.padded = seqLengths(c.lens, lengths, steps, b)
	k, p := c.Width, (c.Width-1)/2
	c.cols.resize(steps, b, k*d)
	for t, col := range c.cols.steps {
		for i, n := range c.lens {
			row := col.RawRowView(i)
			for j := 0; j < k; j++ {
				dst := row[j*d : (j+1)*d]
				if u := t + j - p; u >= 0 && u < n {
					copy(dst, xs[u].RawRowView(i))
				} else {
					clear(dst)
				}
			}
		}
	}
	c.ys.resize(steps, b, f)
	gemm(false, false, 1, c.cols.all, c.W.Value, 0, c.ys.all)
	addBias(c.ys.all, c.B.Value)
	if c.padded {
		for t, y := range c.ys.steps {
			for i, n := range c.lens {
				if t >= n {
					zeroRow(y, i)
				}
			}
		}
	}
	return c.ys.steps
}

// BackwardSeq adds the gradients of W and b and returns ∂L/∂x_t (T steps of
// B×d, zero past each length). Entries of dys may be nil (zero). The
// returned matrices belong to the layer.
func (c *Conv1D) BackwardSeq(dys []*mat.Dense) []*mat.Dense {
	mustForward(&c.cols)
	d, f := c.dims()
	steps, b := c.cols.n, c.cols.b
	checkGrads(dys, steps, b, f)
	// Stack dY, with padded rows zero: they were not outputs.
	dy := mat.NewDense(steps*b, f, nil)
	for t, g := range dys {
		if g == nil {
			continue
		}
		for i, n := range c.lens {
			if t < n {
				copy(dy.RawRowView(t*b+i), g.RawRowView(i))
			}
		}
	}
	gemm(true, false, 1, c.cols.all, dy, 1, c.W.Grad)
	AddRowSums(c.B.Grad, dy)
	k, p := c.Width, (c.Width-1)/2
	c.dcols = Ensure(c.dcols, steps*b, k*d)
	gemm(false, true, 1, dy, c.W.Value, 0, c.dcols)
	c.dx.resize(steps, b, d)
	c.dx.all.Zero()
	for t := 0; t < steps; t++ {
		for i, n := range c.lens {
			row := c.dcols.RawRowView(t*b + i)
			for j := 0; j < k; j++ {
				if u := t + j - p; u >= 0 && u < n {
					dst := c.dx.steps[u].RawRowView(i)
					for q, v := range row[j*d : (j+1)*d] {
						dst[q] += v
					}
				}
			}
		}
	}
	return c.dx.steps
}

// Params returns W and b.
func (c *Conv1D) Params() []*Param { return []*Param{c.W, c.B} }

// Replica returns a Conv1D that shares c's weights, with its own cache and
// gradients (a Replicator).
func (c *Conv1D) Replica() SeqLayer {
	return &Conv1D{W: c.W.Replica(), B: c.B.Replica(), Width: c.Width}
}

// Shared returns a Conv1D with c's parameters, gradients included, and its
// own cache (a Sharer).
func (c *Conv1D) Shared() SeqLayer { return &Conv1D{W: c.W, B: c.B, Width: c.Width} }

// MaxOverTime pools a sequence batch into one vector per sequence, the
// largest value of each feature over the sequence's steps (Collobert et al.
// 2011): with a convolution below it, a fixed-width summary of a sequence of
// any length, such as a word from its characters.
//
//	y[b, f] = max_{t < n_b} x_t[b, f]          (B×F)
//	∂L/∂x_t[b, f] = ∂L/∂y[b, f] if t is that argmax, else 0
//
// A sequence of length 0 pools to zeros.
type MaxOverTime struct {
	arg   []int // B·F: the step of each maximum, −1 for an empty sequence
	steps int
	dx    stacked
}

// Forward returns the B×F maxima of xs (T steps of B×F) over each
// sequence's lengths[b] steps (nil: all T).
func (m *MaxOverTime) Forward(xs []*mat.Dense, lengths []int) *mat.Dense {
	if len(xs) == 0 {
		panic(ErrShape)
	}
	b, f := xs[0].Dims()
	for _, x := range xs {
		MustDims(x, b, f)
	}
	lens, _ := seqLengths(nil, lengths, len(xs), b)
	m.steps = len(xs)
	m.arg = append(m.arg[:0], make([]int, b*f)...)
	y := mat.NewDense(b, f, nil)
	for i, n := range lens {
		row, arg := y.RawRowView(i), m.arg[i*f:(i+1)*f]
		for j := range row {
			row[j], arg[j] = math.Inf(-1), -1
		}
		for t := 0; t < n; t++ {
			for j, v := range xs[t].RawRowView(i) {
				if v > row[j] {
					row[j], arg[j] = v, t
				}
			}
		}
		if n == 0 {
			clear(row)
		}
	}
	return y
}

// Backward routes dy (B×F) to the steps that held the maxima and returns
// ∂L/∂x_t (T steps of B×F). The matrices belong to the layer.
func (m *MaxOverTime) Backward(dy *mat.Dense) []*mat.Dense {
	if m.steps == 0 {
		panic("nn: MaxOverTime Backward before Forward")
	}
	b, f := dy.Dims()
	if len(m.arg) != b*f {
		panic(ErrShape)
	}
	m.dx.resize(m.steps, b, f)
	m.dx.all.Zero()
	for i := 0; i < b; i++ {
		for j, g := range dy.RawRowView(i) {
			if t := m.arg[i*f+j]; t >= 0 {
				m.dx.steps[t].Set(i, j, g)
			}
		}
	}
	return m.dx.steps
}
