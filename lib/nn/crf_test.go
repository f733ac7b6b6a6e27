package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// crfCase is a batch of three sentences of 3, 1 and 2 words over K = 3
// labels: one full-length row, and two padded ones.
func crfCase(rng *rand.Rand) (*nn.CRF, []*nn.Param, []int, [][]int) {
	const k = 3
	c := nn.NewCRF(k)
	for _, p := range c.Params() {
		nn.InitNormal(rng, p.Value, 1) // zero scores would hide a wrong gradient
	}
	lengths := []int{3, 1, 2}
	em := make([]*nn.Param, 3)
	for t := range em {
		em[t] = &nn.Param{Name: fmt.Sprintf("e%d", t), Value: randDense(rng, 3, k), Grad: mat.NewDense(3, k, nil)}
	}
	tags := [][]int{{2, 0, 1}, {0, 0, 1}, {1, 0, 0}} // [t][b]; padding entries are ignored
	return c, em, lengths, tags
}

func values(ps []*nn.Param) []*mat.Dense {
	out := make([]*mat.Dense, len(ps))
	for i, p := range ps {
		out[i] = p.Value
	}
	return out
}

func TestGradCRF(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	c, em, lengths, tags := crfCase(rng)
	loss := func() float64 { return c.Forward(values(em), lengths, tags) }
	backward := func() {
		for t, d := range c.Backward() {
			em[t].Grad.Add(em[t].Grad, d)
		}
	}
	mustPass(t, gradcheck.Check(loss, backward, append(c.Params(), em...)))
}

// brute enumerates all K^n tag sequences of sentence b: log Z and the best
// sequence, the references for the forward algorithm and Viterbi.
func brute(c *nn.CRF, em []*mat.Dense, b, n int) (logZ float64, best []int) {
	k := c.Labels()
	y := make([]int, n)
	bestScore := math.Inf(-1)
	sum := 0.0
	for code := 0; code < int(math.Pow(float64(k), float64(n))); code++ {
		x := code
		for t := range y {
			y[t], x = x%k, x/k
		}
		s := c.Start.Value.At(0, y[0]) + c.End.Value.At(0, y[n-1])
		for t := 0; t < n; t++ {
			s += em[t].At(b, y[t])
			if t > 0 {
				s += c.Trans.Value.At(y[t-1], y[t])
			}
		}
		sum += math.Exp(s)
		if s > bestScore {
			bestScore, best = s, append([]int(nil), y...)
		}
	}
	return math.Log(sum), best
}

func TestCRFMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	c, emp, lengths, _ := crfCase(rng)
	em := values(emp)
	paths := c.Decode(em, lengths)
	for b, n := range lengths {
		logZ, best := brute(c, em, b, n)
		// The NLL of the best path, for this sentence alone, is log Z − score(best).
		tags := make([][]int, 3)
		for tt := range tags {
			tags[tt] = make([]int, 1)
			if tt < n {
				tags[tt][0] = best[tt]
			}
		}
		one := make([]*mat.Dense, 3)
		for tt := range one {
			one[tt] = mat.NewDense(1, 3, em[tt].RawRowView(b))
		}
		nll := c.Forward(one, []int{n}, tags) * float64(n)
		score := 0.0
		for tt := 0; tt < n; tt++ {
			score += one[tt].At(0, best[tt])
			if tt > 0 {
				score += c.Trans.Value.At(best[tt-1], best[tt])
			}
		}
		score += c.Start.Value.At(0, best[0]) + c.End.Value.At(0, best[n-1])
		if got := nll + score; math.Abs(got-logZ) > 1e-12 {
			t.Errorf("sentence %d: log Z %.15g, brute force %.15g", b, got, logZ)
		}
		for tt := 0; tt < n; tt++ {
			if paths[tt][b] != best[tt] {
				t.Errorf("sentence %d: Viterbi %v, brute force %v", b, column(paths, b, n), best)
				break
			}
		}
	}
}

func column(steps [][]int, b, n int) []int {
	out := make([]int, n)
	for t := range out {
		out[t] = steps[t][b]
	}
	return out
}

// TestCRFLearnsTransitions fits a CRF alone, with uninformative emissions,
// to sequences that alternate 0 1 0 1 …: only the transitions can carry
// that, and after training Viterbi must reproduce it.
func TestCRFLearnsTransitions(t *testing.T) {
	c := nn.NewCRF(2)
	em := []*mat.Dense{mat.NewDense(1, 2, nil), mat.NewDense(1, 2, nil), mat.NewDense(1, 2, nil), mat.NewDense(1, 2, nil)}
	tags := [][]int{{0}, {1}, {0}, {1}}
	first := 0.0
	for i := 0; i < 200; i++ {
		loss := c.Forward(em, []int{4}, tags)
		if i == 0 {
			first = loss
		}
		c.Backward()
		for _, p := range c.Params() {
			p.Value.Add(p.Value, scaled(-0.5, p.Grad))
			p.ZeroGrad()
		}
	}
	if got := c.Forward(em, []int{4}, tags); got > 0.05 || math.Abs(first-math.Ln2) > 1e-12 {
		t.Errorf("loss %.4f → %.4f; want ln 2 → below 0.05", first, got)
	}
	if got := column(c.Decode(em, []int{4}), 0, 4); fmt.Sprint(got) != "[0 1 0 1]" {
		t.Errorf("Viterbi %v, want [0 1 0 1]", got)
	}
}

func scaled(a float64, m *mat.Dense) *mat.Dense {
	var s mat.Dense
	s.Scale(a, m)
	return &s
}
