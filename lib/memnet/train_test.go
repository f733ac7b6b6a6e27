package memnet

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// newTask1Trainer returns a trainer of a fresh task-1 model, its data split
// as the paper's, with cfg.
func newTask1Trainer(t *testing.T, cfg TrainConfig) *Trainer {
	t.Helper()
	stories, err := LoadTask(1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(rand.New(rand.NewPCG(cfg.Seed, 1)), DefaultConfig(), NewVocab(stories))
	if err != nil {
		t.Fatal(err)
	}
	m.Tasks = []int{1}
	train, val := Split(m.Examples(stories, 1), 0.1)
	tr, err := NewTrainer(m, train, val, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr.Workers = 2
	return tr
}

// TestTrainerResume stops a run in linear start, in an epoch and at an
// epoch's end, saves it, opens it again and goes on: the weights come out
// the same, bit for bit, as those of the run that never stopped, through
// the end of linear start.
func TestTrainerResume(t *testing.T) {
	cfg := DefaultTrainConfig()
	cfg.Epochs, cfg.LinearStart = 2, 3
	whole := newTask1Trainer(t, cfg)
	steps := whole.Steps()
	if err := whole.Run(context.Background(), steps, nil); err != nil {
		t.Fatal(err)
	}
	for _, stop := range []int{steps / 3, 2 * whole.StepsPerEpoch()} {
		resume(t, cfg, whole, stop)
	}
}

// resume trains to step stop, saves, opens the file and goes on to the end
// of the run, then compares the weights with whole's.
func resume(t *testing.T, cfg TrainConfig, whole *Trainer, stop int) {
	steps := whole.Steps()
	half := newTask1Trainer(t, cfg)
	path := filepath.Join(t.TempDir(), "run.safetensors")
	half.Runs = &Runs{Run: 1}
	if err := half.Run(context.Background(), stop, nil); err != nil {
		t.Fatal(err)
	}
	if err := half.Save(path); err != nil {
		t.Fatal(err)
	}
	m, tc, runs, s, err := OpenTraining(path)
	if err != nil {
		t.Fatal(err)
	}
	if tc != cfg || runs.Run != 1 || len(runs.Done) != 0 || runs.Best != nil {
		t.Fatalf("opened %+v, runs %+v", tc, runs)
	}
	again, err := NewTrainer(m, half.Train, half.Val, tc)
	if err != nil {
		t.Fatal(err)
	}
	again.Workers = 2
	if err := again.Restore(s); err != nil {
		t.Fatal(err)
	}
	if err := again.Run(context.Background(), steps, nil); err != nil {
		t.Fatal(err)
	}
	for i, p := range whole.Params() {
		if !mat.Equal(p.Value, again.Params()[i].Value) {
			t.Errorf("stopped at %d: %s differs after resuming", stop, p.Name)
		}
	}
	if whole.lsEnd != again.lsEnd || whole.lsEnd < 0 {
		t.Errorf("stopped at %d: linear start ended at epoch %d, resumed at %d", stop, whole.lsEnd, again.lsEnd)
	}
}
