package checkpoint

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// A training State survives Write and ReadState: metadata, counters,
// generator, weights, optimizer state and extra tensors.
func TestStateRoundTrip(t *testing.T) {
	w := &nn.Param{Name: "W", Value: mat.NewDense(2, 2, []float64{1, 2, 3, 4})}
	m := &nn.Param{Name: "adam.m/W", Value: mat.NewDense(2, 2, []float64{0.1, 0.2, 0.3, 0.4})}
	in := &State{Kind: "toy", Config: `{"hidden":2}`, Meta: map[string]string{"vocab": "ab"}, Weights: []*nn.Param{w},
		Trained: true, Optimizer: []*nn.Param{m}, Step: 12, SmoothLoss: 1.0 / 3, Position: 5, Rand: []byte{0, 1, 254},
		Extra: []Tensor{FromFloat64s("state0.h", []int{1, 2}, []float64{-1, 1})}}
	path := filepath.Join(t.TempDir(), "s.safetensors")
	if err := in.Write(path); err != nil {
		t.Fatal(err)
	}
	s, err := ReadState(path, "toy")
	if err != nil {
		t.Fatal(err)
	}
	if s.Config != in.Config || !reflect.DeepEqual(s.Meta, in.Meta) || !s.Trained || s.Step != 12 ||
		s.SmoothLoss != 1.0/3 || s.Position != 5 || !reflect.DeepEqual(s.Rand, in.Rand) {
		t.Fatalf("read %+v", s)
	}
	w2 := &nn.Param{Name: "W", Value: mat.NewDense(2, 2, nil)}
	m2 := &nn.Param{Name: "adam.m/W", Value: mat.NewDense(2, 2, nil)}
	if err := s.LoadParams([]*nn.Param{w2}); err != nil || !mat.Equal(w.Value, w2.Value) {
		t.Fatalf("LoadParams: %v", err)
	}
	if err := s.LoadOptimizer([]*nn.Param{m2}); err != nil || !mat.Equal(m.Value, m2.Value) {
		t.Fatalf("LoadOptimizer: %v", err)
	}
	if h, ok := s.Tensor("state0.h"); !ok || h.Shape[1] != 2 {
		t.Fatal("the extra tensor is missing")
	}
	if _, err := ReadState(path, "other"); err == nil || !strings.Contains(err.Error(), `model kind is "toy", want "other"`) {
		t.Errorf("ReadState of another kind: %v", err)
	}
}

// A model alone has no training: ReadState says so and LoadOptimizer
// refuses it. The metadata keys are those lib/translate wrote before State
// existed (no position), which read as a State.
func TestStateModelAndOlderFiles(t *testing.T) {
	dir := t.TempDir()
	w := &nn.Param{Name: "W", Value: mat.NewDense(1, 1, []float64{2})}
	alone := filepath.Join(dir, "alone.safetensors")
	if err := (&State{Kind: "toy", Weights: []*nn.Param{w}}).Write(alone); err != nil {
		t.Fatal(err)
	}
	s, err := ReadState(alone, "toy")
	if err != nil || s.Trained {
		t.Fatalf("a model alone: %+v, %v", s, err)
	}
	if err := s.LoadOptimizer(nil); err == nil || !strings.Contains(err.Error(), "cannot be resumed") {
		t.Errorf("LoadOptimizer of a model alone: %v", err)
	}
	old := filepath.Join(dir, "old.safetensors")
	meta := map[string]string{"kind": "seq2go/translate", "config": "{}", "clip": "0", "step": "4", "smooth_loss": "2.5", "rand_state": "ff00"}
	if err := SaveParams(old, []*nn.Param{w}, nil, meta); err != nil {
		t.Fatal(err)
	}
	s, err = ReadState(old, "seq2go/translate")
	if err != nil || s.Step != 4 || s.SmoothLoss != 2.5 || s.Position != 0 || !reflect.DeepEqual(s.Rand, []byte{0xff, 0}) || s.Meta["clip"] != "0" {
		t.Fatalf("an older translator checkpoint: %+v, %v", s, err)
	}
}

// Write refuses non-finite weights and reserved keys, and leaves the file.
func TestStateWriteRefuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.safetensors")
	good := &State{Kind: "toy", Weights: []*nn.Param{{Name: "W", Value: mat.NewDense(1, 2, []float64{1, 2})}}}
	if err := good.Write(path); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	for _, tc := range []struct {
		s    *State
		want string
	}{
		{&State{Kind: "toy", Weights: []*nn.Param{{Name: "W", Value: mat.NewDense(1, 2, []float64{1, math.Inf(-1)})}}}, `weight "W" is -Inf at row 0, column 1`},
		{&State{Kind: "toy", Trained: true, Optimizer: []*nn.Param{{Name: "m", Value: mat.NewDense(1, 1, []float64{math.NaN()})}}}, `weight "m" is NaN`},
		{&State{Kind: "toy", Meta: map[string]string{"step": "1"}}, `reserved key "step"`},
		{&State{}, "no model kind"},
	} {
		if err := tc.s.Write(path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Write: %v, want an error containing %q", err, tc.want)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a refused Write changed the file")
	}
	bad := filepath.Join(t.TempDir(), "bad.safetensors")
	for _, meta := range []map[string]string{
		{"kind": "toy", "step": "-1"},
		{"kind": "toy", "step": "1", "smooth_loss": "x"},
		{"kind": "toy", "step": "1", "smooth_loss": "1", "position": "p"},
		{"kind": "toy", "step": "1", "smooth_loss": "1", "rand_state": "zz"},
	} {
		if err := Write(bad, &File{Metadata: meta}); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadState(bad, "toy"); err == nil || !strings.Contains(err.Error(), "bad.safetensors: metadata") {
			t.Errorf("ReadState of %v: %v", meta, err)
		}
	}
}
