package memnet

import (
	"context"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
)

// task1 is a model trained on task 1 for the tests that need one, with
// its validation examples; made once.
var task1 = sync.OnceValues(func() (*Model, []Example) {
	stories, err := LoadTask(1)
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	m, err := New(rng, DefaultConfig(), NewVocab(stories))
	if err != nil {
		panic(err)
	}
	m.Tasks = []int{1}
	train, val := Split(m.Examples(stories, 1), 0.1)
	cfg := DefaultTrainConfig()
	cfg.Epochs, cfg.LinearStart = 20, 0
	tr, err := NewTrainer(m, train, val, cfg)
	if err != nil {
		panic(err)
	}
	if err := tr.Run(context.Background(), tr.Steps(), nil); err != nil {
		panic(err)
	}
	return m, val
})

// TestTrainTask1 checks that 20 epochs teach task 1 ("Where is Mary?"):
// the paper's error is 0.0 %; below 5 % passes a task.
func TestTrainTask1(t *testing.T) {
	m, val := task1()
	s := m.Evaluate(val)
	if s.Questions != 100 || s.ErrorRate() > 0.05 {
		t.Errorf("validation: %d errors in %d questions, loss %.3f", s.Errors, s.Questions, s.MeanLoss())
	}
}

// TestAnswerStory asks the trained model about a story in plain text: the
// answer and, in every hop, weights on the sentences that sum to at most one
// (the rest is on the memory's empty slots), the last hop looking hardest
// at the sentence that holds the answer.
func TestAnswerStory(t *testing.T) {
	m, _ := task1()
	story, err := data.ReadPlainStory(strings.NewReader(
		"Mary moved to the bathroom.\nJohn went to the hallway.\nDaniel journeyed to the office.\nWhere is Mary?\nWhere is Daniel?\n"), "story.txt")
	if err != nil {
		t.Fatal(err)
	}
	answers := m.AnswerStory(story)
	for i, want := range []struct {
		answer string
		fact   int
	}{{"bathroom", 0}, {"office", 2}} {
		a := answers[i]
		if a.Text != want.answer || a.First != 0 || len(a.Attention) != 3 {
			t.Errorf("question %d: %+v, want %q", i, a, want.answer)
			continue
		}
		for k, w := range a.Attention {
			if sum := w[0] + w[1] + w[2]; len(w) != 3 || !(sum > 0 && sum < 1+1e-12) {
				t.Errorf("question %d, hop %d: weights %v", i, k, w)
			}
		}
		if last := a.Attention[2]; last[want.fact] < 0.5 {
			t.Errorf("question %d: last hop's weights %v, want most on sentence %d", i, last, want.fact)
		}
	}
}

// TestSaveLoad writes two models to one file and reads them back: the same
// answers to the same questions, the same tasks.
func TestSaveLoad(t *testing.T) {
	m, val := task1()
	other, _ := toyModel(t, DefaultConfig())
	other.Tasks = []int{1, 8}
	path := filepath.Join(t.TempDir(), "babi.safetensors")
	if err := Save(path, []*Model{m, other}); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || ForTask(got, 1) != got[0] || ForTask(got, 8) != got[1] || ForTask(got, 3) != nil {
		t.Fatalf("loaded %d models, tasks %v", len(got), got[0].Tasks)
	}
	want, have := m.Answer(val), got[0].Answer(val)
	for i := range want {
		if want[i].Text != have[i].Text || want[i].Prob != have[i].Prob {
			t.Fatalf("answer %d: %+v after loading, %+v before", i, have[i], want[i])
		}
	}
	if got[0].Vocab.Size() != m.Vocab.Size() || got[1].Config != other.Config {
		t.Errorf("vocabulary or config differ")
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	m, _ := toyModel(t, DefaultConfig())
	good := filepath.Join(dir, "good.safetensors")
	if err := Save(good, []*Model{m}); err != nil {
		t.Fatal(err)
	}
	f, err := checkpoint.Read(good)
	if err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		name, key, value, want string
	}{
		{"kind", "kind", "seq2go/charrnn", `model kind is "seq2go/charrnn", want "seq2go/memnet"`},
		{"models", "models", "x", `metadata "models" "x": want a number of models`},
		{"no models", "models", "0", "no model trained to the end yet"},
		{"config", "m0.config", "{", `metadata "m0.config"`},
		{"encoding", "m0.config", `{"dim":4,"hops":1,"encoding":"x","tying":"adjacent","memory":5}`, `unknown encoding "x"`},
		{"shape", "m0.config", `{"dim":5,"hops":3,"encoding":"pe","tying":"adjacent","memory":50}`, `tensor "m0.E0" has shape`},
		{"tasks", "m0.tasks", "1,x", `metadata "m0.tasks" "1,x": want task numbers 1 … 20`},
		{"vocab", "m0.vocab", "", "m0.vocab"},
	} {
		t.Run(test.name, func(t *testing.T) {
			bad := &checkpoint.File{Metadata: maps.Clone(f.Metadata), Tensors: f.Tensors}
			bad.Metadata[test.key] = test.value
			path := filepath.Join(dir, test.name+".safetensors")
			if err := checkpoint.Write(path, bad); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), test.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v, want one naming %s and saying %s", err, path, test.want)
			}
		})
	}
}
