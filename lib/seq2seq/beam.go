package seq2seq

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Stepper is what the decoders need from a model: one decoder step for a
// set of partial translations (hypotheses), one a row.
//
// Step continues hypothesis parents[i] of the previous step with token
// tokens[i], for each row i of the new set, and returns the log-probabilities
// of the next token (n×V, n = len(tokens)) and the attention weights of
// that step (n×T_src). Before the first call there is one hypothesis,
// row 0, the empty one: the first call is Step([]int{0}, []int{BOS}).
type Stepper interface {
	Step(parents, tokens []int) (logp, attn *mat.Dense)
}

// BeamOptions sets up beam search.
type BeamOptions struct {
	Width int     // hypotheses kept per step; 0 means 1 (greedy)
	Alpha float64 // α of the length penalty lp; 0 turns it off
	Beta  float64 // β of the coverage penalty cp; 0 turns it off
	// Margin, when > 0, prunes: a token more than Margin below the best
	// token of its hypothesis (in log-probability) is not considered, and a
	// live hypothesis whose length-normalised log-probability falls more
	// than Margin below the best finished score is dropped (GNMT §7).
	Margin float64
	// MaxLen is the largest number of tokens of a translation, EOS not
	// counted; 0 means twice the source length.
	MaxLen int
}

// Translation is one decoded sentence.
type Translation struct {
	Tokens []int // without BOS and EOS
	// Attention has one row per token of Tokens: the weights over the
	// source words with which the decoder produced it (len(Tokens)×T_src).
	Attention [][]float64
	LogProb   float64 // log P(Y|X), EOS included when the sentence ended
	Score     float64 // s(Y,X) = LogProb/lp(Y) + cp(X;Y)
	// Finished reports whether the translation ends with EOS. At MaxLen EOS
	// is the only token allowed (and never pruned), so it is false only in
	// the defensive case of a search left with no finished hypothesis.
	Finished bool
}

// LengthPenalty is GNMT's lp(Y) = (5+|Y|)^α / 6^α.
func LengthPenalty(length int, alpha float64) float64 {
	return math.Pow((5+float64(length))/6, alpha)
}

// CoveragePenalty is GNMT's cp(X;Y) = β·Σ_i log(min(Σ_j p_ij, 1)) for the
// total attention cov[i] = Σ_j p_ij that each source word i received. A
// source word with no attention at all would give −∞; its sum is floored at
// 1e-10, so that it costs β·log(1e-10) ≈ −23·β instead.
func CoveragePenalty(cov []float64, beta float64) float64 {
	if beta == 0 {
		return 0
	}
	s := 0.0
	for _, c := range cov {
		s += math.Log(math.Min(math.Max(c, 1e-10), 1))
	}
	return beta * s
}

// hypothesis is a live or finished partial translation.
type hypothesis struct {
	tokens []int
	attn   [][]float64
	cov    []float64 // Σ_j p_ij, source word i
	logp   float64
}

// BeamSearch decodes with beam search under GNMT's scoring (Wu et al. 2016,
// §7):
//
//	s(Y,X) = log P(Y|X) / lp(Y) + cp(X;Y)
//	lp(Y)  = (5+|Y|)^α / 6^α
//	cp(X;Y) = β·Σ_i log(min(Σ_j p_ij, 1))
//
// At each step every live hypothesis is extended by every token not
// pruned, the candidates are ranked by log P (all have the same length, so
// this is also the order of log P / lp), and the Width best are kept; those
// that end in EOS are finished and scored with s. The search stops when
// Width hypotheses have finished, none is live, or MaxLen is reached
// (live hypotheses then finish without EOS). The result is sorted by
// score, best first. With Width 1 and no pruning it is greedy decoding.
func BeamSearch(s Stepper, srcLen, bos, eos int, opt BeamOptions) []Translation {
	b := newBeam(srcLen, eos, opt)
	parents, tokens := []int{0}, []int{bos}
	for step := 0; !b.over(step); step++ {
		logp, attn := s.Step(parents, tokens)
		parents, tokens = b.advance(step, logp, attn, 0)
	}
	return b.result()
}

// beam is the search over one source sentence: its live hypotheses and its
// finished translations. BeamSearch drives one; Model.BeamBatch drives one
// per sentence over a shared decoder, each beam owning a block of rows.
type beam struct {
	opt           BeamOptions
	width, maxLen int
	srcLen, eos   int
	live          []hypothesis
	done          []Translation
	best          float64 // best finished score
}

