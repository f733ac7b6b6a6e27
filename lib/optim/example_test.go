package optim_test

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
)

// The training loop: forward, backward, clip, schedule, Step, ZeroGrad. The
// "model" is one weight θ with loss (θ − 3)², so backward is ∂loss/∂θ = 2(θ − 3).
func Example() {
	theta := nn.NewParam("θ", 1, 1)
	params := []*nn.Param{theta}
	opt := optim.DefaultAdam(params, 0.5)
	sched := optim.Warmup{Steps: 10, Then: optim.LinearDecay{Base: 0.5, End: 0.01, Steps: 200}}

	for step := 0; step < 200; step++ {
		x := theta.Value.At(0, 0)
		loss := (x - 3) * (x - 3)                         // forward
		theta.Grad.Set(0, 0, theta.Grad.At(0, 0)+2*(x-3)) // backward: add into Grad
		norm := optim.ClipGlobalNorm(params, 1)           // clip
		opt.SetLR(sched.LR(opt.Steps()))                  // schedule
		opt.Step()                                        // update
		opt.ZeroGrad()                                    // clear for the next batch
		if step%50 == 0 {
			fmt.Printf("step %3d  loss %.4f  ‖g‖ %.4f  lr %.4f\n", step, loss, norm, opt.LR())
		}
	}
	fmt.Printf("θ = %.4f after %d steps\n", theta.Value.At(0, 0), opt.Steps())
	// Output:
	// step   0  loss 9.0000  ‖g‖ 6.0000  lr 0.0500
	// step  50  loss 0.0095  ‖g‖ 0.1948  lr 0.3775
	// step 100  loss 0.0000  ‖g‖ 0.0005  lr 0.2550
	// step 150  loss 0.0000  ‖g‖ 0.0014  lr 0.1325
	// θ = 3.0000 after 200 steps
}

func ExampleSGD() {
	p := nn.NewParam("θ", 1, 2)
	p.Value.SetRow(0, []float64{1, -2})
	p.Grad.SetRow(0, []float64{0.5, -1})
	opt := optim.NewSGD([]*nn.Param{p}, 0.1)
	opt.Step() // θ − 0.1·g
	fmt.Printf("θ = [%.4f %.4f]\n", p.Value.At(0, 0), p.Value.At(0, 1))
	// Output:
	// θ = [0.9500 -1.9000]
}

// With the same gradients, Nesterov's look-ahead overshoots less than plain
// momentum on f(θ) = θ², starting at θ = 1.
func ExampleMomentum() {
	for _, nesterov := range []bool{false, true} {
		p := nn.NewParam("θ", 1, 1)
		p.Value.Set(0, 0, 1)
		opt := optim.NewMomentum([]*nn.Param{p}, 0.1, 0.9, nesterov)
		fmt.Printf("nesterov=%-5v θ:", nesterov)
		for i := 0; i < 6; i++ {
			p.Grad.Set(0, 0, 2*p.Value.At(0, 0)) // ∂θ²/∂θ
			opt.Step()
			opt.ZeroGrad()
			fmt.Printf(" %.4f", p.Value.At(0, 0))
		}
		fmt.Println()
	}
	// Output:
	// nesterov=false θ: 0.8000 0.4600 0.0620 -0.3086 -0.5804 -0.7090
	// nesterov=true  θ: 0.6200 0.2224 -0.1084 -0.3248 -0.4157 -0.3980
}

// Adagrad's first step has length lr in every coordinate, whatever the scale
// of the gradient; later steps shrink as the squared gradients accumulate.
// lr = 0.1 and ε = 1e-8 are min-char-rnn's settings. The small gradient moves
// 0.0995, not 0.1: its square 1e-6 is only 100 times ε, which sits inside the
// square root, 0.001/√(1e-6 + 1e-8) = 0.995.
func ExampleAdagrad() {
	p := nn.NewParam("θ", 1, 2)
	opt := optim.NewAdagrad([]*nn.Param{p}, 0.1, 1e-8)
	for i := 0; i < 3; i++ {
		p.Grad.SetRow(0, []float64{1000, 0.001}) // six orders of magnitude apart
		opt.Step()
		fmt.Printf("step %d: θ = [%.4f %.4f]\n", opt.Steps(), p.Value.At(0, 0), p.Value.At(0, 1))
	}
	// Output:
	// step 1: θ = [-0.1000 -0.0995]
	// step 2: θ = [-0.1707 -0.1700]
	// step 3: θ = [-0.2284 -0.2277]
}

