package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/tasks"
	"github.com/seq2go/seq2go/lib/translate"
)

// smallPairs is a tiny parallel corpus in the Tatoeba file format.
func smallPairs() string {
	var b strings.Builder
	for i, w := range []string{"Hi.\tHoi.", "Run!\tRen!", "Who?\tWie?", "Fire!\tVuur!", "Help!\tHelp!",
		"Stop!\tStop!", "Wait!\tWacht!", "Go on.\tGa door.", "I see.\tIk zie het.", "Smile.\tGlimlach."} {
		fmt.Fprintf(&b, "%s\tCC-BY 2.0 (France) Attribution: tatoeba.org #%d\n", w, i)
	}
	return b.String()
}

// The README's workflow on the date task: train, translate lines from
// standard input (bad ones included), print the speed table and draw the
// attention.
func TestTrainDatesTranslateBench(t *testing.T) {
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "dates.safetensors")
	code, stdout, stderr := runCLI("train", "dates", "--steps", "60", "--hidden", "32", "--embed", "16",
		"--val-every", "0", "--out", ckpt)
	if code != 0 || !strings.Contains(stdout, "exact_match=") || !strings.Contains(stdout, "heldout_exact_match=") {
		t.Fatalf("train dates: exit %d\n%s%s", code, stdout, stderr)
	}
	tr, err := translate.Load(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	for _, int8 := range []bool{false, true} {
		m := tr
		if int8 {
			if m, err = tr.Quantize(); err != nil {
				t.Fatal(err)
			}
		}
		in := "26 November 2026\n\n" + strings.Repeat("1 ", 10000) + "\n\xff\xfe 2026\r\nlast line without end"
		var out, errs bytes.Buffer
		if err := translateStream(m, strings.NewReader(in), &out, &errs, seq2seq.BeamOptions{Width: 3, Alpha: 0.6}, 2, false); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(lines) != 5 || lines[1] != "" || lines[2] != "" {
			t.Errorf("int8=%v: %d output lines for 5 input lines: %q", int8, len(lines), lines)
		}
		if !strings.Contains(errs.String(), "line 3: translate: line too long") {
			t.Errorf("int8=%v: stderr %q, want a message for line 3", int8, errs.String())
		}
		// A model of 60 steps writes impossible dates: none is printed,
		// each is reported.
		for i, line := range lines {
			if line != "" && tasks.CheckDate(line) != nil {
				t.Errorf("int8=%v: line %d: %q printed", int8, i+1, line)
			}
			if msg := fmt.Sprintf("line %d: translate: the translation is not a date: ", i+1); line == "" && i != 1 && i != 2 && !strings.Contains(errs.String(), msg) {
				t.Errorf("int8=%v: line %d is empty, and stderr %q does not say why", int8, i+1, errs.String())
			}
		}
	}
	png := filepath.Join(dir, "attention.png")
	code, stdout, stderr = runCLI("bench", "translate", "--model", ckpt, "--sentences", "40", "--plot", png)
	if code != 0 {
		t.Fatalf("bench translate: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"BLEU", "log perplexity", "sentences/s", "float64", "int8", "MB", "drawn to"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("bench output lacks %q:\n%s", want, stdout)
		}
	}
	if fi, err := os.Stat(png); err != nil || fi.Size() < 1000 {
		t.Errorf("attention picture: %v", err)
	}
}

