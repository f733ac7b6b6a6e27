package main

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/smartreply"
)

// pairsTSV is a small message<TAB>reply file.
const pairsTSV = "thanks a lot\tyou are welcome\nthank you\tno problem\nare you coming ?\tyes i will\n" +
	"are you coming tonight ?\tsorry i can not\nhow are you ?\ti am fine\nhow is it going ?\tgood thanks\n"

// replyModel writes a small untrained reply model of pairsTSV (repeated)
// and returns its path: the commands' plumbing does not need a trained one.
func replyModel(t *testing.T, threshold float64) string {
	t.Helper()
	data := writeFile(t, "pairs.tsv", strings.Repeat(pairsTSV, 10))
	c, err := smartreply.LoadCorpus(data)
	if err != nil {
		t.Fatal(err)
	}
	cfg := smartreply.ChatConfig()
	cfg.MinCount, cfg.MaxVocab = 1, 0
	cfg.Scorer = seq2seq.Config{Embed: 8, Hidden: 8, Attention: "dot"}
	cfg.DualDim, cfg.DualEmbed, cfg.DualHidden = 4, 4, 4
	cfg.TriggerEmbed, cfg.TriggerHidden, cfg.Threshold = 4, 4, threshold
	cfg.Clusters = 3
	m, err := smartreply.New(cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Finish(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "reply.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReplyStream(t *testing.T) {
	m, err := smartreply.Load(replyModel(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	in := "thanks a lot\n> you are welcome\n+ a fact\n\nhow are you ?\n"
	var out, errs bytes.Buffer
	if err := replyStream(m, strings.NewReader(in), &out, &errs, smartreply.SuggestOptions{}, true); err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(strings.TrimSuffix(out.String(), "\n\n"), "\n\n")
	if len(blocks) != 2 {
		t.Fatalf("%d blocks of suggestions for 2 messages:\n%s", len(blocks), out.String())
	}
	for _, b := range blocks {
		lines := strings.Split(b, "\n")
		clusters := map[string]bool{}
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) < 3 || !strings.HasPrefix(f[1], "c") || clusters[f[1]] {
				t.Errorf("bad or repeated-cluster suggestion line %q", l)
			}
			clusters[f[1]] = true
		}
		if len(lines) < 1 || len(lines) > 3 {
			t.Errorf("%d suggestions, want 1 to 3:\n%s", len(lines), b)
		}
	}
	if !strings.Contains(errs.String(), "line 1: ") || !strings.Contains(errs.String(), "line 5: ") || !strings.Contains(errs.String(), "2 messages: latency median") {
		t.Errorf("--stats output:\n%s", errs.String())
	}
	// A trigger that never fires: an empty line per message, nothing else.
	m.Threshold = 2
	out.Reset()
	if err := replyStream(m, strings.NewReader("thanks a lot\nhow are you ?"), &out, &errs, smartreply.SuggestOptions{}, false); err != nil {
		t.Fatal(err)
	}
	if out.String() != "\n\n" {
		t.Errorf("trigger off: %q, want two empty lines", out.String())
	}
}

func TestBenchReply(t *testing.T) {
	model := replyModel(t, 0.5)
	test := writeFile(t, "test.tsv", pairsTSV)
	code, out, stderr := runCLI("bench", "reply", "--model", model, "--test", test, "--pool", "4", "--latency", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"1-of-4 ranking", "LSTM, log P per token", "dual encoder", "TF-IDF", "three distinct clusters", "latency per message"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench reply output lacks %q:\n%s", want, out)
		}
	}
}

func TestReplyBadInput(t *testing.T) {
	notCkpt := writeFile(t, "fake.safetensors", "this is not a checkpoint")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"reply"}, 2, "--model FILE is required"},
		{[]string{"reply", "--model", notCkpt}, 1, "fake.safetensors"},
		{[]string{"bench", "reply", "--model", notCkpt}, 2, "--test is required"},
		{[]string{"bench", "reply", "--model", notCkpt, "--test", "dialog-babi:9"}, 1, "fake.safetensors"},
		{[]string{"bench", "gpt"}, 2, `unknown benchmark "gpt"`},
		{[]string{"bench"}, 2, "which benchmark?"},
	} {
		code, _, stderr := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// TestTrainReply trains on a small file through the shared driver, goes
// on from its checkpoint, and suggests with the result; what the
// checkpoint fixes cannot change with --resume.
func TestTrainReply(t *testing.T) {
	data := writeFile(t, "pairs.tsv", strings.Repeat(pairsTSV, 10))
	out := filepath.Join(t.TempDir(), "reply.safetensors")
	code, stdout, stderr := runCLI("train", "reply", "--data", data, "--hidden", "16", "--clusters", "3", "--steps", "6", "--val-every", "3", "--out", out)
	if code != 0 || !strings.Contains(stdout, "final smooth_loss=") || !strings.Contains(stdout, "val_loss=") {
		t.Fatalf("train reply: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "responses; vocabularies of") || !strings.Contains(stderr, "step 3: val_loss=") {
		t.Errorf("train reply's log:\n%s", stderr)
	}
	code, _, stderr = runCLI("train", "reply", "--resume", out, "--steps", "8", "--out", out)
	if code != 0 || !strings.Contains(stderr, "steps 6 → 8") {
		t.Fatalf("train reply --resume: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runCLI("train", "reply", "--resume", out, "--batch", "8"); code != 2 || !strings.Contains(stderr, "--batch cannot change") {
		t.Errorf("--resume with --batch: exit %d\n%s", code, stderr)
	}
	m, err := smartreply.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	var sug bytes.Buffer
	if err := replyStream(m, strings.NewReader("thanks a lot\n"), &sug, io.Discard, smartreply.SuggestOptions{AlwaysShow: true}, false); err != nil || len(strings.Fields(sug.String())) < 3 {
		t.Errorf("suggestions of the trained model: %q, %v", sug.String(), err)
	}
}
