package training

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"
)

// Progress is what a trainer reports as it goes, the one progress value of
// seq2go: Loop.Run sends one after every step, word2vec's Trainer.Run about
// five a second, and a Bar, a notebook cell or a log line reads it whatever
// model is training.
type Progress struct {
	// Step counts what is done: steps taken over all runs (a resumed
	// training goes on counting), or for a trainer without steps its own
	// unit, named by Unit. Steps is the target of this run, StartStep
	// where this run started.
	Step, Steps, StartStep int
	// Unit names what Step counts: "" for training steps, "words" for
	// word2vec.
	Unit string
	// Epoch is Step in passes over the training data; 0 when the model
	// does not say how long a pass is (Epocher).
	Epoch float64
	// Loss is this step's loss and SmoothLoss its moving average
	// (Loop.Smoothing); both are NaN for a trainer that computes no loss
	// (word2vec's lock-free threads).
	Loss, SmoothLoss float64
	LR               float64       // the learning rate of the step
	Tokens           int           // tokens trained on in this run (characters, target words, words)
	Elapsed          time.Duration // time spent in this run
	// Validation is set on the steps after which the loop validated
	// (Loop.ValEvery), nil on the others.
	Validation *Validation
}

// TokensPerSecond is the training speed of this run so far.
func (p Progress) TokensPerSecond() float64 {
	return float64(p.Tokens) / math.Max(p.Elapsed.Seconds(), 1e-9)
}

// ETA estimates the time left to reach Steps at the speed of this run so
// far; 0 before the run has taken a step.
func (p Progress) ETA() time.Duration {
	done := p.Step - p.StartStep
	if done <= 0 || p.Step >= p.Steps {
		return 0
	}
	return time.Duration(float64(p.Elapsed) / float64(done) * float64(p.Steps-p.Step))
}

// Fraction is Step/Steps, between 0 and 1.
func (p Progress) Fraction() float64 {
	if p.Steps <= 0 {
		return 0
	}
	return min(max(float64(p.Step)/float64(p.Steps), 0), 1)
}

// String formats p as one line of text, what a log shows:
//
//	step 1200/20000 (6%)  loss 72.1234  6789 tok/s  ETA 3.2s
//	words 24000/24000 (100%)  lr 0.000025  600000 words/s  ETA 0s
//
// The smoothed loss is shown, or the learning rate when there is no loss.
// The validation of the step is not: it has a line of its own
// (Validation.String).
func (p Progress) String() string {
	unit, rate := p.Unit, p.Unit
	if unit == "" {
		unit, rate = "step", "tok"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d/%d (%.0f%%)", unit, p.Step, p.Steps, 100*p.Fraction())
	if p.Epoch > 0 {
		fmt.Fprintf(&b, "  epoch %.2f", p.Epoch)
	}
	if !math.IsNaN(p.SmoothLoss) {
		fmt.Fprintf(&b, "  loss %.4f", p.SmoothLoss)
	} else if p.LR > 0 {
		fmt.Fprintf(&b, "  lr %.6f", p.LR)
	}
	fmt.Fprintf(&b, "  %.0f %s/s  ETA %s", p.TokensPerSecond(), rate, shortDuration(p.ETA()))
	return b.String()
}

// barWidth is the number of characters in a text bar.
const barWidth = 30

// bar returns the text bar of p: barWidth characters, the done part full.
func (p Progress) bar() string {
	full := int(p.Fraction()*barWidth + 0.5)
	return strings.Repeat("█", full) + strings.Repeat("░", barWidth-full)
}

// HTML formats p for a notebook: a <progress> bar and the line of String,
// so that display.Show(p) and a Bar draw it in Jupyter.
func (p Progress) HTML() string {
	return fmt.Sprintf(`<div style="font-family:monospace"><progress value="%d" max="%d" style="width:20em;vertical-align:middle"></progress> %s</div>`,
		min(max(p.Step, 0), max(p.Steps, 0)), max(p.Steps, 0), html.EscapeString(p.String()))
}

// shortDuration rounds d to what a person reads: seconds to a tenth,
// minutes to a second, hours to a minute.
func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return d.Round(time.Minute).String()
	case d >= time.Minute:
		return d.Round(time.Second).String()
	default:
		return d.Round(100 * time.Millisecond).String()
	}
}
