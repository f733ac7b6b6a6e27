package optim

import "math"

// Schedule gives the learning rate for a step. Steps count from 0: LR(0) is
// the rate of the first Step. Drive an optimizer with
//
//	opt.SetLR(sched.LR(opt.Steps()))
//	opt.Step()
//
// The schedules are plain structs with exported fields, so they can be
// written as literals (also in the interpreter) and compared with ==.
type Schedule interface {
	LR(step int) float64
}

// Constant is a fixed learning rate: lr(step) = Rate. (The field cannot be
// called LR: that is the method's name.)
type Constant struct {
	Rate float64
}

// LR returns c.Rate, whatever the step.
func (c Constant) LR(step int) float64 { return c.Rate }

// StepDecay multiplies the rate by Gamma every Every steps:
//
//	lr(step) = Base · Gamma^⌊step/Every⌋
//
// StepDecay{Base: 0.1, Gamma: 0.5, Every: 100} gives 0.1 for steps 0–99,
// 0.05 for 100–199, 0.025 for 200–299 and so on; PyTorch's
// torch.optim.lr_scheduler.StepLR. Negative steps count as 0.
// LR panics if Every is not positive.
type StepDecay struct {
	Base  float64 // rate for steps 0 … Every−1
	Gamma float64 // factor applied every Every steps, typically 0.1–0.5
	Every int     // steps between decays, > 0
}

// LR returns Base·Gamma^⌊step/Every⌋.
func (s StepDecay) LR(step int) float64 {
	if s.Every <= 0 {
		panic("optim: StepDecay.Every must be positive")
	}
	if step < 0 {
		step = 0
	}
	return s.Base * math.Pow(s.Gamma, float64(step/s.Every))
}

// LinearDecay moves the rate in a straight line from Base at step 0 to End at
// step Steps, and stays at End afterwards:
//
//	lr(step) = Base + (End − Base)·step/Steps    0 ≤ step < Steps
//	lr(step) = End                               step ≥ Steps
//
// With End = 0 and a Warmup around it this is BERT's schedule (Devlin et al.
// 2019, "BERT", Appendix A.2: warm-up over 10,000 steps, then linear decay). Negative steps count as 0; Steps ≤ 0 gives End
// from the start.
type LinearDecay struct {
	Base  float64 // rate at step 0
	End   float64 // rate from step Steps on
	Steps int     // length of the decay
}

// LR returns the rate at step on the line from (0, Base) to (Steps, End).
func (l LinearDecay) LR(step int) float64 {
	if step >= l.Steps {
		return l.End
	}
	if step < 0 {
		step = 0
	}
	return l.Base + (l.End-l.Base)*float64(step)/float64(l.Steps)
}

// Warmup ramps the rate of another schedule up linearly over the first Steps
// steps, and follows it unchanged afterwards:
//
//	lr(step) = Then.LR(step) · (step+1)/Steps    0 ≤ step < Steps
//	lr(step) = Then.LR(step)                     step ≥ Steps
//
// The ramp starts at Then.LR(0)/Steps rather than 0, so no step is wasted,
// and reaches Then's rate at step Steps−1. Then sees the same step numbers as
// Warmup (not step−Steps): a Then that decays over the whole run already
// counts the warm-up steps. A few hundred warm-up steps keep Adam's early,
// poorly estimated second moments from taking large steps (Vaswani et al.
// 2017, §5.3; Liu et al. 2020, "On the Variance of the Adaptive Learning Rate
// and Beyond"). Negative steps count as 0; Steps ≤ 0 means no warm-up.
type Warmup struct {
	Steps int      // length of the ramp
	Then  Schedule // the schedule being warmed up
}

// LR returns Then.LR(step), scaled by (step+1)/Steps during the warm-up.
func (w Warmup) LR(step int) float64 {
	if step < 0 {
		step = 0
	}
	lr := w.Then.LR(step)
	if step < w.Steps {
		lr *= float64(step+1) / float64(w.Steps)
	}
	return lr
}