// Training on a pairs file, resuming it, and the errors of bad input.
func TestTrainTranslatePairs(t *testing.T) {
	dir := t.TempDir()
	pairs := writeFile(t, "pairs.txt", smallPairs())
	ckpt := filepath.Join(dir, "m.safetensors")
	small := []string{"--pairs", pairs, "--src", "en", "--tgt", "nl", "--hidden", "16", "--embed", "8", "--batch", "4",
		"--min-count", "1", "--dev", "0.2", "--val-every", "0", "--out", ckpt}
	code, stdout, stderr := runCLI(append([]string{"train", "translate", "--steps", "4"}, small...)...)
	if code != 0 || !strings.Contains(stdout, "dev_bleu=") {
		t.Fatalf("train translate: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI("train", "translate", "--steps", "8", "--resume", ckpt, "--val-every", "0", "--out", ckpt)
	if code != 0 || !strings.Contains(stderr, "steps 4 → 8") {
		t.Fatalf("resume: exit %d\n%s%s", code, stdout, stderr)
	}
	wp := filepath.Join(dir, "wp.safetensors")
	args := append(append([]string{"train", "translate", "--steps", "4", "--level", "wordpiece", "--max-vocab", "60"}, small...), "--out", wp)
	code, stdout, stderr = runCLI(args...) // the last --out wins
	if code != 0 || !strings.Contains(stdout, "dev_bleu=") {
		t.Fatalf("train translate --level wordpiece: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, c := range []struct {
		name, content string
		args          []string
		want          string
	}{
		{"tab.txt", "Hi.\tHoi.\nno tab here\n", nil, "tab.txt:2: expected \"source<TAB>target\""},
		{"empty.txt", "Hi.\t\n", nil, "tab.txt:1: empty target"},
		{"utf8.txt", "Hi.\tHoi.\nH\xffi.\tHoi.\n", nil, "utf8.txt:2"},
		{"ok.txt", smallPairs(), []string{"--resume", ckpt, "--hidden", "8"}, "--hidden cannot change when resuming"},
		{"ok.txt", smallPairs(), []string{"--attention", "cosine"}, "unknown attention \"cosine\""},
		{"ok.txt", smallPairs(), []string{"--level", "morpheme"}, "unknown level \"morpheme\""},
	} {
		file := writeFile(t, c.name, c.content)
		args := append([]string{"train", "translate", "--pairs", file, "--steps", "1", "--out", filepath.Join(dir, "x.safetensors")}, c.args...)
		code, _, stderr := runCLI(args...)
		want := strings.Replace(c.want, "tab.txt", c.name, 1)
		if code == 0 || !strings.Contains(stderr, want) {
			t.Errorf("%s %v: exit %d, stderr %q; want an error containing %q", c.name, c.args, code, stderr, want)
		}
	}
	if code, _, stderr := runCLI("translate", "--model", filepath.Join(dir, "missing.safetensors")); code == 0 || !strings.Contains(stderr, "missing.safetensors") {
		t.Errorf("missing model: exit %d, %q", code, stderr)
	}
}

// Ctrl-C during train translate saves the weights and exits 130.
func TestTranslateInterruptSaves(t *testing.T) {
	pairs := writeFile(t, "pairs.txt", smallPairs())
	ckpt := filepath.Join(t.TempDir(), "m.safetensors")
	code, log := interrupt(t, "step 5/", 0, "train", "translate", "--pairs", pairs, "--src", "en", "--tgt", "nl",
		"--hidden", "16", "--embed", "8", "--batch", "4", "--min-count", "1", "--dev", "0.2", "--steps", "1000000",
		"--val-every", "0", "--save-every", "0", "--log-every", "1", "--out", ckpt)
	if code != exitInterrupted || !strings.Contains(log, "weights saved to "+ckpt) {
		t.Fatalf("exit code %d, want %d\n%s", code, exitInterrupted, log)
	}
	if _, err := translate.Load(ckpt); err != nil {
		t.Fatalf("the interrupted training's checkpoint does not load: %v", err)
	}
}

// --precision chooses the products' arithmetic for the run, says so, leaves
// the library's default behind, and rejects other values.
func TestTrainPrecision(t *testing.T) {
	out := filepath.Join(t.TempDir(), "d.safetensors")
	for _, p := range []string{"float32", "float64"} {
		code, stdout, stderr := runCLI("train", "dates", "--steps", "2", "--hidden", "8", "--embed", "4",
			"--val-every", "0", "--precision", p, "--out", out)
		if code != 0 || !strings.Contains(stderr, p+" products") {
			t.Errorf("--precision %s: exit %d, want a line naming %q products\n%s%s", p, code, p, stdout, stderr)
		}
		if got := blas.CurrentPrecision(); got != blas.Float64 {
			t.Errorf("after --precision %s the program's precision is %v, want float64", p, got)
		}
	}
	code, _, stderr := runCLI("train", "dates", "--precision", "float16", "--out", out)
	if code == 0 || !strings.Contains(stderr, "want float32 or float64") {
		t.Errorf("--precision float16: exit %d, stderr %q", code, stderr)
	}
}
