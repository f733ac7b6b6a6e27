package training_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/training"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

func newLoop(seed uint64) (*training.Loop, *regression) {
	m := newRegression(seed)
	l := training.NewLoop(m, optim.NewSGD(m.Params(), 0.05))
	l.Smoothing = 0.9
	return l, m
}

// The loop fits the regression: the validation loss falls from the
// variance of y (about 5: 1 + 4 + 0.25 for unit normal x) to near zero.
func TestLoopLearns(t *testing.T) {
	l, m := newLoop(1)
	before, _ := l.Validate(true).Value("val_loss")
	if err := l.Run(context.Background(), 300, nil); err != nil {
		t.Fatal(err)
	}
	after, _ := l.Validate(true).Value("val_loss")
	if !(before > 1 && after < 1e-3) {
		t.Fatalf("validation loss %.4f before, %.6f after 300 steps; want > 1 then < 0.001", before, after)
	}
	if l.Step != 300 || len(m.steps) != 300 || m.steps[0] != 0 || m.steps[299] != 299 {
		t.Fatalf("Step %d, LossGrad called %d times (first step %v): want 300 steps numbered from 0", l.Step, len(m.steps), m.steps[:1])
	}
}

// The smoothed loss starts at the first loss when unset, and then follows
// β·s + (1−β)·loss.
func TestSmoothLoss(t *testing.T) {
	l, _ := newLoop(1)
	var losses []float64
	err := l.Run(context.Background(), 3, func(p training.Progress) { losses = append(losses, p.Loss) })
	if err != nil {
		t.Fatal(err)
	}
	s, b := losses[0], l.Smoothing
	for _, loss := range losses {
		s = b*s + (1-b)*loss
	}
	if l.SmoothLoss != s {
		t.Fatalf("SmoothLoss %v, want %v", l.SmoothLoss, s)
	}
}

