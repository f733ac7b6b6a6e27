package nn

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// CRF is a linear-chain conditional random field over K labels: the output
// layer of a sequence tagger that scores whole tag sequences instead of
// each tag on its own, so that it can learn which tag follows which
// (Lafferty, McCallum & Pereira 2001; over a BiLSTM's scores as in Huang,
// Xu & Yu 2015, "Bidirectional LSTM-CRF Models for Sequence Tagging", and
// Lample et al. 2016). For a sentence of n words with emission scores e_t
// (1×K, the network's output at word t), transition scores A (K×K, from
// label i to label j) and start and end scores s and f (1×K each), a tag
// sequence y scores
//
//	score(y) = s[y_0] + Σ_t e_t[y_t] + Σ_{t≥1} A[y_{t−1}, y_t] + f[y_{n−1}]
//	p(y)     = exp score(y) / Z,        Z = Σ_y' exp score(y')
//
// and the loss of the gold sequence is its negative log-likelihood,
// log Z − score(gold), summed over the B sentences of a batch and divided by
// their number of words (so that it is in nats per word, like a softmax
// tagger's SoftmaxCrossEntropy). log Z comes from the forward algorithm in
// log space, and the marginals the gradient needs from forward–backward:
//
//	α_0[j] = s[j] + e_0[j],   α_t[j] = e_t[j] + logΣexp_i (α_{t−1}[i] + A[i,j])
//	β_{n−1}[i] = f[i],        β_t[i] = logΣexp_j (A[i,j] + e_{t+1}[j] + β_{t+1}[j])
//	log Z = logΣexp_j (α_{n−1}[j] + f[j])
//	P(y_t = j)             = exp(α_t[j] + β_t[j] − log Z)
//	P(y_{t−1}=i, y_t = j)  = exp(α_{t−1}[i] + A[i,j] + e_t[j] + β_t[j] − log Z)
//
//	∂L/∂e_t[j] = P(y_t = j) − [gold_t = j]                  (each ÷ N words)
//	∂L/∂A[i,j] = Σ_t P(y_{t−1}=i, y_t=j) − #(gold has i→j)
//	∂L/∂s[j]   = P(y_0 = j) − [gold_0 = j],   ∂L/∂f[j] likewise at n−1
//
// Decode finds the best sequence argmax_y score(y) by Viterbi's dynamic
// programme, the same recursion with max for logΣexp.
//
// Emissions are a sequence batch, T steps of B×K (time-major, as everywhere
// in the package), with lengths giving each sentence's number of words;
// tags are T×B ids, [t][b]. Padded steps are ignored.
type CRF struct {
	Trans, Start, End *Param // K×K, 1×K, 1×K

	// The cache of the last Forward, for Backward.
	em       []*mat.Dense
	lens     []int
	tags     [][]int
	words    int
	alpha    [][]float64 // [t] of B·K, α_t of every sentence
	beta     [][]float64
	logZ     []float64
	demSteps stacked // T blocks B×K: ∂L/∂e_t
}

// NewCRF returns a CRF over k labels with zero scores: at the start every
// tag sequence is as likely as the emissions alone say.
func NewCRF(k int) *CRF {
	return &CRF{Trans: NewParam("trans", k, k), Start: NewParam("start", 1, k), End: NewParam("end", 1, k)}
}

// Labels returns K.
func (c *CRF) Labels() int { _, k := c.Trans.Value.Dims(); return k }

// Params returns the transition, start and end scores.
func (c *CRF) Params() []*Param { return []*Param{c.Trans, c.Start, c.End} }

// Replica returns a CRF that shares c's scores, with its own cache and
// gradients.
func (c *CRF) Replica() *CRF {
	return &CRF{Trans: c.Trans.Replica(), Start: c.Start.Replica(), End: c.End.Replica()}
}

// checkSeq checks emissions em against K and lengths and returns T and B.
func (c *CRF) checkSeq(em []*mat.Dense, lengths []int) (int, int) {
	steps, b := seqDims(em, c.Labels())
	if len(lengths) != b {
		panic(ErrShape)
	}
	for _, n := range lengths {
		if n < 0 || n > steps {
			panic(ErrShape)
		}
	}
	return steps, b
}

// Forward returns the negative log-likelihood of the gold tags (T×B ids,
// time-major) under emissions em (T steps of B×K), summed over the B
// sentences and divided by their total number of words (0 words: 0). It
// keeps what Backward needs; em must not change before Backward.
func (c *CRF) Forward(em []*mat.Dense, lengths []int, tags [][]int) float64 {
	steps, b := c.checkSeq(em, lengths)
	k := c.Labels()
	if len(tags) < steps {
		panic(ErrShape)
	}
	c.em, c.lens, c.tags = em, append(c.lens[:0], lengths...), tags
	c.alpha = resizeRows(c.alpha, steps, b*k)
	c.beta = resizeRows(c.beta, steps, b*k)
	c.logZ = append(c.logZ[:0], make([]float64, b)...)
	a, s, f := c.Trans.Value, c.Start.Value.RawRowView(0), c.End.Value.RawRowView(0)
	total := 0.0
	c.words = 0
	tmp := make([]float64, k)
	for i, n := range lengths {
		if n == 0 {
			continue
		}
		c.words += n
		for t := 0; t < n; t++ {
			if y := tags[t][i]; y < 0 || y >= k {
				panic(ErrShape)
			}
		}
		// α: forward.
		al := c.alpha[0][i*k : (i+1)*k]
		floats.AddTo(al, s, em[0].RawRowView(i))
		for t := 1; t < n; t++ {
			prev, cur := c.alpha[t-1][i*k:(i+1)*k], c.alpha[t][i*k:(i+1)*k]
			e := em[t].RawRowView(i)
			for j := 0; j < k; j++ {
				for p := 0; p < k; p++ {
					tmp[p] = prev[p] + a.At(p, j)
				}
				cur[j] = e[j] + floats.LogSumExp(tmp)
			}
		}
		floats.AddTo(tmp, c.alpha[n-1][i*k:(i+1)*k], f)
		logZ := floats.LogSumExp(tmp)
		c.logZ[i] = logZ
		// β: backward.
		copy(c.beta[n-1][i*k:(i+1)*k], f)
		for t := n - 2; t >= 0; t-- {
			next, cur := c.beta[t+1][i*k:(i+1)*k], c.beta[t][i*k:(i+1)*k]
			e := em[t+1].RawRowView(i)
			for p := 0; p < k; p++ {
				row := a.RawRowView(p)
				for j := 0; j < k; j++ {
					tmp[j] = row[j] + e[j] + next[j]
				}
				cur[p] = floats.LogSumExp(tmp)
			}
		}
		total += logZ - c.score(em, i, n)
	}
	if c.words == 0 {
		return 0
	}
	return total / float64(c.words)
}

