package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress shows a training's progress: on a terminal a bar redrawn in
// place, elsewhere (a pipe, a log file, CI) a plain line every few steps.
type progress struct {
	w        io.Writer
	terminal bool
	every    int // log-line interval when not on a terminal
	drawn    bool
	last     time.Time
}

func newProgress(w io.Writer, every int) *progress {
	return &progress{w: w, terminal: isTerminal(w), every: every}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// update shows step of steps with a loss, the speed and the ETA.
func (p *progress) update(step, steps int, loss, tokPerSec float64, eta time.Duration) {
	if !p.terminal {
		if step%p.every == 0 || step == steps {
			fmt.Fprintf(p.w, "step %d/%d  loss %.4f  %.0f tok/s  ETA %s\n", step, steps, loss, tokPerSec, shortDuration(eta))
		}
		return
	}
	if time.Since(p.last) < 100*time.Millisecond && step != steps {
		return // redrawing faster than the eye adds nothing
	}
	p.last = time.Now()
	const width = 30
	filled := width * step / max(steps, 1)
	bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
	fmt.Fprintf(p.w, "\r\033[K%s %d/%d  loss %.4f  %.0f tok/s  ETA %s", bar, step, steps, loss, tokPerSec, shortDuration(eta))
	p.drawn = true
}

// clear removes the bar so that other output can be printed; the next
// update draws it again.
func (p *progress) clear() {
	if p.terminal && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

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

// endTraining ends a checkpointed training run the way every trainer of
// the command line does. A run that failed (a loss gone to NaN) returns its
// error and leaves the last periodic checkpoint alone; otherwise the
// checkpoint is written, and a run stopped by Ctrl-C (context.Canceled)
// says where its weights are and returns errInterrupted.
func endTraining(name string, step int, out string, runErr, saveErr error, save func(string) error, stderr io.Writer) error {
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		return runErr
	}
	if saveErr != nil {
		return saveErr
	}
	if err := save(out); err != nil {
		return err
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "%s: interrupted at step %d: weights saved to %s (continue with --resume %s)\n", name, step, out, out)
		return errInterrupted
	}
	return nil
}
