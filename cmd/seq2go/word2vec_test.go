package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/word2vec"
)

// twoGroups writes a corpus where a0..a9 only occur with each other, and
// so do b0..b9: every word's nearest neighbour is in its own group.
func twoGroups(t *testing.T) string {
	rng := rand.New(rand.NewPCG(1, 1))
	var b strings.Builder
	for line := 0; line < 400; line++ {
		g := "ab"[line%2 : line%2+1]
		for k := 0; k < 12; k++ {
			fmt.Fprintf(&b, "%s%d ", g, rng.IntN(10))
		}
		b.WriteString("\n")
	}
	return writeFile(t, "groups.txt", b.String())
}

// The tutorial's workflow from the command line: train, then neighbours,
// analogy, eval and plot on the vectors written.
func TestWord2VecTrainAndUse(t *testing.T) {
	corpus := twoGroups(t)
	dir := t.TempDir()
	for _, out := range []string{filepath.Join(dir, "v.bin"), filepath.Join(dir, "v.txt")} {
		code, stdout, stderr := runCLI("train", "word2vec", "--corpus", corpus, "--dim", "8", "--epochs", "5",
			"--sample", "0", "--threads", "1", "--out", out)
		if code != 0 {
			t.Fatalf("train: exit %d\n%s", code, stderr)
		}
		for _, want := range []string{"4800 words, vocabulary 20", "words 24000/24000 (100%)", "vectors of 8 saved to " + out} {
			if !strings.Contains(stderr, want) {
				t.Errorf("train stderr lacks %q:\n%s", want, stderr)
			}
		}
		if !strings.HasPrefix(stdout, "final words=24000 ") {
			t.Errorf("train stdout %q", stdout)
		}
		if v, err := word2vec.Load(out); err != nil || v.Len() != 20 || v.Dim() != 8 {
			t.Fatalf("%s: %v", out, err)
		}
	}
	vecs := filepath.Join(dir, "v.bin")

	code, stdout, stderr := runCLI("vectors", "neighbours", "--vectors", vecs, "-k", "3", "a0", "b5")
	if code != 0 {
		t.Fatalf("neighbours: exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 8 || lines[0] != "a0:" || !strings.HasPrefix(strings.TrimSpace(lines[1]), "a") ||
		lines[4] != "b5:" || !strings.HasPrefix(strings.TrimSpace(lines[5]), "b") {
		t.Errorf("neighbours:\n%s", stdout)
	}

	code, stdout, _ = runCLI("vectors", "analogy", "--vectors", vecs, "-k", "2", "a0", "a1", "b2")
	if code != 0 || !strings.HasPrefix(stdout, "a0 is to a1 as b2 is to:\n") || strings.Count(stdout, "\n") != 3 {
		t.Errorf("analogy: exit %d\n%s", code, stdout)
	}

	questions := writeFile(t, "q.txt", ": groups\na0 a1 b0 b1\na0 a1 c0 c1\n")
	code, stdout, stderr = runCLI("vectors", "eval", "--vectors", vecs, "--questions", questions)
	if code != 0 || !strings.Contains(stdout, "groups") || !strings.Contains(stdout, "50.0%") { // coverage 1 of 2
		t.Errorf("eval: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI("vectors", "eval", "--vectors", vecs) // the embedded questions-words.txt
	if code != 0 || !strings.Contains(stdout, "gram9-plural-verbs") || !strings.Contains(stdout, "0.0%") {
		t.Errorf("eval with questions-words.txt: exit %d\n%s", code, stdout)
	}

	code, stdout, _ = runCLI("vectors", "plot", "--vectors", vecs, "a0", "a1", "b0", "b1")
	if code != 0 || !strings.HasPrefix(stdout, "# PCA of 4 words") || strings.Count(stdout, "\n") != 5 {
		t.Errorf("plot: exit %d\n%s", code, stdout)
	}
}

func TestWord2VecBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, "empty.txt", "")
	rare := writeFile(t, "rare.txt", "every word here once\n")
	truncated := filepath.Join(dir, "cut.bin")
	if err := os.WriteFile(truncated, []byte("2 2\na \x00\x00\x80\x3f\x00\x00\x00\x40\nb \x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.txt")
	if err := os.WriteFile(good, []byte("2 2\na 1 0\nb 0 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing corpus", []string{"train", "word2vec", "--corpus", filepath.Join(dir, "nope.txt")}, 1, "nope.txt: no such file"},
		{"empty corpus", []string{"train", "word2vec", "--corpus", empty, "--out", filepath.Join(dir, "x.bin")}, 1, "the corpus has no words: " + empty},
		{"no vocabulary", []string{"train", "word2vec", "--corpus", rare, "--out", filepath.Join(dir, "x.bin")}, 1, "no word reaches the minimum count"},
		{"both corpora", []string{"train", "word2vec", "--corpus", rare, "--dataset", "gutenberg-en"}, 2, "not both"},
		{"unknown dataset", []string{"train", "word2vec", "--dataset", "nope"}, 1, `unknown dataset "nope"`},
		{"bad split", []string{"train", "word2vec", "--corpus", rare, "--split", "words"}, 2, `--split "words"`},
		{"cbow and sg", []string{"train", "word2vec", "--cbow", "--sg"}, 2, "exclude each other"},
		{"no output layer", []string{"train", "word2vec", "--negative", "0"}, 2, "no output layer"},
		{"bad dim", []string{"train", "word2vec", "--dim", "0"}, 2, "Dim 0"},
		{"no verb", []string{"vectors"}, 2, "which command"},
		{"unknown verb", []string{"vectors", "similar"}, 2, `unknown command "similar"`},
		{"no vectors", []string{"vectors", "neighbours", "a"}, 2, "--vectors FILE is required"},
		{"no words", []string{"vectors", "neighbours", "--vectors", good}, 2, "which words"},
		{"analogy count", []string{"vectors", "analogy", "--vectors", good, "a", "b"}, 2, "want 3 words, got 2"},
		{"truncated file", []string{"vectors", "neighbours", "--vectors", truncated, "a"}, 1, truncated + ": truncated in the numbers"},
		{"unknown word", []string{"vectors", "neighbours", "--vectors", good, "c"}, 1, `word not in the vocabulary: "c"`},
		{"eval stray", []string{"vectors", "eval", "--vectors", good, "x"}, 2, `unexpected argument "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
}

// Ctrl-C during word2vec training stops the goroutines, saves the vectors
// so far, says where, and exits 130.
func TestWord2VecInterruptSaves(t *testing.T) {
	out := filepath.Join(t.TempDir(), "v.txt")
	// 300 ms after the start line, so that the goroutines are running.
	code, log := interrupt(t, "word2vec: skip-gram", 300*time.Millisecond, "train", "word2vec",
		"--dataset", "gutenberg-en", "--epochs", "1000", "--dim", "16", "--threads", "2", "--out", out)
	if code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\n%s", code, exitInterrupted, log)
	}
	if !strings.Contains(log, "vectors saved to "+out) {
		t.Fatalf("no word of the saved vectors:\n%s", log)
	}
	v, err := word2vec.Load(out)
	if err != nil || v.Len() != 12840 || v.Dim() != 16 {
		t.Fatalf("the interrupted training's vectors: %v", err)
	}
}
