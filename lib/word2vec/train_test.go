package word2vec

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/training"
)

// groupOf returns the group letter of a two-groups word: "a3" → 'a'.
func groupOf(w string) byte { return w[0] }

// checkGroups asserts that every word's nearest neighbour is in its group.
func checkGroups(t *testing.T, v *Vectors) {
	t.Helper()
	if v.Len() != 20 {
		t.Fatalf("%d words, want 20", v.Len())
	}
	for _, w := range v.Words() {
		ns, err := v.Nearest(w, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			if groupOf(n.Word) != groupOf(w) {
				t.Errorf("%s: neighbours %v cross groups", w, ns)
				break
			}
		}
	}
}

// TestTrainTwoGroups trains every architecture on a corpus with a known
// answer: two groups of ten words that only occur with their own group.
// Each word's three nearest neighbours must be from its group.
func TestTrainTwoGroups(t *testing.T) {
	text := twoGroups(rand.New(rand.NewPCG(1, 1)), 10, 400) // 4,800 words
	for _, c := range []struct {
		name string
		cfg  func(*Config)
	}{
		{"sg/neg", func(*Config) {}},
		{"sg/hs", func(c *Config) { c.HS, c.Negative = true, 0 }},
		{"sg/hs+neg", func(c *Config) { c.HS = true }},
		{"cbow/neg", func(c *Config) { c.CBOW, c.Alpha = true, 0.05 }},
		{"cbow/hs", func(c *Config) { c.CBOW, c.Alpha, c.HS, c.Negative = true, 0.05, true, 0 }},
		{"sg/neg/table", func(c *Config) { c.TableSize = 10_000 }},
		{"sg/neg/threads", func(c *Config) { c.Threads = 3 }},
		{"sg/neg/go-loops", nil}, // the portable kernels, as off amd64
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.cfg == nil {
				defer func(v bool) { useAVX2 = v }(useAVX2)
				useAVX2 = false
				c.cfg = func(*Config) {}
			}
			cfg := DefaultConfig()
			cfg.Dim, cfg.Epochs, cfg.Sample = 16, 10, 0
			c.cfg(&cfg)
			if cfg.Threads > 1 && raceEnabled {
				t.Skip("Hogwild goroutines race by design")
			}
			v, err := Train(rand.New(rand.NewPCG(1, 1)), NewTextCorpus(text, SplitSpace), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkGroups(t, v)
		})
	}
}

// TestTrainReproducible: one thread and one seed give the same vectors.
func TestTrainReproducible(t *testing.T) {
	text := twoGroups(rand.New(rand.NewPCG(2, 2)), 10, 100)
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs, cfg.MinCount = 8, 2, 1
	train := func(seed uint64) []float64 {
		v, err := Train(rand.New(rand.NewPCG(seed, 1)), NewTextCorpus(text, SplitSpace), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return v.Vector("a1")
	}
	a, b, c := train(1), train(1), train(2)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different vectors: %v and %v", a, b)
		}
	}
	same := true
	for i := range a {
		same = same && a[i] == c[i]
	}
	if same {
		t.Errorf("different seeds, same vectors")
	}
}

// TestLearningRate: α falls linearly from Alpha to the floor Alpha·1e-4.
func TestLearningRate(t *testing.T) {
	tr := &Trainer{Config: Config{Alpha: 0.025, Epochs: 2}, Vocab: &Vocab{total: 500}}
	for _, c := range []struct {
		words int64
		want  float64
	}{
		{0, 0.025},
		{500, 0.025 * (1 - 500.0/1001)},   // half way: Epochs·T + 1 = 1001
		{1000, 0.025 * (1 - 1000.0/1001)}, // the last word: 0.025·0.000999, still above the floor
		{1001, 0.025 * 1e-4},              // 1 − 1001/1001 = 0: the floor
		{5000, 0.025 * 1e-4},              // past the end: the floor
	} {
		if got := tr.alpha(c.words); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("alpha(%d) = %g, want %g", c.words, got, c.want)
		}
	}
}

