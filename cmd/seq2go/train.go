package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/training"
)

// This file is the one driver of every `seq2go train NAME` command. A
// command file (charrnn.go, translate.go, word2vec.go) registers itself in
// trainers, parses its model's flags next to the common ones (trainFlags),
// builds its model and its training.Loop, and hands the loop to
// trainFlags.run, which does the rest the same way for every model: the
// steps (--steps or --epochs), validation every --val-every steps, the
// checkpoint every --save-every steps and at the end, the progress bar on a
// terminal and log lines elsewhere, Ctrl-C (save, say where, exit 130), a
// non-finite loss (stop, say at which step, exit 1, save nothing), and the
// `final …` line; and in parallel as the flags and mpirun ask
// (parallel.go). docs/adding-a-model.md walks through adding one.

// precisionFlag is the trainers' --precision: the arithmetic of the matrix
// products while training (blas.SetPrecision).
type precisionFlag struct{ p blas.Precision }

func (f *precisionFlag) String() string { return f.p.String() }

func (f *precisionFlag) Set(s string) error {
	switch s {
	case "float32":
		f.p = blas.Float32
	case "float64":
		f.p = blas.Float64
	default:
		return fmt.Errorf("want float32 or float64")
	}
	return nil
}

// trainDefaults are a model's defaults for the common flags.
type trainDefaults struct {
	out                                  string // the checkpoint file
	steps, saveEvery, logEvery, valEvery int
}

// trainFlags are the flags every trainer has: the length of the run
// (--steps, --epochs), the checkpoint (--out, --resume, --save-every),
// validation (--val-every), the log (--log-every), data parallelism
// (--workers, --parallel, --staleness; see parallel.go) and the products'
// precision (--precision, float32 by default: PyTorch trains in float32
// too, and the products run twice as fast as in float64; a trainer may
// default otherwise, as min-char-rnn does). set holds the names of the
// flags given, after parse.
type trainFlags struct {
	out, resume, parallel                                    *string
	steps, saveEvery, logEvery, valEvery, workers, staleness *int
	epochs                                                   *float64
	precision                                                *precisionFlag
	set                                                      map[string]bool
}

// addTrainFlags adds the trainers' common flags to fs with a model's
// defaults.
func addTrainFlags(fs *flag.FlagSet, d trainDefaults) *trainFlags {
	f := &trainFlags{
		out:       fs.String("out", d.out, "checkpoint to write"),
		resume:    fs.String("resume", "", "continue the training saved in this checkpoint"),
		steps:     fs.Int("steps", d.steps, "train until this many steps in total"),
		epochs:    fs.Float64("epochs", 0, "train until this many passes over the training data instead of --steps"),
		saveEvery: fs.Int("save-every", d.saveEvery, "write the checkpoint every N steps (0: only at the end)"),
		valEvery:  fs.Int("val-every", d.valEvery, "validate on a fixed sample of the held-out data every N steps (0: only at the end, on all of it)"),
		logEvery:  fs.Int("log-every", d.logEvery, "log line every N steps when not on a terminal"),
		workers:   fs.Int("workers", 0, "data parallelism: this many goroutines, one model replica each (0: GOMAXPROCS)"),
		parallel:  fs.String("parallel", "sync", "sync: the workers share each batch, one step; async: each worker its own batches, a parameter server applying them as they come"),
		staleness: fs.Int("staleness", 0, "--parallel async: drop pushes computed from weights more than this many versions old (default workers−1; negative: no bound)"),
		precision: &precisionFlag{blas.Float32},
	}
	fs.Lookup("staleness").DefValue = "workers−1"
	fs.Var(f.precision, "precision", "arithmetic of the matrix products: float32 (fast; PyTorch's) or float64")
	return f
}

