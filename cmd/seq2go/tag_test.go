package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/tagger"
)

// tinyTagger saves an untrained tagger over the words of the sample
// CoNLL-U file and returns its path: tag and bench tagger need a model,
// not a good one.
func tinyTagger(t *testing.T) string {
	t.Helper()
	sents, err := data.ReadCoNLLUFile("../../lib/data/testdata/sample.conllu")
	if err != nil {
		t.Fatal(err)
	}
	cfg := tagger.DefaultConfig()
	cfg.WordDim, cfg.CharDim, cfg.CharHidden, cfg.Hidden = 4, 3, 3, 4
	m, err := tagger.New(cfg, sents)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tagger.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTagText(t *testing.T) {
	model := tinyTagger(t)
	var code int
	var stdout, stderr string
	withStdin(t, "We don't know it.\n\n  Sue likes tea.\n", func() {
		code, stdout, stderr = runCLI("tag", "--model", model)
	})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	sents, err := data.ReadCoNLLU(strings.NewReader(stdout), "stdout")
	if err != nil {
		t.Fatalf("output is not CoNLL-U: %v\n%s", err, stdout)
	}
	if len(sents) != 2 || strings.Join(sents[0].Forms(), " ") != "We do n't know it ." {
		t.Fatalf("sentences %d, first %q", len(sents), sents[0].Forms())
	}
	if sents[1].Comments[1] != "# text = Sue likes tea." {
		t.Errorf("comments %q", sents[1].Comments)
	}
	for _, tag := range sents[0].Column(data.ColUPOS) {
		if tag == "_" {
			t.Errorf("an untagged word:\n%s", stdout)
		}
	}
}

// TestTagCoNLLU fills in a CoNLL-U file: only the UPOS column of the words
// may change.
func TestTagCoNLLU(t *testing.T) {
	model := tinyTagger(t)
	in, err := os.ReadFile("../../lib/data/testdata/sample.conllu")
	if err != nil {
		t.Fatal(err)
	}
	var code int
	var stdout, stderr string
	withStdin(t, string(in), func() {
		code, stdout, stderr = runCLI("tag", "--model", model)
	})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, got := strings.Split(strings.TrimRight(string(in), "\n"), "\n"), strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	if len(want) != len(got) {
		t.Fatalf("%d lines out, %d in", len(got), len(want))
	}
	for i := range want {
		w, g := strings.Split(want[i], "\t"), strings.Split(got[i], "\t")
		if len(w) == 10 && !strings.ContainsAny(w[0], "-.") {
			w[3], g[3] = "", "" // the UPOS of a word is the tagger's
		}
		if strings.Join(w, "\t") != strings.Join(g, "\t") {
			t.Errorf("line %d changed:\n%s\n%s", i+1, want[i], got[i])
		}
	}
	withStdin(t, "1\tw\n", func() {
		code, _, stderr = runCLI("tag", "--model", model, "--input", "conllu")
	})
	if code != 1 || !strings.Contains(stderr, "standard input:1: 2 columns, want 10") {
		t.Errorf("bad CoNLL-U: exit %d, %s", code, stderr)
	}
}

func TestBenchTagger(t *testing.T) {
	model := tinyTagger(t)
	png := filepath.Join(t.TempDir(), "confusion.png")
	code, stdout, stderr := runCLI("bench", "tagger", "--model", model, "--test", "../../lib/data/testdata/sample.conllu", "--plot", png, "--passes", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"accuracy", "known", "unknown", "tag  words  accuracy", "tokens/s on 1 core(s)", "confusion matrix drawn to"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Errorf("no confusion picture: %v", err)
	}
	if code, _, stderr := runCLI("bench", "nothing"); code != 2 || !strings.Contains(stderr, `unknown benchmark "nothing" (known: babi, `) {
		t.Errorf("unknown bench: exit %d, %s", code, stderr)
	}
}
