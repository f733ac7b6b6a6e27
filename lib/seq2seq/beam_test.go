package seq2seq

import (
	"math"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Token ids of the hand-made distributions.
const (
	tBOS = iota
	tEOS
	tA
	tB
)

// fakeStepper is a hand-made model over {BOS, EOS, a, b} whose next-token
// distribution depends only on the prefix:
//
//	p(· | ε)  : a 0.6, b 0.4
//	p(· | a)  : a, b, EOS ⅓ each
//	p(· | b)  : EOS 0.9, a 0.05, b 0.05
//	otherwise : EOS 0.98, a 0.01, b 0.01
//
// so greedy decoding takes "a" and ends with P("a" EOS) = 0.6·⅓ = 0.2,
// while the best sentence is "b" EOS with P = 0.4·0.9 = 0.36. Attention is
// uniform over srcLen source words.
type fakeStepper struct {
	srcLen   int
	prefixes [][]int
	calls    int
}

func (f *fakeStepper) Step(parents, tokens []int) (logp, attn *mat.Dense) {
	f.calls++
	var next [][]int
	for i, p := range parents {
		var pre []int
		if f.prefixes != nil {
			pre = append(append([]int(nil), f.prefixes[p]...), tokens[i])
		} else {
			pre = []int{tokens[i]} // the first call: BOS
		}
		next = append(next, pre)
	}
	f.prefixes = next
	n := len(tokens)
	logp = mat.NewDense(n, 4, nil)
	attn = mat.NewDense(n, f.srcLen, nil)
	for i, pre := range next {
		var p [4]float64
		switch {
		case len(pre) == 1:
			p = [4]float64{0, 0, 0.6, 0.4}
		case len(pre) == 2 && pre[1] == tA:
			p = [4]float64{0, 1.0 / 3, 1.0 / 3, 1.0 / 3}
		case len(pre) == 2 && pre[1] == tB:
			p = [4]float64{0, 0.9, 0.05, 0.05}
		default:
			p = [4]float64{0, 0.98, 0.01, 0.01}
		}
		for k, v := range p {
			logp.Set(i, k, math.Log(v))
		}
		for j := 0; j < f.srcLen; j++ {
			attn.Set(i, j, 1/float64(f.srcLen))
		}
	}
	return logp, attn
}

func TestBeamSearchKnownBest(t *testing.T) {
	for _, tt := range []struct {
		name   string
		opt    BeamOptions
		tokens []int
		logp   float64
	}{
		{"greedy", BeamOptions{Width: 1}, []int{tA}, math.Log(0.6 / 3)},
		{"beam 2", BeamOptions{Width: 2}, []int{tB}, math.Log(0.4 * 0.9)},
		{"beam 4", BeamOptions{Width: 4, Alpha: 0.2}, []int{tB}, math.Log(0.4 * 0.9)},
		// log 0.6 − log 0.4 = 0.405 > 0.1: "b" is pruned at the first step.
		{"margin prunes b", BeamOptions{Width: 2, Margin: 0.1}, []int{tA}, math.Log(0.6 / 3)},
	} {
		got := BeamSearch(&fakeStepper{srcLen: 2}, 2, tBOS, tEOS, tt.opt)
		best := got[0]
		if !reflect.DeepEqual(best.Tokens, tt.tokens) || math.Abs(best.LogProb-tt.logp) > 1e-12 || !best.Finished {
			t.Errorf("%s: best %v logp %.6f finished %v, want %v logp %.6f", tt.name, best.Tokens, best.LogProb, best.Finished, tt.tokens, tt.logp)
		}
		if len(best.Attention) != len(best.Tokens) {
			t.Errorf("%s: %d attention rows for %d tokens", tt.name, len(best.Attention), len(best.Tokens))
		}
		for k := 1; k < len(got); k++ {
			if got[k].Score > got[k-1].Score {
				t.Errorf("%s: results not sorted by score", tt.name)
			}
		}
	}
}

// TestBeamSearchMaxLen: a distribution that never prefers EOS is cut at
// MaxLen, where only EOS may follow.
func TestBeamSearchMaxLen(t *testing.T) {
	s := StepFunc(func(parents, tokens []int) (*mat.Dense, *mat.Dense) {
		n := len(tokens)
		logp := mat.NewDense(n, 4, nil)
		for i := 0; i < n; i++ {
			logp.SetRow(i, []float64{math.Inf(-1), math.Log(0.1), math.Log(0.8), math.Log(0.1)})
		}
		return logp, mat.NewDense(n, 3, []float64{1: 1, 4: 1, 7: 1}[:3*n])
	})
	got := BeamSearch(s, 3, tBOS, tEOS, BeamOptions{Width: 1, MaxLen: 4})[0]
	if !reflect.DeepEqual(got.Tokens, []int{tA, tA, tA, tA}) {
		t.Errorf("tokens %v, want a a a a", got.Tokens)
	}
	if want := 4*math.Log(0.8) + math.Log(0.1); math.Abs(got.LogProb-want) > 1e-12 {
		t.Errorf("logp %v, want %v", got.LogProb, want)
	}
}

func TestPenalties(t *testing.T) {
	// lp = ((5+3)/6)^1 = 4/3; α = 0 gives 1.
	if lp := LengthPenalty(3, 1); math.Abs(lp-4.0/3) > 1e-15 {
		t.Errorf("lp(3, α=1) = %v, want 4/3", lp)
	}
	if lp := LengthPenalty(7, 0); lp != 1 {
		t.Errorf("lp(7, α=0) = %v, want 1", lp)
	}
	// Σ_j p_ij = 0.5, 1.5 (capped at 1), 1: cp = β·log 0.5.
	if cp := CoveragePenalty([]float64{0.5, 1.5, 1}, 0.2); math.Abs(cp-0.2*math.Log(0.5)) > 1e-15 {
		t.Errorf("cp = %v, want 0.2·log 0.5", cp)
	}
}

// TestCoverageChangesChoice: with the coverage penalty, a short sentence
// that leaves a source word unattended loses to a longer one that covers it.
func TestCoverageChangesChoice(t *testing.T) {
	// Two source words. From the start, EOS (p 0.5) attends word 0 only;
	// "a" (p 0.5) also attends word 0, and after it EOS (p 1) attends word 1.
	s := StepFunc(func(parents, tokens []int) (*mat.Dense, *mat.Dense) {
		n := len(tokens)
		logp, attn := mat.NewDense(n, 4, nil), mat.NewDense(n, 2, nil)
		for i := 0; i < n; i++ {
			if tokens[i] == tBOS {
				logp.SetRow(i, []float64{math.Inf(-1), math.Log(0.5), math.Log(0.5), math.Inf(-1)})
				attn.SetRow(i, []float64{1, 0})
			} else {
				logp.SetRow(i, []float64{math.Inf(-1), 0, math.Inf(-1), math.Inf(-1)})
				attn.SetRow(i, []float64{0, 1})
			}
		}
		return logp, attn
	})
	// Without coverage both score log 0.5; the stable order keeps EOS first.
	if got := BeamSearch(s, 2, tBOS, tEOS, BeamOptions{Width: 2})[0]; len(got.Tokens) != 0 {
		t.Errorf("β = 0: got %v, want the empty sentence", got.Tokens)
	}
	if got := BeamSearch(s, 2, tBOS, tEOS, BeamOptions{Width: 2, Beta: 0.2})[0]; !reflect.DeepEqual(got.Tokens, []int{tA}) {
		t.Errorf("β = 0.2: got %v, want [a]", got.Tokens)
	}
}

func TestTopTokens(t *testing.T) {
	for _, c := range []struct {
		row  []float64
		n    int
		want []int
	}{
		{[]float64{0.1, 0.5, 0.2, 0.9}, 2, []int{3, 1}},
		{[]float64{0.1, 0.5, 0.2, 0.9}, 4, []int{3, 1, 2, 0}},
		{[]float64{0.3, 0.3, 0.1, 0.3}, 2, []int{0, 1}},
		{[]float64{1}, 3, []int{0}},
		{[]float64{-2, -1, -3, -1, 0}, 3, []int{4, 1, 3}},
	} {
		if got := topTokens(nil, c.row, c.n); !reflect.DeepEqual(got, c.want) {
			t.Errorf("topTokens(%v, %d) = %v, want %v", c.row, c.n, got, c.want)
		}
	}
}