// parse parses args into fs, checks the common flags and sets the
// products' precision for the run; the caller defers restore, which puts
// the previous precision back.
func (f *trainFlags) parse(fs *flag.FlagSet, args []string) (restore func(), err error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	switch {
	case *f.logEvery < 1:
		return nil, usageError{"--log-every must be at least 1"}
	case *f.saveEvery < 0 || *f.valEvery < 0 || *f.steps < 0 || *f.epochs < 0:
		return nil, usageError{"--steps, --epochs, --save-every and --val-every must not be negative"}
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if f.set["steps"] && f.set["epochs"] {
		return nil, usageError{"--steps and --epochs: choose one"}
	}
	prev := blas.SetPrecision(f.precision.p)
	return func() { blas.SetPrecision(prev) }, nil
}

// fixed returns a usage error when one of the named flags was given with
// --resume: what they set comes from the checkpoint.
func (f *trainFlags) fixed(names ...string) error {
	for _, name := range names {
		if f.set[name] {
			return usageError{fmt.Sprintf("--%s cannot change when resuming: it comes from %s", name, *f.resume)}
		}
	}
	return nil
}

// loopRun is one `train NAME` run on a training.Loop, as its command file
// sets it up.
type loopRun struct {
	name string         // the model's name, the prefix of the messages
	loop *training.Loop // the loop, its model resumed if asked
	// onStep, when not nil, runs after each step's progress is shown and
	// returns text for standard output, or "" (the char-RNN's samples).
	onStep func(p training.Progress) string
}

// run trains r.loop to --steps (or --epochs) under the command line's
// rules (see the top of this file) and prints the final line:
//
//	final smooth_loss=54.4123 val_loss=2.2610
//
// the smoothed loss and the full validation.
func (f *trainFlags) run(r loopRun, stdout, stderr io.Writer) error {
	l := r.loop
	steps := *f.steps
	if f.set["epochs"] {
		var err error
		if steps, err = l.EpochSteps(*f.epochs); err != nil {
			return err
		}
	}
	l.Out, l.SaveEvery, l.ValEvery = *f.out, *f.saveEvery, *f.valEvery
	par, err := f.setParallel(r.name, l)
	if err != nil {
		return err
	}
	defer par.close()
	epochs := ""
	if n := l.StepsPerEpoch(); n > 0 {
		epochs = fmt.Sprintf(" (%.2f epochs of %d steps)", float64(steps)/float64(n), n)
	}
	if par.ranks > 1 {
		epochs += fmt.Sprintf(", %d ranks", par.ranks)
	}
	fmt.Fprintf(stderr, "%s: steps %d → %d%s\n", r.name, l.Step, steps, epochs)
	start, startStep := time.Now(), l.Step
	err = drive(job{name: r.name, out: *f.out, what: "weights", resumable: true, logEvery: *f.logEvery, onStep: r.onStep,
		run: func(ctx context.Context, report func(training.Progress)) error {
			return l.Run(par.loopContext(ctx), steps, report)
		}}, stdout, stderr)
	if err != nil || !par.lead {
		return err
	}
	v := l.Validate(true)
	fmt.Fprintf(stderr, "%s: %d steps in %s; checkpoint %s", r.name, l.Step-startStep, time.Since(start).Round(time.Second), *f.out)
	if v.On != "" {
		fmt.Fprintf(stderr, "; validated on %s", v.On)
	}
	fmt.Fprintln(stderr)
	fmt.Fprintln(stdout, strings.TrimSpace(fmt.Sprintf("final smooth_loss=%.4f %s", l.SmoothLoss, v.Fields())))
	return nil
}

// job is one training as drive runs it.
type job struct {
	name      string // the model's name, the prefix of the messages
	out       string // the file the training saves to
	what      string // what it saves: "weights", "vectors"
	resumable bool   // whether --resume continues it
	logEvery  int    // a log line every logEvery steps when not on a terminal
	// run trains, with a context that Ctrl-C cancels and a function to
	// report its progress; cancelled, it saves to out and returns the
	// context's error, and failed, it saves nothing.
	run func(ctx context.Context, report func(training.Progress)) error
	// onStep, when not nil, runs after each report and returns text for
	// standard output, or "".
	onStep func(p training.Progress) string
}

// drive runs j the way every trainer of the command line runs: a bar on a
// terminal (log lines elsewhere), each validation on its own line, onStep's
// text on standard output. Stopped by Ctrl-C, it says where the work is
// saved and returns errInterrupted; any other error (a loss gone to NaN)
// comes back with the model's name.
func drive(j job, stdout, stderr io.Writer) error {
	// SIGTERM too: mpirun sends it to every rank when it gets Ctrl-C.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bar := training.NewTextBar(stderr, j.logEvery)
	var last training.Progress
	err := j.run(ctx, func(p training.Progress) {
		last = p
		bar.Update(p)
		if p.Validation != nil {
			bar.Clear()
			fmt.Fprintf(stderr, "%s %d: %s\n", unitName(p), p.Step, p.Validation)
		}
		if j.onStep == nil {
			return
		}
		if text := j.onStep(p); text != "" {
			bar.Clear()
			fmt.Fprint(stdout, text)
		}
	})
	bar.Done()
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "%s: interrupted at %s %d: %s saved to %s", j.name, unitName(last), last.Step, j.what, j.out)
		if j.resumable {
			fmt.Fprintf(stderr, " (continue with --resume %s)", j.out)
		}
		fmt.Fprintln(stderr)
		return errInterrupted
	case err != nil:
		fmt.Fprintf(stderr, "%s: stopped; nothing saved to %s\n", j.name, j.out)
		return fmt.Errorf("%s: %w", j.name, err)
	}
	return nil
}

// unitName is what p's steps count, for messages: "step", "words".
func unitName(p training.Progress) string {
	if p.Unit == "" {
		return "step"
	}
	return p.Unit
}
