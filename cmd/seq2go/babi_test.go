package main

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
	"github.com/seq2go/seq2go/lib/memnet"
)

// babiModels saves an untrained model for each of tasks 1 and 2 to one
// file, as 'train babi --all' would for two tasks, and returns its path.
func babiModels(t *testing.T) (string, []*memnet.Model) {
	t.Helper()
	var models []*memnet.Model
	for _, task := range []int{1, 2} {
		stories, err := memnet.LoadTask(task)
		if err != nil {
			t.Fatal(err)
		}
		m, err := memnet.New(rand.New(rand.NewPCG(1, uint64(task))), memnet.DefaultConfig(), memnet.NewVocab(stories))
		if err != nil {
			t.Fatal(err)
		}
		m.Tasks = []int{task}
		models = append(models, m)
	}
	path := filepath.Join(t.TempDir(), "babi.safetensors")
	if err := memnet.Save(path, models); err != nil {
		t.Fatal(err)
	}
	return path, models
}

// TestAnswerStories answers the talk's story in plain text and a story in
// the bAbI format: every question gets an answer line and a table of the
// hops' weights on the sentences.
func TestAnswerStories(t *testing.T) {
	_, models := babiModels(t)
	plain := "Mary moved to the bathroom.\nSandra journeyed to the garden.\nSandra took the milk there.\nWhere is the milk?\n"
	var out bytes.Buffer
	last, err := answerStories(models[1], []byte(plain), "stdin", 0, &out)
	if err != nil {
		t.Fatal(err)
	}
	if svg := last.SVG(); !strings.Contains(svg, "Sandra took the milk there.") || !strings.Contains(svg, "hop 3") {
		t.Errorf("attention picture lacks the sentences or hops")
	}
	for _, want := range []string{"Where is the milk?\n→ ", "hop 1  hop 2  hop 3", " Sandra took the milk there.\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	babi := "1 Mary moved to the bathroom.\n2 Where is Mary?\tbathroom\t1\n1 John went to the hallway.\n2 Where is John?\thallway\t1\n"
	out.Reset()
	if _, err := answerStories(models[0], []byte(babi), "stdin", 2, &out); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "→ "); n != 2 {
		t.Errorf("%d answers, want 2:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "(1 more sentences, each weighed below 2.00)") {
		t.Errorf("hidden sentences not counted:\n%s", out.String())
	}
	if n := strings.Count(out.String(), "right") + strings.Count(out.String(), "wrong: "); n != 2 {
		t.Errorf("%d answers checked, want 2:\n%s", n, out.String())
	}
	for _, bad := range []struct{ in, want string }{
		{"Mary moved.\n", `stdin: no question`},
		{"1 Mary moved.\n3 Where?\n", "stdin:2: expected line ID 2"},
		{"1 Mary moved.\n", "stdin: no question"},
	} {
		if _, err := answerStories(models[0], []byte(bad.in), "stdin", 0, io.Discard); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: error %v, want %q", bad.in, err, bad.want)
		}
	}
}

// TestBenchBabi runs 'bench babi' on a directory holding the train files
// of tasks 1, 2 and 3 (the model file has no model for task 3).
func TestBenchBabi(t *testing.T) {
	path, _ := babiModels(t)
	dir := t.TempDir()
	for _, task := range []int{1, 2, 3} {
		name := "qa" + string(rune('0'+task)) + "_" + memnet.TaskName(task) + "_train.txt"
		r, err := datasets.OpenFile(memnet.Dataset, name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCLI("bench", "babi", "--model", path, "--test", dir, "--suffix", "train")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{" 1 single-supporting-fact", "1000", " 3 three-supporting-facts", "no model", "mean error", "failed tasks (error > 5 %): 2 of 2"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	for _, test := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"bench", "babi", "--model", path}, 2, "--test DIR is required"},
		{[]string{"bench", "babi", "--model", path, "--test", dir}, 1, "no bAbI files qaN_*_test.txt"},
		{[]string{"bench", "babi", "--model", path, "--test", filepath.Join(dir, "none")}, 1, "no such file"},
		{[]string{"bench", "chess"}, 2, `unknown benchmark "chess" (known: babi, `},
		{[]string{"answer"}, 2, "--model FILE is required"},
		{[]string{"answer", "--model", path}, 2, "holds 2 models, one per task: which? (--task N)"},
		{[]string{"answer", "--model", path, "--task", "7"}, 1, "no model for task 7"},
		{[]string{"answer", "--model", path, "--task", "21"}, 2, "--task 21: want 1 to 20"},
		{[]string{"answer", "--model", dir}, 1, dir},
	} {
		code, stdout, stderr := runCLI(test.args...)
		if code != test.code || !strings.Contains(stderr, test.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q (stdout %q)", test.args, code, stderr, test.code, test.want, stdout)
		}
	}
}
