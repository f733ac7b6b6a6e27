package optim_test

import (
	"math"
	"testing"

	"github.com/seq2go/seq2go/lib/optim"
)

func TestSchedules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		s     optim.Schedule
		steps []int
		want  []float64
	}{
		{"Constant", optim.Constant{Rate: 0.1}, []int{0, 1, 1000}, []float64{0.1, 0.1, 0.1}},
		{
			// 0.1·0.5^⌊step/100⌋: ⌊·⌋ = 0, 0, 1, 2, 0 (negative counts as 0)
			"StepDecay", optim.StepDecay{Base: 0.1, Gamma: 0.5, Every: 100},
			[]int{0, 99, 100, 250, -5}, []float64{0.1, 0.1, 0.05, 0.025, 0.1},
		},
		{
			// 1 + (0 − 1)·step/10, then 0
			"LinearDecay/to-zero", optim.LinearDecay{Base: 1, End: 0, Steps: 10},
			[]int{0, 5, 9, 10, 100, -1}, []float64{1, 0.5, 0.1, 0, 0, 1},
		},
		{
			// 0.1 + (0.01 − 0.1)·45/90 = 0.055
			"LinearDecay/to-end", optim.LinearDecay{Base: 0.1, End: 0.01, Steps: 90},
			[]int{0, 45, 90, 91}, []float64{0.1, 0.055, 0.01, 0.01},
		},
		{"LinearDecay/no-steps", optim.LinearDecay{Base: 1, End: 0.5, Steps: 0}, []int{0, 1}, []float64{0.5, 0.5}},
		{
			// 1·(step+1)/4 for steps 0–3, then 1
			"Warmup", optim.Warmup{Steps: 4, Then: optim.Constant{Rate: 1}},
			[]int{0, 1, 3, 4, 100}, []float64{0.25, 0.5, 1, 1, 1},
		},
		{"Warmup/none", optim.Warmup{Steps: 0, Then: optim.Constant{Rate: 1}}, []int{0, 5}, []float64{1, 1}},
		{
			// BERT-like: ramp over 10 steps, linear decay over 100 counted from step 0.
			// step 4: (1 − 4/100)·5/10 = 0.48; step 50: 1 − 0.5 = 0.5
			"Warmup/LinearDecay", optim.Warmup{Steps: 10, Then: optim.LinearDecay{Base: 1, End: 0, Steps: 100}},
			[]int{4, 9, 50, 100}, []float64{0.48, 0.91, 0.5, 0},
		},
	} {
		for i, step := range tc.steps {
			if got := tc.s.LR(step); math.Abs(got-tc.want[i]) > tolHand {
				t.Errorf("%s: LR(%d) = %g, want %g", tc.name, step, got, tc.want[i])
			}
		}
	}
}

func TestStepDecayPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("StepDecay with Every = 0 did not panic")
		}
	}()
	optim.StepDecay{Base: 0.1, Gamma: 0.5}.LR(3)
}

// TestScheduleDrivesOptimizer checks the documented loop shape: SetLR from
// the schedule at opt.Steps() before each Step.
func TestScheduleDrivesOptimizer(t *testing.T) {
	ps := grads([]float64{1})
	opt := optim.NewSGD(ps, 0)
	sched := optim.StepDecay{Base: 1, Gamma: 0.5, Every: 2}
	var lrs []float64
	for i := 0; i < 5; i++ {
		opt.SetLR(sched.LR(opt.Steps()))
		lrs = append(lrs, opt.LR())
		opt.Step()
	}
	// 1·0.5^⌊step/2⌋ for steps 0–4; θ = 0 − Σ lr·1 = −(1 + 1 + 0.5 + 0.5 + 0.25)
	if got, want := ps[0].Value.At(0, 0), -3.25; got != want {
		t.Errorf("θ = %g after lrs %v, want %g", got, lrs, want)
	}
}
