package memnet

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
)

// weightedSum returns Σ r ⊙ y, the scalar loss of the blocks' checks.
func weightedSum(r, y *mat.Dense) float64 {
	s := 0.0
	rr, cc := y.Dims()
	for i := 0; i < rr; i++ {
		for j := 0; j < cc; j++ {
			s += r.At(i, j) * y.At(i, j)
		}
	}
	return s
}

func randomDense(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	nn.InitNormal(rng, m, 1)
	return m
}

func TestEncoderGradient(t *testing.T) {
	sents := [][]int{{0, 3, 2}, nil, {1}, {4, 4, 0, 2, 1}}
	for _, pe := range []bool{false, true} {
		t.Run(fmt.Sprintf("pe=%v", pe), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 1))
			e := &Encoder{E: nn.NewParam("E", 5, 4), PE: pe}
			nn.InitNormal(rng, e.E.Value, 1)
			r := randomDense(rng, len(sents), 4)
			y := mat.NewDense(len(sents), 4, nil)
			rep := gradcheck.Check(func() float64 {
				return weightedSum(r, e.Forward(y, sents))
			}, func() { e.Backward(r) }, []*nn.Param{e.E})
			if err := rep.Err(gradcheck.Tol); err != nil {
				t.Error(err)
			}
			if row := y.RawRowView(1); row[0] != 0 || row[3] != 0 {
				t.Errorf("empty sentence encoded as %v, want zeros", row)
			}
		})
	}
}

func TestSlotsGradient(t *testing.T) {
	idx := []int{2, 0, -1, 2, -1, 1} // a sentence in two slots, one without words
	ages := []int{0, 2, 1, 1, -1, 0} // a padding slot
	for _, temporal := range []bool{false, true} {
		t.Run(fmt.Sprintf("temporal=%v", temporal), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 3))
			enc := nn.NewParam("enc", 3, 4)
			nn.InitNormal(rng, enc.Value, 1)
			s := &slots{}
			params := []*nn.Param{enc}
			if temporal {
				s.T = nn.NewParam("T", 3, 4)
				nn.InitNormal(rng, s.T.Value, 1)
				params = append(params, s.T)
			}
			r := randomDense(rng, len(idx), 4)
			y := mat.NewDense(len(idx), 4, nil)
			rep := gradcheck.Check(func() float64 {
				s.Forward(y, enc.Value, idx, ages)
				return weightedSum(r, y)
			}, func() { s.Backward(r, enc.Grad) }, params)
			if err := rep.Err(gradcheck.Tol); err != nil {
				t.Error(err)
			}
			if row := y.RawRowView(4); row[0] != 0 || row[3] != 0 {
				t.Errorf("padding slot holds %v, want zeros", row)
			}
		})
	}
}

// TestPositionWeights checks l_kj against the formula worked by hand for
// J = 2, d = 2: j = 1: (1 − 1/2) − (k/2)(1 − 1) = 0.5; j = 2: (1 − 1) −
// (k/2)(1 − 2) = k/2.
func TestPositionWeights(t *testing.T) {
	got := PositionWeights(2, 2)
	want := mat.NewDense(2, 2, []float64{0.5, 0.5, 0.5, 1})
	if !mat.EqualApprox(got, want, 1e-15) {
		t.Errorf("PositionWeights(2, 2) = %v, want %v", mat.Formatted(got), mat.Formatted(want))
	}
}

// toyStories is a story of task 1's kind and one of task 8's (a list
// answer), for models small enough to check by finite differences.
const toyStories = `1 Mary moved to the bathroom.
2 John went to the hallway.
3 Where is Mary? 	bathroom	1
4 Daniel went back to the hallway.
5 Sandra moved to the garden.
6 Where is Daniel? 	hallway	4
7 John took the apple there.
8 John got the milk there.
9 What is John carrying?	apple,milk	7 8
1 Where is Mary?	bathroom	
`