// score returns score(gold) of sentence i, n words long.
func (c *CRF) score(em []*mat.Dense, i, n int) float64 {
	y0 := c.tags[0][i]
	s := c.Start.Value.At(0, y0) + em[0].At(i, y0) + c.End.Value.At(0, c.tags[n-1][i])
	for t := 1; t < n; t++ {
		y := c.tags[t][i]
		s += em[t].At(i, y) + c.Trans.Value.At(c.tags[t-1][i], y)
	}
	return s
}

// resizeRows returns n slices of w values, reusing rows' memory.
func resizeRows(rows [][]float64, n, w int) [][]float64 {
	for len(rows) < n {
		rows = append(rows, nil)
	}
	rows = rows[:n]
	for t := range rows {
		if cap(rows[t]) < w {
			rows[t] = make([]float64, w)
		}
		rows[t] = rows[t][:w]
	}
	return rows
}

// Backward adds the gradients of the last Forward's loss into Trans,
// Start and End and returns ∂L/∂em (T steps of B×K; zero on padding). The
// matrices belong to the CRF and are overwritten by the next Backward.
func (c *CRF) Backward() []*mat.Dense {
	if c.em == nil {
		panic("nn: CRF Backward before Forward")
	}
	steps, k := len(c.em), c.Labels()
	b, _ := c.em[0].Dims()
	c.demSteps.resize(steps, b, k)
	c.demSteps.all.Zero()
	if c.words == 0 {
		return c.demSteps.steps
	}
	w := 1 / float64(c.words)
	a := c.Trans.Value
	ga, gs, gf := c.Trans.Grad, c.Start.Grad.RawRowView(0), c.End.Grad.RawRowView(0)
	for i, n := range c.lens {
		if n == 0 {
			continue
		}
		z := c.logZ[i]
		for t := 0; t < n; t++ {
			al, be := c.alpha[t][i*k:(i+1)*k], c.beta[t][i*k:(i+1)*k]
			d := c.demSteps.steps[t].RawRowView(i)
			for j := 0; j < k; j++ {
				d[j] = w * math.Exp(al[j]+be[j]-z) // P(y_t = j) / N
			}
			d[c.tags[t][i]] -= w
			if t == 0 {
				floats.Add(gs, d)
			}
			if t == n-1 {
				floats.Add(gf, d)
			}
			if t == 0 {
				continue
			}
			// Pairwise marginals of (t−1, t) into ∂L/∂A.
			prev, e := c.alpha[t-1][i*k:(i+1)*k], c.em[t].RawRowView(i)
			for p := 0; p < k; p++ {
				row, g := a.RawRowView(p), ga.RawRowView(p)
				for j := 0; j < k; j++ {
					g[j] += w * math.Exp(prev[p]+row[j]+e[j]+be[j]-z)
				}
			}
			ga.Set(c.tags[t-1][i], c.tags[t][i], ga.At(c.tags[t-1][i], c.tags[t][i])-w)
		}
	}
	return c.demSteps.steps
}

// Decode returns the best tag sequence of each sentence under emissions em
// (T steps of B×K): Viterbi's algorithm, T×B ids time-major, 0 on padding.
func (c *CRF) Decode(em []*mat.Dense, lengths []int) [][]int {
	steps, b := c.checkSeq(em, lengths)
	k := c.Labels()
	out := make([][]int, steps)
	for t := range out {
		out[t] = make([]int, b)
	}
	a, s, f := c.Trans.Value, c.Start.Value.RawRowView(0), c.End.Value.RawRowView(0)
	delta, next := make([]float64, k), make([]float64, k)
	back := make([]int, steps*k) // back[t·K + j]: the best label before j at t
	for i, n := range lengths {
		if n == 0 {
			continue
		}
		floats.AddTo(delta, s, em[0].RawRowView(i))
		for t := 1; t < n; t++ {
			e := em[t].RawRowView(i)
			for j := 0; j < k; j++ {
				best, arg := math.Inf(-1), 0
				for p := 0; p < k; p++ {
					if v := delta[p] + a.At(p, j); v > best {
						best, arg = v, p
					}
				}
				next[j] = best + e[j]
				back[t*k+j] = arg
			}
			delta, next = next, delta
		}
		floats.Add(delta, f)
		y := floats.MaxIdx(delta)
		for t := n - 1; t >= 0; t-- {
			out[t][i] = y
			y = back[t*k+y]
		}
	}
	return out
}
