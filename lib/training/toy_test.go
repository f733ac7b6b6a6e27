package training_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/training"
	"gonum.org/v1/gonum/mat"
)

// regression is a toy Model for the loop's tests: least squares y ≈ x·W on
// 64 rows of x (64×3) drawn once, W* = (1, −2, 0.5), each step on 8 rows
// drawn by the model's own generator — which a checkpoint must save for
// an exact resume.
type regression struct {
	W    *nn.Param // 3×1
	x, y *mat.Dense
	pcg  *rand.PCG
	rng  *rand.Rand

	nanLossAt, nanGradAt int // a step (0-based) whose loss or gradient turns NaN; −1: none
	steps                []int
}

func newRegression(seed uint64) *regression {
	data := rand.New(rand.NewPCG(1, 2))
	x := mat.NewDense(64, 3, nil)
	for i := range 64 {
		for j := range 3 {
			x.Set(i, j, data.NormFloat64())
		}
	}
	var y mat.Dense
	y.Mul(x, mat.NewDense(3, 1, []float64{1, -2, 0.5}))
	r := &regression{W: nn.NewParam("W", 3, 1), x: x, y: &y, pcg: rand.NewPCG(seed, 0), nanLossAt: -1, nanGradAt: -1}
	r.rng = rand.New(r.pcg)
	return r
}

func (r *regression) Params() []*nn.Param { return []*nn.Param{r.W} }

// LossGrad is the mean squared error of 8 random rows and its gradient,
//
//	L = 1/B Σ_b (x_b·W − y_b)²,   ∂L/∂W = 2/B · Σ_b x_bᵀ (x_b·W − y_b)
func (r *regression) LossGrad(step int) (float64, int) {
	r.steps = append(r.steps, step)
	const batch = 8
	loss := 0.0
	w := r.W.Value.RawMatrix().Data
	g := r.W.Grad.RawMatrix().Data
	for range batch {
		i := r.rng.IntN(64)
		xi := r.x.RawRowView(i)
		e := xi[0]*w[0] + xi[1]*w[1] + xi[2]*w[2] - r.y.At(i, 0)
		loss += e * e / batch
		for j := range 3 {
			g[j] += 2 * e * xi[j] / batch
		}
	}
	if step == r.nanLossAt {
		loss = math.NaN()
	}
	if step == r.nanGradAt {
		g[1] = math.Inf(1)
	}
	return loss, batch
}

func (r *regression) StepsPerEpoch() int { return 8 }

// Validate is the loss on the first 16 rows (quick) or all 64 (full).
func (r *regression) Validate(full bool) training.Validation {
	n := 16
	if full {
		n = 64
	}
	loss := 0.0
	for i := range n {
		xi := r.x.RawRowView(i)
		w := r.W.Value.RawMatrix().Data
		e := xi[0]*w[0] + xi[1]*w[1] + xi[2]*w[2] - r.y.At(i, 0)
		loss += e * e / float64(n)
	}
	return training.Validation{Metrics: []training.Metric{{Name: "val_loss", Value: loss, Digits: 4}}, Full: full}
}

func (r *regression) SaveState(s *checkpoint.State) error {
	cfg, _ := json.Marshal(map[string]int{"rows": 64})
	s.Kind, s.Config = "toy", string(cfg)
	var err error
	s.Rand, err = r.pcg.MarshalBinary()
	return err
}

func (r *regression) RestoreState(s *checkpoint.State) error {
	return r.pcg.UnmarshalBinary(s.Rand)
}
