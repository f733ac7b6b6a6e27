package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/tagger"
)

// taggerQuick is a tagger small enough to train in a test.
var taggerQuick = []string{"--word-dim", "6", "--char-dim", "4", "--char-hidden", "4", "--hidden", "6", "--batch", "2", "--log-every", "1"}

// TestTrainTagger trains on a directory's train and dev files, resumes the
// checkpoint for two more steps, and tags with the result; a flag the
// checkpoint fixes cannot change on resume.
func TestTrainTagger(t *testing.T) {
	dir := t.TempDir()
	sample, err := os.ReadFile("../../lib/data/testdata/sample.conllu")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"x-ud-train.conllu", "x-ud-dev.conllu"} {
		if err := os.WriteFile(filepath.Join(dir, name), sample, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "tagger.safetensors")
	code, stdout, stderr := runCLI(append([]string{"train", "tagger", "--data", dir, "--steps", "3", "--out", out}, taggerQuick...)...)
	if code != 0 || !strings.HasPrefix(stdout, "final smooth_loss=") || !strings.Contains(stdout, "upos_acc=") || !strings.Contains(stdout, "upos_unk=") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI("train", "tagger", "--data", dir, "--resume", out, "--steps", "5", "--out", out)
	if code != 0 || !strings.Contains(stderr, "steps 3 → 5") || !strings.Contains(stdout, "final ") {
		t.Fatalf("resume: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, s, err := tagger.Open(out); err != nil || s.Step != 5 {
		t.Fatalf("checkpoint after resume: %v", err)
	}
	if code, _, stderr := runCLI("train", "tagger", "--data", dir, "--resume", out, "--hidden", "9"); code != 2 || !strings.Contains(stderr, "--hidden cannot change") {
		t.Errorf("--hidden with --resume: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI("train", "tagger", "--data", t.TempDir()); code == 0 || !strings.Contains(stderr, "0 files match *train*.conllu") {
		t.Errorf("empty --data: exit %d, %s", code, stderr)
	}
	var tagged string
	withStdin(t, "Sue likes tea.\n", func() { code, tagged, stderr = runCLI("tag", "--model", out) })
	if code != 0 || !strings.Contains(tagged, "1\tSue\t_\t") {
		t.Errorf("tag with the trained model: exit %d\n%s%s", code, tagged, stderr)
	}
}
