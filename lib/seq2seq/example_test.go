package seq2seq_test

import (
	"fmt"
	"math"

	"github.com/seq2go/seq2go/lib/seq2seq"
	"gonum.org/v1/gonum/mat"
)

// A hand-made model over the tokens BOS=0, EOS=1, a=2, b=3: the first word
// is a (0.6) or b (0.4); after a everything is equally likely, after b the
// sentence ends (0.9). Greedy decoding commits to a; a beam of two finds
// "b" with P = 0.4·0.9 = 0.36.
func ExampleBeamSearch() {
	next := func(prefix []int) []float64 {
		switch {
		case len(prefix) == 0:
			return []float64{0, 0, 0.6, 0.4}
		case prefix[0] == 2:
			return []float64{0, 1.0 / 3, 1.0 / 3, 1.0 / 3}
		}
		return []float64{0, 0.9, 0.05, 0.05}
	}
	var prefixes [][]int // the tokens of each hypothesis, BOS left out
	step := seq2seq.StepFunc(func(parents, tokens []int) (logp, attn *mat.Dense) {
		var now [][]int
		for i, p := range parents {
			var pre []int
			if prefixes != nil {
				pre = append(append(pre, prefixes[p]...), tokens[i])
			}
			now = append(now, pre)
		}
		prefixes = now
		logp, attn = mat.NewDense(len(tokens), 4, nil), mat.NewDense(len(tokens), 1, nil)
		for i, pre := range now {
			for k, p := range next(pre) {
				logp.Set(i, k, math.Log(p))
			}
			attn.Set(i, 0, 1) // one source word gets all the attention
		}
		return logp, attn
	})
	for _, width := range []int{1, 2} {
		prefixes = nil
		best := seq2seq.BeamSearch(step, 1, 0, 1, seq2seq.BeamOptions{Width: width})[0]
		fmt.Printf("width %d: %v P = %.2f\n", width, best.Tokens, math.Exp(best.LogProb))
	}
	// Output:
	// width 1: [2] P = 0.20
	// width 2: [3] P = 0.36
}