// A NaN loss or an infinite gradient stops the run at that step, says which,
// applies nothing and writes no checkpoint over the last good one.
func TestNonFinite(t *testing.T) {
	for _, tc := range []struct {
		name   string
		set    func(*regression)
		what   string
		errMsg string
	}{
		{"loss", func(r *regression) { r.nanLossAt = 6 }, "loss", "training: step 7: the loss is NaN; stopped with the weights of step 6"},
		{"gradient", func(r *regression) { r.nanGradAt = 6 }, `gradient of "W"`, `training: step 7: the gradient of "W" is +Inf at row 1, column 0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, m := newLoop(1)
			tc.set(m)
			l.Out, l.SaveEvery = filepath.Join(t.TempDir(), "m.safetensors"), 5
			var weights *mat.Dense
			err := l.Run(context.Background(), 20, func(p training.Progress) {
				if p.Step == 6 {
					weights = mat.DenseCopyOf(m.W.Value)
				}
			})
			var nf *training.NonFiniteError
			if !errors.As(err, &nf) || nf.Step != 7 || nf.What != tc.what || !strings.HasPrefix(err.Error(), tc.errMsg) {
				t.Fatalf("Run = %v, want a NonFiniteError at step 7 about the %s", err, tc.what)
			}
			if l.Step != 6 || !mat.Equal(m.W.Value, weights) {
				t.Fatalf("after the failure: step %d, weights changed %v; want step 6's weights", l.Step, !mat.Equal(m.W.Value, weights))
			}
			s, err := checkpoint.ReadState(l.Out, "toy")
			if err != nil || s.Step != 5 {
				t.Fatalf("checkpoint: %v, step %v; want the one of step 5", err, s)
			}
		})
	}
}

// State.Write refuses weights that are not finite, and leaves the file.
func TestSaveRefusesNaN(t *testing.T) {
	l, m := newLoop(1)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := l.Save(path); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	m.W.Value.Set(2, 0, math.NaN())
	err := l.Save(path)
	if err == nil || !strings.Contains(err.Error(), `weight "W" is NaN at row 2, column 0`) {
		t.Fatalf("Save of a NaN weight: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("the checkpoint changed")
	}
}

// Cancelled, Run returns ctx's error at once and writes the checkpoint of
// the last whole step.
func TestCancelSaves(t *testing.T) {
	l, _ := newLoop(1)
	l.Out = filepath.Join(t.TempDir(), "m.safetensors")
	ctx, cancel := context.WithCancel(context.Background())
	err := l.Run(ctx, 1000, func(p training.Progress) {
		if p.Step == 7 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || l.Step != 7 {
		t.Fatalf("Run = %v at step %d, want context.Canceled at step 7", err, l.Step)
	}
	if s, err := checkpoint.ReadState(l.Out, "toy"); err != nil || s.Step != 7 {
		t.Fatalf("checkpoint %v, %v; want step 7", s, err)
	}
}

// Ten steps in one run and five, save, restore, five more give the same
// weights and smoothed loss, bit for bit: the generator comes back too.
func TestResumeExact(t *testing.T) {
	straight, sm := newLoop(3)
	if err := straight.Run(context.Background(), 10, nil); err != nil {
		t.Fatal(err)
	}
	first, _ := newLoop(3)
	if err := first.Run(context.Background(), 5, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := first.Save(path); err != nil {
		t.Fatal(err)
	}
	s, err := checkpoint.ReadState(path, "toy")
	if err != nil {
		t.Fatal(err)
	}
	resumed, rm := newLoop(99) // another seed: the saved generator must replace it
	if err := s.LoadParams(rm.Params()); err != nil {
		t.Fatal(err)
	}
	if err := resumed.Restore(s); err != nil {
		t.Fatal(err)
	}
	if err := resumed.Run(context.Background(), 10, nil); err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(sm.W.Value, rm.W.Value) || straight.SmoothLoss != resumed.SmoothLoss {
		t.Fatalf("after resuming: W %v, smooth loss %v; straight: %v, %v",
			mat.Formatted(rm.W.Value.T()), resumed.SmoothLoss, mat.Formatted(sm.W.Value.T()), straight.SmoothLoss)
	}
}

// Restoring from a model-only checkpoint is refused.
func TestRestoreNeedsTraining(t *testing.T) {
	l, m := newLoop(1)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := (&checkpoint.State{Kind: "toy", Weights: m.Params()}).Write(path); err != nil {
		t.Fatal(err)
	}
	s, err := checkpoint.ReadState(path, "toy")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Restore(s); err == nil || !strings.Contains(err.Error(), "cannot be resumed") {
		t.Fatalf("Restore of a model alone: %v", err)
	}
}

// Clip.Value clamps each element, Clip.Norm rescales the whole gradient:
// with SGD at rate 1 the update is the clipped gradient.
func TestClip(t *testing.T) {
	for _, tc := range []struct {
		clip training.Clip
		want []float64
	}{
		{training.Clip{}, []float64{3, -4, 0}},
		{training.Clip{Value: 1}, []float64{1, -1, 0}},
		{training.Clip{Norm: 1}, []float64{0.6, -0.8, 0}}, // ‖(3, −4)‖ = 5
	} {
		p := nn.NewParam("W", 3, 1)
		m := &fixedGrad{p: p, g: []float64{3, -4, 0}}
		l := training.NewLoop(m, optim.NewSGD(m.Params(), 1))
		l.Clip = tc.clip
		if _, err := l.TrainStep(); err != nil {
			t.Fatal(err)
		}
		got := make([]float64, 3)
		for i := range got {
			got[i] = -p.Value.At(i, 0)
		}
		if !floats.EqualApprox(got, tc.want, 1e-15) {
			t.Errorf("clip %+v: update %v, want %v", tc.clip, got, tc.want)
		}
	}
}

// fixedGrad is a Model whose gradient is always g.
type fixedGrad struct {
	p *nn.Param
	g []float64
}

func (f *fixedGrad) Params() []*nn.Param { return []*nn.Param{f.p} }
func (f *fixedGrad) LossGrad(int) (float64, int) {
	copy(f.p.Grad.RawMatrix().Data, f.g)
	return 1, 1
}

// The exchange runs between LossGrad and the update: what it leaves in the
// gradients is applied, and the loss it returns is the one smoothed.
func TestExchange(t *testing.T) {
	p := nn.NewParam("W", 3, 1)
	m := &fixedGrad{p: p, g: []float64{3, -4, 0}}
	l := training.NewLoop(m, optim.NewSGD(m.Params(), 1))
	ex := &halve{}
	l.Exchange = ex
	if err := l.Run(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	if got := p.Value.RawMatrix().Data; !reflect.DeepEqual(got, []float64{-3, 4, 0}) || l.SmoothLoss != 0.5 || ex.steps != 2 {
		t.Fatalf("weights %v, smooth loss %v after two halved steps; want [−3 4 0] and 0.5", got, l.SmoothLoss)
	}
	ex.fail = true
	if err := l.Run(context.Background(), 3, nil); err == nil || !strings.Contains(err.Error(), "step 3: exchanging gradients: peer gone") {
		t.Fatalf("Run with a failing exchange: %v", err)
	}
}

// halve stands for an all-reduce with a peer whose gradient and loss are 0.
type halve struct {
	steps int
	fail  bool
}

func (h *halve) Exchange(params []*nn.Param, step int, loss float64, tokens int) (float64, int, error) {
	if h.fail {
		return 0, 0, errors.New("peer gone")
	}
	h.steps++
	for _, p := range params {
		p.Grad.Scale(0.5, p.Grad)
	}
	return loss / 2, tokens, nil
}

// Validation runs every ValEvery steps but the last, on the quick sample,
// and Progress carries it; Schedule sees every step and the end.
func TestValidationAndSchedule(t *testing.T) {
	m := &scheduled{regression: newRegression(1)}
	l := training.NewLoop(m, optim.NewSGD(m.Params(), 0.05))
	l.ValEvery = 4
	var validated []int
	err := l.Run(context.Background(), 12, func(p training.Progress) {
		if p.Validation != nil {
			validated = append(validated, p.Step)
			if p.Validation.Full {
				t.Errorf("step %d: a full validation during the run", p.Step)
			}
		}
		if want := float64(p.Step) / 8; p.Epoch != want {
			t.Errorf("step %d: epoch %v, want %v", p.Step, p.Epoch, want)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(validated, []int{4, 8}) {
		t.Errorf("validated after steps %v, want [4 8]", validated)
	}
	if len(m.calls) != 13 || m.calls[0] != [2]int{0, 12} || m.calls[12] != [2]int{12, 12} {
		t.Errorf("Schedule calls %v: want (0, 12) … (11, 12), then (12, 12)", m.calls)
	}
	if n, err := l.EpochSteps(2.5); n != 20 || err != nil {
		t.Errorf("EpochSteps(2.5) = %d, %v; want 20", n, err)
	}
}

type scheduled struct {
	*regression
	calls [][2]int
}

func (s *scheduled) Schedule(step, steps int) { s.calls = append(s.calls, [2]int{step, steps}) }

func TestProgress(t *testing.T) {
	p := training.Progress{Step: 30, Steps: 110, StartStep: 10, Tokens: 5000, Elapsed: 2 * time.Second, SmoothLoss: 1.5, Epoch: 0.25}
	if got := p.TokensPerSecond(); got != 2500 {
		t.Errorf("TokensPerSecond = %v, want 2500", got)
	}
	// 20 steps of this run in 2 s: 80 steps left take 8 s.
	if got := p.ETA(); got != 8*time.Second {
		t.Errorf("ETA = %v, want 8s", got)
	}
	if want := "step 30/110 (27%)  epoch 0.25  loss 1.5000  2500 tok/s  ETA 8s"; p.String() != want {
		t.Errorf("String = %q, want %q", p.String(), want)
	}
	v := training.Validation{Metrics: []training.Metric{{Name: "val_loss", Value: 1.23456, Digits: 4}, {Name: "bleu", Value: 33.4, Digits: 2}}, On: "a sample"}
	if got, want := v.String(), "val_loss=1.2346 bleu=33.40 (a sample)"; got != want {
		t.Errorf("Validation.String = %q, want %q", got, want)
	}
	w := training.Progress{Step: 240, Steps: 1000, Unit: "words", SmoothLoss: math.NaN(), LR: 0.025, Tokens: 240, Elapsed: time.Second}
	if want := "words 240/1000 (24%)  lr 0.025000  240 words/s  ETA 3.2s"; w.String() != want {
		t.Errorf("String = %q, want %q", w.String(), want)
	}
	if got := (training.Progress{StartStep: 30, Step: 30}).ETA(); got != 0 {
		t.Errorf("ETA before any step of the run = %v, want 0", got)
	}
	if got := (training.Progress{Tokens: 1}).TokensPerSecond(); got <= 0 || math.IsInf(got, 0) {
		t.Errorf("TokensPerSecond at no elapsed time = %v, want a finite positive rate", got)
	}
}
