package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/memnet"
)

// babiQuick are the flags of a training of a few seconds: one epoch of
// linear start at most and two after it.
var babiQuick = []string{"--epochs", "2", "--linear-start", "1"}

// TestTrainBabi trains two runs of task 1 and answers with the model: the
// per-task table, the final line, a file that answer and bench read.
func TestTrainBabi(t *testing.T) {
	out := filepath.Join(t.TempDir(), "babi.safetensors")
	code, stdout, stderr := runCLI(append([]string{"train", "babi", "--task", "1", "--repeats", "2", "--out", out}, babiQuick...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{" 1 single-supporting-fact", "mean error", "final val_err="} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for _, want := range []string{"task 1, run 1 of 2", "task 1, run 2 of 2", "questions trained on"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	models, err := memnet.Load(out)
	if err != nil || len(models) != 1 || memnet.ForTask(models, 1) == nil {
		t.Fatalf("Load: %d models, %v", len(models), err)
	}
}

// TestTrainBabiResume leaves the second run of task 1 half done, with the
// first as the best so far (a checkpoint as Ctrl-C leaves it), resumes it
// with --resume, and gets the table of the training that never stopped.
func TestTrainBabiResume(t *testing.T) {
	dir := t.TempDir()
	whole, half := filepath.Join(dir, "whole.safetensors"), filepath.Join(dir, "half.safetensors")
	code, want, stderr := runCLI(append([]string{"train", "babi", "--task", "1", "--repeats", "2", "--out", whole}, babiQuick...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}

	// The same plan, run by hand: the first run whole, the second to a third.
	plan, err := newBabiPlan(&trainFlags{set: map[string]bool{}}, 1, false, false, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	plan.Train.Epochs, plan.Train.LinearStart = 2, 1
	p, _ := json.Marshal(plan)
	runs := &memnet.Runs{Plan: string(p)}
	for r := 0; r < 2; r++ {
		m, err := newBabiModel(plan, []int{1}, r)
		if err != nil {
			t.Fatal(err)
		}
		train, val, err := babiExamples(m, []int{1})
		if err != nil {
			t.Fatal(err)
		}
		cfg := plan.Train
		cfg.Seed = plan.Seed + uint64(r)
		tr, err := memnet.NewTrainer(m, train, val, cfg)
		if err != nil {
			t.Fatal(err)
		}
		tr.Runs, runs.Run = runs, r
		if r == 1 {
			if err := tr.Run(context.Background(), tr.Steps()/3, nil); err != nil {
				t.Fatal(err)
			}
			if err := tr.Save(half); err != nil {
				t.Fatal(err)
			}
			break
		}
		if err := tr.Run(context.Background(), tr.Steps(), nil); err != nil {
			t.Fatal(err)
		}
		runs.Best, runs.BestScore = m, m.Evaluate(val)
	}
	if _, err := memnet.Load(half); err == nil {
		t.Error("Load read models from a checkpoint of the first model's training")
	}
	code, got, stderr := runCLI("train", "babi", "--resume", half, "--out", half)
	if code != 0 {
		t.Fatalf("resume: exit %d\n%s", code, stderr)
	}
	if got != want {
		t.Errorf("resumed:\n%s\nwhole:\n%s", got, want)
	}
	if !strings.Contains(stderr, "task 1, run 2 of 2") || strings.Contains(stderr, "run 1 of 2") {
		t.Errorf("resume did not go on with run 2 alone:\n%s", stderr)
	}
}

func TestTrainBabiErrors(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, "final.safetensors")
	if code, _, stderr := runCLI(append([]string{"train", "babi", "--task", "4", "--out", final}, babiQuick...)...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, test := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--all", "--task", "3"}, 2, "--all and --task: choose one"},
		{[]string{"--joint", "--task", "3"}, 2, "--joint trains on all 20 tasks"},
		{[]string{"--task", "21"}, 2, "--task 21: want 1 to 20"},
		{[]string{"--repeats", "0"}, 2, "--repeats must be at least 1"},
		{[]string{"--encoding", "rnn"}, 2, `unknown encoding "rnn"`},
		{[]string{"--resume", final, "--task", "2"}, 2, "--task cannot change when resuming"},
		{[]string{"--resume", final}, 1, "a model without its training state"},
		{[]string{"--resume", filepath.Join(dir, "none")}, 1, "no such file"},
	} {
		code, stdout, stderr := runCLI(append([]string{"train", "babi"}, test.args...)...)
		if code != test.code || !strings.Contains(stderr, test.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q (stdout %q)", test.args, code, stderr, test.code, test.want, stdout)
		}
	}
}
