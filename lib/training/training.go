// Package training holds what the training loops of seq2go report after
// each step (lib/charrnn's and lib/translate's Trainer.Run), so that a
// progress bar, a notebook cell or a log line reads one kind of value
// whatever model is training:
//
//	err := trainer.Run(ctx, 3000, func(p training.Progress) {
//		if p.Step%100 == 0 {
//			fmt.Printf("step %d  loss %.3f  %.0f tok/s  ETA %s\n",
//				p.Step, p.SmoothLoss, p.TokensPerSecond(), p.ETA(start))
//		}
//	})
package training

import (
	"math"
	"time"
)

// Progress is what a trainer reports after a step.
type Progress struct {
	Step, Steps int           // steps taken so far, and the target
	Loss        float64       // this step's loss
	SmoothLoss  float64       // the moving average
	Tokens      int           // tokens trained on in this run (characters, target words)
	Elapsed     time.Duration // time spent in this run
}

// TokensPerSecond is the training speed of this run so far.
func (p Progress) TokensPerSecond() float64 {
	return float64(p.Tokens) / math.Max(p.Elapsed.Seconds(), 1e-9)
}

// ETA estimates the time left to reach Steps at the speed so far, startStep
// being the step the run started from.
func (p Progress) ETA(startStep int) time.Duration {
	done := p.Step - startStep
	if done <= 0 {
		return 0
	}
	return time.Duration(float64(p.Elapsed) / float64(done) * float64(p.Steps-p.Step))
}