func newBeam(srcLen, eos int, opt BeamOptions) *beam {
	b := &beam{opt: opt, width: max(opt.Width, 1), maxLen: opt.MaxLen, srcLen: srcLen, eos: eos, best: math.Inf(-1)}
	if b.maxLen <= 0 {
		b.maxLen = 2 * srcLen
	}
	b.live = []hypothesis{{cov: make([]float64, srcLen)}}
	return b
}

// over reports whether the search has ended before step: past MaxLen, no
// live hypothesis, or Width finished.
func (b *beam) over(step int) bool {
	return step > b.maxLen || len(b.live) == 0 || len(b.done) >= b.width
}

// finish scores h and adds it to the finished translations.
func (b *beam) finish(h hypothesis, ended bool) {
	tr := Translation{Tokens: h.tokens, Attention: h.attn, LogProb: h.logp, Finished: ended}
	tr.Score = h.logp/LengthPenalty(len(h.tokens), b.opt.Alpha) + CoveragePenalty(h.cov, b.opt.Beta)
	b.done = append(b.done, tr)
	b.best = math.Max(b.best, tr.Score)
}

// advance extends the live hypotheses, whose log-probabilities and
// attention are rows off … off+len(live)−1 of logp and attn, keeps the
// best, and returns the parents (indices into the old live set) and tokens
// of the new live set.
func (b *beam) advance(step int, logp, attn *mat.Dense, off int) (parents, tokens []int) {
	type cand struct {
		parent, token int
		logp          float64
	}
	// Only a hypothesis's Width best tokens can be among the Width best
	// candidates overall, so each row contributes those alone: Width·Width
	// candidates to sort instead of Width·V.
	var cands []cand
	best := make([]int, 0, b.width) // the row's best tokens, best first
	for i, h := range b.live {
		row := logp.RawRowView(off + i)
		if step == b.maxLen {
			cands = append(cands, cand{i, b.eos, h.logp + row[b.eos]}) // at the length limit only EOS may follow
			continue
		}
		best = topTokens(best[:0], row, b.width)
		top := row[best[0]]
		for _, k := range best {
			if b.opt.Margin > 0 && row[k] < top-b.opt.Margin {
				break
			}
			cands = append(cands, cand{i, k, h.logp + row[k]})
		}
	}
	sort.SliceStable(cands, func(x, y int) bool { return cands[x].logp > cands[y].logp })
	var next []hypothesis
	for taken, c := range cands {
		if taken == b.width || len(b.done) >= b.width {
			break
		}
		h := b.live[c.parent]
		a := append([]float64(nil), attn.RawRowView(off + c.parent)[:b.srcLen]...)
		cov := append([]float64(nil), h.cov...)
		for i, v := range a {
			cov[i] += v
		}
		if c.token == b.eos {
			b.finish(hypothesis{tokens: h.tokens, attn: h.attn, cov: cov, logp: c.logp}, true)
			continue
		}
		nh := hypothesis{
			tokens: append(append([]int(nil), h.tokens...), c.token),
			attn:   append(append([][]float64(nil), h.attn...), a),
			cov:    cov,
			logp:   c.logp,
		}
		if b.opt.Margin > 0 && nh.logp/LengthPenalty(len(nh.tokens), b.opt.Alpha) < b.best-b.opt.Margin {
			continue
		}
		next = append(next, nh)
		parents, tokens = append(parents, c.parent), append(tokens, c.token)
	}
	b.live = next
	return parents, tokens
}

// topTokens appends to dst the indices of the n largest values of row,
// largest first (the lower index first among equals).
func topTokens(dst []int, row []float64, n int) []int {
	for k, v := range row {
		if len(dst) == n && v <= row[dst[n-1]] {
			continue
		}
		if len(dst) < n {
			dst = append(dst, k)
		}
		j := len(dst) - 1 // insert k in order, dropping the last when full
		for ; j > 0 && row[dst[j-1]] < v; j-- {
			dst[j] = dst[j-1]
		}
		dst[j] = k
	}
	return dst
}

// result returns the finished translations, best first.
func (b *beam) result() []Translation {
	if len(b.done) == 0 {
		for _, h := range b.live {
			b.finish(h, false) // defensive: EOS is always a candidate at MaxLen
		}
	}
	sort.SliceStable(b.done, func(x, y int) bool { return b.done[x].Score > b.done[y].Score })
	return b.done
}

// StepFunc adapts a function to a Stepper: a hand-made model in a test or
// a notebook.
type StepFunc func(parents, tokens []int) (logp, attn *mat.Dense)

// Step calls f.
func (f StepFunc) Step(parents, tokens []int) (logp, attn *mat.Dense) { return f(parents, tokens) }