func toyModel(t *testing.T, cfg Config) (*Model, []Example) {
	t.Helper()
	stories, err := data.ReadBabi(strings.NewReader(toyStories), "toy.txt")
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(rand.New(rand.NewPCG(3, 4)), cfg, NewVocab(stories))
	if err != nil {
		t.Fatal(err)
	}
	return m, m.Examples(stories, 1)
}

func TestModelGradient(t *testing.T) {
	for _, test := range []struct {
		tying, encoding string
		hops            int
		temporal        bool
	}{
		{Adjacent, PositionEncoding, 3, true},
		{Adjacent, BagOfWords, 2, false},
		{LayerWise, PositionEncoding, 2, true},
		{LayerWise, BagOfWords, 1, false},
	} {
		for _, linear := range []bool{false, true} {
			name := fmt.Sprintf("%s/%s/K=%d/temporal=%v/linear=%v", test.tying, test.encoding, test.hops, test.temporal, linear)
			t.Run(name, func(t *testing.T) {
				cfg := Config{Dim: 4, Hops: test.hops, Encoding: test.encoding, Tying: test.tying,
					Temporal: test.temporal, Memory: 3, Noise: 0.1, InitStd: 0.3}
				m, exs := toyModel(t, cfg)
				m.Linear = linear
				// The mean over the questions: the summed loss, of order
				// n·log V, would lift the differences' rounding error
				// ε·L/h to the tolerance.
				n := float64(len(exs))
				rep := gradcheck.Check(func() float64 { return m.Loss(exs, false) / n }, func() {
					m.Backward()
					for _, p := range m.Params() {
						p.Grad.Scale(1/n, p.Grad)
					}
				}, m.Params())
				if err := rep.Err(gradcheck.Tol); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// TestExamples checks the encoding of questions: the memory holds the
// latest Memory statements before each question, a list answer is one
// word, and the question without statements has an empty memory.
func TestExamples(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Memory = 3
	m, exs := toyModel(t, cfg)
	if len(exs) != 4 {
		t.Fatalf("%d examples, want 4", len(exs))
	}
	words := func(ids []int) string { return strings.Join(m.Vocab.Decode(ids), " ") }
	third := exs[2]
	if third.First != 3 || len(third.Story) != 3 || words(third.Story[0]) != "sandra moved to the garden" {
		t.Errorf("third question's memory: first %d, %v", third.First, third.Story)
	}
	if got := m.Vocab.Word(third.Answer); got != "apple,milk" {
		t.Errorf("answer %q, want apple,milk", got)
	}
	if words(third.Question) != "what is john carrying" {
		t.Errorf("question %q", words(third.Question))
	}
	if last := exs[3]; len(last.Story) != 0 || m.Vocab.Word(last.Answer) != "bathroom" {
		t.Errorf("last question: %+v", last)
	}
	train, val := Split(exs, 0.25)
	if len(train) != 3 || len(val) != 1 || val[0].Answer != exs[3].Answer {
		t.Errorf("Split: %d and %d", len(train), len(val))
	}
}

// TestLossGradWorkers checks that LossGrad's replicas add up to the
// gradient of one model on the whole batch (without noise, which the
// workers draw differently).
func TestLossGradWorkers(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Noise = 0
	m, exs := toyModel(t, cfg)
	var batch []Example
	for len(batch) < 4*MinShare {
		batch = append(batch, exs...)
	}
	loss1, n1 := m.LossGrad(batch, 1)
	want := make([]*mat.Dense, 0)
	for _, p := range m.Params() {
		want = append(want, mat.DenseCopyOf(p.Grad))
	}
	nn.ZeroGrads(m.Params())
	loss4, n4 := m.LossGrad(batch, 4)
	if n1 != n4 || n1 != len(batch) || abs(loss1-loss4) > 1e-12 {
		t.Errorf("1 worker: %v over %d, 4 workers: %v over %d", loss1, n1, loss4, n4)
	}
	for i, p := range m.Params() {
		if !mat.EqualApprox(p.Grad, want[i], 1e-12) {
			t.Errorf("%s: gradients differ", p.Name)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
