package smartreply

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestRecallAtK(t *testing.T) {
	var exs []Example
	for i := 0; i < 50; i++ {
		exs = append(exs, Example{Context: []Turn{{Them, fmt.Sprint("message ", i)}}, Reply: fmt.Sprint("reply ", i)})
	}
	truth := func(h []Turn, cands []string) []float64 {
		s := make([]float64, len(cands))
		want := "reply " + strings.TrimPrefix(h[len(h)-1].Text, "message ")
		for i, c := range cands {
			if c == want {
				s[i] = 1
			}
		}
		return s
	}
	constant := func(h []Turn, cands []string) []float64 { return make([]float64, len(cands)) }
	if r := RecallAtK(exs, truth, 100, 1, 2); r.At1 != 100 || r.At3 != 100 || r.Pool != 50 || r.N != 50 {
		t.Errorf("a perfect scorer: %+v", r)
	}
	if r := RecallAtK(exs, constant, 10, 1, 1); r.At1 != 0 || r.At3 != 0 {
		t.Errorf("a constant scorer (ties count against): %+v", r)
	}
	// TF-IDF finds a reply that repeats the message's rare words.
	tf := NewTFIDF(WordTokens, 1, []string{"the cat", "the dog", "a bird"})
	s := tf.Scores([]Turn{{Them, "the cat sat"}}, []string{"the dog", "a cat !", "bird"})
	if !(s[1] > s[0] && s[0] > s[2] && s[2] == 0) {
		t.Errorf("TF-IDF scores %v: want the cat first, the dog second, the bird 0", s)
	}
	// idf = ln((1+N)/(1+df)) + 1 with N = 3: "the" df 2, "cat" and "a" df 1,
	// "sat" and "!" unseen (df 0). The message has the, cat, sat; the
	// candidate a, cat, !; only "cat" is shared.
	idfThe, idfCat, idfA, idfNew := math.Log(4.0/3)+1, math.Log(4.0/2)+1, math.Log(4.0/2)+1, math.Log(4.0)+1
	want := idfCat * idfCat / math.Sqrt(idfThe*idfThe+idfCat*idfCat+idfNew*idfNew) / math.Sqrt(idfA*idfA+idfCat*idfCat+idfNew*idfNew)
	if math.Abs(s[1]-want) > 1e-12 {
		t.Errorf("TF-IDF cosine %v, want %v", s[1], want)
	}
}

func TestCluster(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	// Three directions, 20 noisy vectors each, of random lengths.
	dirs := [][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	v := mat.NewDense(60, 3, nil)
	for i := 0; i < 60; i++ {
		scale := 0.5 + 3*rng.Float64()
		for j := 0; j < 3; j++ {
			v.Set(i, j, scale*(dirs[i%3][j]+0.1*rng.NormFloat64()))
		}
	}
	c := Cluster(rand.New(rand.NewPCG(1, 1)), v, 3, 20)
	for i := 3; i < 60; i++ {
		if c[i] != c[i%3] {
			t.Fatalf("vector %d in cluster %d, its direction's first in %d: %v", i, c[i], c[i%3], c)
		}
	}
	if c[0] == c[1] || c[1] == c[2] || c[0] == c[2] {
		t.Errorf("the three directions share clusters: %v", c[:3])
	}
}

func TestLoadCorpus(t *testing.T) {
	c, err := LoadCorpus("dialog-babi:1")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Train) != 6024 || len(c.Dev) != 6015 || len(c.Test) != 0 || len(c.Candidates) != 4212 || !c.Babi {
		t.Errorf("task 1: %d/%d/%d examples, %d candidates", len(c.Train), len(c.Dev), len(c.Test), len(c.Candidates))
	}
	for _, spec := range []string{"dialog-babi:7", "dialog-babi:0", "dialog-babi:3..2", "dialog-babi:5..6", "dialog-babi:x", "wikipedia", "missing.tsv"} {
		if _, err := LoadCorpus(spec); err == nil {
			t.Errorf("%q: no error", spec)
		}
	}
}

func TestLoadTopicalChat(t *testing.T) {
	c, err := LoadCorpus("topical-chat")
	if err != nil {
		t.Fatal(err)
	}
	n := len(c.Train) + len(c.Dev) + len(c.Test)
	if n != 22295 || len(c.Test) < 2000 || len(c.Dev) < 2000 || c.Babi || c.Candidates != nil {
		t.Errorf("topical-chat: %d/%d/%d examples", len(c.Train), len(c.Dev), len(c.Test))
	}
}