func TestTrainProgressAndCancel(t *testing.T) {
	text := twoGroups(rand.New(rand.NewPCG(3, 3)), 10, 2000) // 24,000 words
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs = 8, 3
	tr, err := NewTrainer(rand.New(rand.NewPCG(1, 1)), NewTextCorpus(text, SplitSpace), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var last training.Progress
	calls := 0
	if err := tr.Run(context.Background(), func(p training.Progress) { last, calls = p, calls+1 }); err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last.Step != last.Steps || last.Steps != 3*24000 || last.ETA() != 0 || last.TokensPerSecond() <= 0 || last.Unit != "words" {
		t.Errorf("after %d reports: %+v", calls, last)
	}
	if math.Abs(last.LR-tr.alpha(int64(last.Step))) > 1e-12 {
		t.Errorf("alpha %g at the end", last.LR)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = tr.Run(ctx, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v", err)
	}
	if v := tr.Vectors(); v.Len() != 20 || v.Vector("a0") == nil {
		t.Errorf("vectors after cancel: %d", v.Len())
	}
}

func TestTrainErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	cfg := DefaultConfig()
	for _, c := range []struct {
		corpus *Corpus
		cfg    func(*Config)
		is     error
		msg    string
	}{
		{NewTextCorpus("", SplitSpace), nil, ErrEmptyCorpus, "the corpus has no words"},
		{NewTextCorpus("... !!! 42", SplitLetters), nil, ErrEmptyCorpus, "the corpus has no words"},
		{NewTextCorpus("every word once", SplitSpace), nil, ErrNoVocabulary, "min-count is 5"},
		{NewTextCorpus("a a a a a", SplitSpace), func(c *Config) { c.Dim = 0 }, ErrConfig, "Dim 0"},
		{NewTextCorpus("a a a a a", SplitSpace), func(c *Config) { c.Negative, c.HS = 0, false }, ErrConfig, "no output layer"},
		{NewTextCorpus("a a a a a", SplitSpace), func(c *Config) { c.Alpha = -1 }, ErrConfig, "Alpha -1"},
		{NewTextCorpus("a a a a a", SplitSpace), func(c *Config) { c.Threads = 0 }, ErrConfig, "Threads 0"},
		{NewFileCorpus("testdata/missing.txt", SplitSpace), nil, nil, "missing.txt"},
	} {
		cfg := cfg
		if c.cfg != nil {
			c.cfg(&cfg)
		}
		_, err := Train(rng, c.corpus, cfg)
		if err == nil || (c.is != nil && !errors.Is(err, c.is)) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %v with %q", c.corpus.Name(), err, c.is, c.msg)
		}
	}
}

// TestTrainOneWord: a vocabulary of one word trains (nothing to contrast)
// without crashing, with either output layer.
func TestTrainOneWord(t *testing.T) {
	for _, hs := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Dim, cfg.MinCount, cfg.HS = 4, 1, hs
		v, err := Train(rand.New(rand.NewPCG(1, 1)), NewTextCorpus("a a a a\na a", SplitSpace), cfg)
		if err != nil || v.Len() != 1 {
			t.Fatalf("hs=%v: %v", hs, err)
		}
	}
}

// TestTrainGutenberg trains on one embedded novel and checks that the
// vectors have learnt something any model of English would: the nearest
// words of a pronoun or a number word. Skipped with -short.
func TestTrainGutenberg(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a few seconds")
	}
	c, err := NewDatasetCorpus("gutenberg-en", "pg1342.txt") // Pride and Prejudice, 122k words
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs = 50, 5
	v, err := Train(rand.New(rand.NewPCG(1, 1)), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ word, among string }{
		{"she", "he her him they"},
		{"sister", "mother father brother daughter aunt uncle"},
		{"two", "three four five six"},
	} {
		ns, err := v.Nearest(c.word, 5)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range ns {
			found = found || strings.Contains(" "+c.among+" ", " "+n.Word+" ")
		}
		if !found {
			t.Errorf("%s: neighbours %v, none of %q", c.word, ns, c.among)
		}
	}
}
