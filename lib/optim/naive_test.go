package optim_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
)

// naive is the reference for the fast Step loops: every optimizer written
// element by element with At and Set, in the form the papers give (Adam with
// m̂ and v̂ spelled out, weight decay as a separate line).
type naive struct {
	kind                string // "sgd", "momentum", "nesterov", "adagrad", "adam"
	lr, mu, eps, b1, b2 float64
	wd                  float64
	t                   int
	s1, s2              []*mat.Dense // v or mem or m; v for Adam
}

func (o *naive) step(params []*nn.Param) {
	if o.s1 == nil {
		for _, p := range params {
			r, c := p.Value.Dims()
			o.s1 = append(o.s1, mat.NewDense(r, c, nil))
			o.s2 = append(o.s2, mat.NewDense(r, c, nil))
		}
	}
	o.t++
	for k, p := range params {
		r, c := p.Value.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				θ, g := p.Value.At(i, j), p.Grad.At(i, j)
				switch o.kind {
				case "sgd":
					g += o.wd * θ // L2 penalty
					θ -= o.lr * g
				case "momentum", "nesterov":
					g += o.wd * θ
					v := o.mu*o.s1[k].At(i, j) + g
					o.s1[k].Set(i, j, v)
					if o.kind == "nesterov" {
						θ -= o.lr * (g + o.mu*v)
					} else {
						θ -= o.lr * v
					}
				case "adagrad":
					s := o.s1[k].At(i, j) + g*g
					o.s1[k].Set(i, j, s)
					θ -= o.lr * g / math.Sqrt(s+o.eps)
				case "adam":
					m := o.b1*o.s1[k].At(i, j) + (1-o.b1)*g
					v := o.b2*o.s2[k].At(i, j) + (1-o.b2)*g*g
					o.s1[k].Set(i, j, m)
					o.s2[k].Set(i, j, v)
					mhat := m / (1 - math.Pow(o.b1, float64(o.t)))
					vhat := v / (1 - math.Pow(o.b2, float64(o.t)))
					θ -= o.lr * o.wd * θ // decoupled decay (AdamW)
					θ -= o.lr * mhat / (math.Sqrt(vhat) + o.eps)
				}
				p.Value.Set(i, j, θ)
			}
		}
	}
}

// TestStepMatchesNaive pins the fast loops to the At/Set reference, on
// parameters that are views into larger matrices (stride ≠ cols) as well as
// contiguous ones, and checks that the elements around the views are left
// alone.
func TestStepMatchesNaive(t *testing.T) {
	for _, tc := range []struct {
		name string
		ref  naive
		make func(ps []*nn.Param) optim.Optimizer
	}{
		{"SGD", naive{kind: "sgd", lr: 0.1, wd: 0.01}, func(ps []*nn.Param) optim.Optimizer {
			o := optim.NewSGD(ps, 0.1)
			o.WeightDecay = 0.01
			return o
		}},
		{"Momentum", naive{kind: "momentum", lr: 0.1, mu: 0.9, wd: 0.01}, func(ps []*nn.Param) optim.Optimizer {
			o := optim.NewMomentum(ps, 0.1, 0.9, false)
			o.WeightDecay = 0.01
			return o
		}},
		{"Nesterov", naive{kind: "nesterov", lr: 0.1, mu: 0.9, wd: 0.01}, func(ps []*nn.Param) optim.Optimizer {
			o := optim.NewMomentum(ps, 0.1, 0.9, true)
			o.WeightDecay = 0.01
			return o
		}},
		{"Adagrad", naive{kind: "adagrad", lr: 0.1, eps: 1e-8}, func(ps []*nn.Param) optim.Optimizer {
			return optim.NewAdagrad(ps, 0.1, 1e-8)
		}},
		{"AdamW", naive{kind: "adam", lr: 0.01, b1: 0.8, b2: 0.99, eps: 1e-6, wd: 0.1}, func(ps []*nn.Param) optim.Optimizer {
			o := optim.NewAdam(ps, 0.01, 0.8, 0.99, 1e-6)
			o.WeightDecay = 0.1
			return o
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 1))
			random := func(r, c int) *mat.Dense {
				m := mat.NewDense(r, c, nil)
				m.Apply(func(int, int, float64) float64 { return rng.NormFloat64() }, m)
				return m
			}
			// Fast: W is the 3×4 window at (1, 2) of a 5×7 matrix, and so is its
			// gradient (of another one); b is a contiguous 4×1 column.
			bigW, bigG := random(5, 7), random(5, 7)
			view := func(m *mat.Dense) *mat.Dense { return m.Slice(1, 4, 2, 6).(*mat.Dense) }
			fast := []*nn.Param{
				{Name: "W", Value: view(bigW), Grad: view(bigG)},
				{Name: "b", Value: random(4, 1), Grad: mat.NewDense(4, 1, nil)},
			}
			// Reference: contiguous copies of the same values.
			ref := []*nn.Param{
				{Name: "W", Value: mat.DenseCopyOf(fast[0].Value), Grad: mat.NewDense(3, 4, nil)},
				{Name: "b", Value: mat.DenseCopyOf(fast[1].Value), Grad: mat.NewDense(4, 1, nil)},
			}
			before := mat.DenseCopyOf(bigW)

			opt, nv := tc.make(fast), tc.ref
			for s := 0; s < 5; s++ {
				for k := range fast {
					g := random(fast[k].Grad.Dims())
					// After the first step, rows s and s+1 (mod r) of the
					// gradient are zero, at the ends and in the middle:
					// Adagrad skips such rows.
					if r, c := g.Dims(); s > 0 {
						for _, z := range []int{s % r, (s + 1) % r} {
							g.SetRow(z, make([]float64, c))
						}
					}
					fast[k].Grad.Copy(g)
					ref[k].Grad.Copy(g)
				}
				opt.Step()
				nv.step(ref)
			}
			for k := range fast {
				if d := maxAbsDiff(fast[k].Value, ref[k].Value); d > tolNaive {
					t.Errorf("%s: fast and naive differ by %.3g", fast[k].Name, d)
				}
			}
			for i := 0; i < 5; i++ {
				for j := 0; j < 7; j++ {
					inside := i >= 1 && i < 4 && j >= 2 && j < 6
					if !inside && bigW.At(i, j) != before.At(i, j) {
						t.Errorf("element (%d, %d) outside the view changed", i, j)
					}
				}
			}
		})
	}
}