// Adam minimises f(θ) = (θ − 3)² from θ = 0; its steps are about lr long at
// first, whatever the gradient's size.
func ExampleAdam() {
	p := nn.NewParam("θ", 1, 1)
	opt := optim.DefaultAdam([]*nn.Param{p}, 0.1)
	for i := 1; i <= 300; i++ {
		p.Grad.Set(0, 0, 2*(p.Value.At(0, 0)-3))
		opt.Step()
		opt.ZeroGrad()
		if i == 1 || i == 10 || i%100 == 0 {
			fmt.Printf("step %3d: θ = %.4f\n", i, p.Value.At(0, 0))
		}
	}
	// Output:
	// step   1: θ = 0.1000
	// step  10: θ = 0.9858
	// step 100: θ = 2.9807
	// step 200: θ = 3.0001
	// step 300: θ = 3.0000
}

// State exposes the optimizer's moments and step counter as Params: save
// them with the model, and restore by copying into a fresh optimizer's State.
func ExampleAdam_State() {
	w := nn.NewParam("W", 2, 3)
	opt := optim.DefaultAdam([]*nn.Param{w}, 1e-3)
	w.Grad.Set(0, 0, 1)
	opt.Step()
	opt.Step()
	for _, s := range opt.State() {
		r, c := s.Value.Dims()
		fmt.Printf("%-10s %d×%d\n", s.Name, r, c)
	}

	// Restore into a new optimizer: copy every state matrix by position (or by name).
	restored := optim.DefaultAdam([]*nn.Param{w}, 1e-3)
	for i, s := range restored.State() {
		s.Value.Copy(opt.State()[i].Value)
	}
	fmt.Println("restored Steps:", restored.Steps())
	// Output:
	// adam.step  1×1
	// adam.m/W   2×3
	// adam.v/W   2×3
	// restored Steps: 2
}

func ExampleGlobalNorm() {
	w, b := nn.NewParam("W", 1, 2), nn.NewParam("b", 1, 1)
	w.Grad.SetRow(0, []float64{3, 4})
	b.Grad.Set(0, 0, 12)
	params := []*nn.Param{w, b}
	fmt.Printf("%.4f\n", optim.GlobalNorm(params)) // √(3² + 4² + 12²)
	// Output:
	// 13.0000
}

// ClipGlobalNorm scales every gradient by one factor, keeping the direction.
func ExampleClipGlobalNorm() {
	w, b := nn.NewParam("W", 1, 2), nn.NewParam("b", 1, 1)
	w.Grad.SetRow(0, []float64{3, 4})
	b.Grad.Set(0, 0, 12)
	params := []*nn.Param{w, b} // ‖g‖ = √(3² + 4² + 12²) = 13
	before := optim.ClipGlobalNorm(params, 6.5)
	fmt.Printf("norm before %.4f, after %.4f\n", before, optim.GlobalNorm(params))
	fmt.Printf("gradients %.4f %.4f\n", w.Grad.RawRowView(0), b.Grad.RawRowView(0))
	// Output:
	// norm before 13.0000, after 6.5000
	// gradients [1.5000 2.0000] [6.0000]
}

// ClipValue clips each element, as min-char-rnn's np.clip(dparam, -5, 5).
func ExampleClipValue() {
	dWhy := nn.NewParam("Why", 1, 3)
	dWhy.Grad.SetRow(0, []float64{-7, 0.5, 6})
	optim.ClipValue([]*nn.Param{dWhy}, 5)
	fmt.Printf("%.4f\n", dWhy.Grad.RawRowView(0))
	// Output:
	// [-5.0000 0.5000 5.0000]
}

func ExampleStepDecay() {
	s := optim.StepDecay{Base: 0.1, Gamma: 0.5, Every: 100}
	for _, step := range []int{0, 99, 100, 250} {
		fmt.Printf("step %3d: lr %.4f\n", step, s.LR(step))
	}
	// Output:
	// step   0: lr 0.1000
	// step  99: lr 0.1000
	// step 100: lr 0.0500
	// step 250: lr 0.0250
}

func ExampleLinearDecay() {
	s := optim.LinearDecay{Base: 0.1, End: 0.01, Steps: 90}
	for _, step := range []int{0, 45, 90, 1000} {
		fmt.Printf("step %4d: lr %.4f\n", step, s.LR(step))
	}
	// Output:
	// step    0: lr 0.1000
	// step   45: lr 0.0550
	// step   90: lr 0.0100
	// step 1000: lr 0.0100
}

// A linear warm-up over 4 steps in front of a constant rate.
func ExampleWarmup() {
	s := optim.Warmup{Steps: 4, Then: optim.Constant{Rate: 0.01}}
	for step := 0; step < 6; step++ {
		fmt.Printf("step %d: lr %.4f\n", step, s.LR(step))
	}
	// Output:
	// step 0: lr 0.0025
	// step 1: lr 0.0050
	// step 2: lr 0.0075
	// step 3: lr 0.0100
	// step 4: lr 0.0100
	// step 5: lr 0.0100
}
