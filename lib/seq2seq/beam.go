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
	width := max(opt.Width, 1)
	maxLen := opt.MaxLen
	if maxLen <= 0 {
		maxLen = 2 * srcLen
	}
	live := []hypothesis{{cov: make([]float64, srcLen)}}
	parents, tokens := []int{0}, []int{bos}
	var done []Translation
	best := math.Inf(-1) // best finished score
	finish := func(h hypothesis, ended bool) {
		tr := Translation{Tokens: h.tokens, Attention: h.attn, LogProb: h.logp, Finished: ended}
		tr.Score = h.logp/LengthPenalty(len(h.tokens), opt.Alpha) + CoveragePenalty(h.cov, opt.Beta)
		done = append(done, tr)
		best = math.Max(best, tr.Score)
	}
	type cand struct {
		parent, token int
		logp          float64
	}
	for step := 0; step <= maxLen && len(live) > 0 && len(done) < width; step++ {
		logp, attn := s.Step(parents, tokens)
		var cands []cand
		for i, h := range live {
			row := logp.RawRowView(i)
			top := math.Inf(-1)
			for _, v := range row {
				top = math.Max(top, v)
			}
			for k, v := range row {
				if opt.Margin > 0 && step < maxLen && v < top-opt.Margin {
					continue
				}
				if step == maxLen && k != eos {
					continue // at the length limit only EOS may follow
				}
				cands = append(cands, cand{i, k, h.logp + v})
			}
		}
		sort.SliceStable(cands, func(a, b int) bool { return cands[a].logp > cands[b].logp })
		var next []hypothesis
		parents, tokens = nil, nil
		for taken, c := range cands {
			if taken == width || len(done) >= width {
				break
			}
			h := live[c.parent]
			a := append([]float64(nil), attn.RawRowView(c.parent)...)
			cov := append([]float64(nil), h.cov...)
			for i, v := range a {
				cov[i] += v
			}
			if c.token == eos {
				finish(hypothesis{tokens: h.tokens, attn: h.attn, cov: cov, logp: c.logp}, true)
				continue
			}
			nh := hypothesis{
				tokens: append(append([]int(nil), h.tokens...), c.token),
				attn:   append(append([][]float64(nil), h.attn...), a),
				cov:    cov,
				logp:   c.logp,
			}
			if opt.Margin > 0 && nh.logp/LengthPenalty(len(nh.tokens), opt.Alpha) < best-opt.Margin {
				continue
			}
			next = append(next, nh)
			parents, tokens = append(parents, c.parent), append(tokens, c.token)
		}
		live = next
	}
	if len(done) == 0 {
		for _, h := range live {
			finish(h, false) // defensive: EOS is always a candidate at MaxLen
		}
	}
	sort.SliceStable(done, func(a, b int) bool { return done[a].Score > done[b].Score })
	return done
}

// StepFunc adapts a function to a Stepper: a hand-made model in a test or
// a notebook.
type StepFunc func(parents, tokens []int) (logp, attn *mat.Dense)

// Step calls f.
func (f StepFunc) Step(parents, tokens []int) (logp, attn *mat.Dense) { return f(parents, tokens) }
