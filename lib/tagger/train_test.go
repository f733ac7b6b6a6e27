package tagger

import (
	"context"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestResumeIsExact: 6 steps, a checkpoint, and 6 more from it give the
// weights and smoothed loss of 12 steps in one go, bit for bit, with
// dropout and word dropout on (the generator's state travels in the
// checkpoint) and with the batch on one goroutine or shared out between
// two replicas.
func TestResumeIsExact(t *testing.T) {
	train, dev := ewt(t)
	train, dev = train[:96], dev[:20]
	cfg := tinyConfig("lstm", false)
	cfg.WordDim, cfg.Hidden, cfg.MaxChars = 8, 8, 12
	cfg.Dropout, cfg.WordDropout, cfg.Batch = 0.3, 0.25, 16
	for _, workers := range []int{1, 2} {
		newTrainer := func(m *Model) *Trainer {
			if m == nil {
				var err error
				if m, err = New(cfg, train); err != nil {
					t.Fatal(err)
				}
			}
			tr, err := NewTrainer(m, train, dev)
			if err != nil {
				t.Fatal(err)
			}
			tr.Workers = workers
			return tr
		}
		ctx := context.Background()
		straight := newTrainer(nil)
		if err := straight.Run(ctx, 12, nil); err != nil {
			t.Fatal(err)
		}
		first := newTrainer(nil)
		if err := first.Run(ctx, 6, nil); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "tagger.safetensors")
		if err := first.Save(path); err != nil {
			t.Fatal(err)
		}
		m, s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		resumed := newTrainer(m)
		if err := resumed.Restore(s); err != nil {
			t.Fatal(err)
		}
		if resumed.Step != 6 {
			t.Fatalf("workers %d: restored step %d, want 6", workers, resumed.Step)
		}
		if err := resumed.Run(ctx, 12, nil); err != nil {
			t.Fatal(err)
		}
		for i, p := range straight.M.Params() {
			if q := resumed.M.Params()[i]; !mat.Equal(p.Value, q.Value) {
				t.Fatalf("workers %d: %s differs after resume", workers, p.Name)
			}
		}
		if straight.SmoothLoss != resumed.SmoothLoss {
			t.Fatalf("workers %d: smooth loss %v after resume, want %v", workers, resumed.SmoothLoss, straight.SmoothLoss)
		}
		v := resumed.Validate(true)
		if acc, ok := v.Value("upos_acc"); !ok || !(acc >= 0 && acc <= 100) || !v.Full {
			t.Errorf("workers %d: validation %v", workers, v)
		}
	}
}

// A model file without the training cannot be resumed, and says so.
func TestResumeNeedsTrainingState(t *testing.T) {
	train, dev := ewt(t)
	m, err := New(tinyConfig("none", false), train[:20])
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(m2, train[:20], dev[:5])
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Restore(s); err == nil {
		t.Error("resumed from a model file without its training state")
	}
}
