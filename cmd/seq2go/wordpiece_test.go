package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wordpieceRun runs one wordpiece command line with stdin.
func wordpieceRun(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	old := wordpieceStdin
	wordpieceStdin = strings.NewReader(stdin)
	defer func() { wordpieceStdin = old }()
	return runCLI(append([]string{"wordpiece"}, args...)...)
}

func TestWordpieceTrainTokenize(t *testing.T) {
	corpus := writeFile(t, "verse.txt", strings.Repeat(verse, 20))
	vocab := filepath.Join(t.TempDir(), "vocab.txt")
	code, _, stderr := wordpieceRun(t, "", "train", "--corpus", corpus, "--size", "60", "--out", vocab)
	if code != 0 || !strings.Contains(stderr, "60 pieces (bpe, gnmt)") {
		t.Fatalf("train: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(vocab)
	if err != nil || strings.Count(string(data), "\n") != 60 || !strings.HasPrefix(string(data), "<unk>\n<s>\n</s>\n") {
		t.Fatalf("vocab.txt: %v\n%s", err, data)
	}

	code, stdout, stderr := wordpieceRun(t, "To be, or not\n\nthe question\n", "tokenize", "--vocab", vocab)
	lines := strings.Split(stdout, "\n")
	if code != 0 || len(lines) != 4 || lines[1] != "" || !strings.HasPrefix(lines[0], "▁") {
		t.Fatalf("tokenize: exit %d, %q\n%s", code, stdout, stderr)
	}
	code, back, _ := wordpieceRun(t, stdout, "detokenize", "--vocab", vocab)
	if code != 0 || back != "To be, or not\n\nthe question\n" {
		t.Errorf("detokenize: exit %d, %q", code, back)
	}
	code, ids, _ := wordpieceRun(t, "To be, or not\n", "tokenize", "--vocab", vocab, "--ids")
	code2, back, _ := wordpieceRun(t, ids, "detokenize", "--vocab", vocab, "--ids")
	if code != 0 || code2 != 0 || back != "To be, or not\n" {
		t.Errorf("ids round trip: %q → %q", ids, back)
	}
	code, _, stderr = wordpieceRun(t, "999\n", "detokenize", "--vocab", vocab, "--ids")
	if code != 1 || !strings.Contains(stderr, `stdin:1: "999" is not an id of`) {
		t.Errorf("bad id: exit %d %s", code, stderr)
	}
	code, _, stderr = wordpieceRun(t, strings.Repeat(verse, 3), "tokenize", "--vocab", vocab, "--stats")
	if code != 0 || !strings.Contains(stderr, "wordpiece: 9 lines, ") || !strings.Contains(stderr, "MB/s") {
		t.Errorf("stats: exit %d %s", code, stderr)
	}
}

func TestWordpieceBERTAndMixed(t *testing.T) {
	dir := t.TempDir()
	corpus := writeFile(t, "verse.txt", strings.Repeat(verse, 20))
	bertVocab := filepath.Join(dir, "bert.txt")
	code, _, stderr := wordpieceRun(t, "", "train", "--corpus", corpus, "--size", "80", "--bert", "--algo", "wordpiece", "--out", bertVocab)
	if code != 0 {
		t.Fatalf("train --bert: %s", stderr)
	}
	code, stdout, stderr := wordpieceRun(t, "To BE, or NOT:\n", "tokenize", "--vocab", bertVocab, "--bert")
	if code != 0 || strings.Contains(stdout, "[UNK]") {
		t.Fatalf("tokenize --bert: %q %s", stdout, stderr)
	}
	if code, back, _ := wordpieceRun(t, stdout, "detokenize", "--vocab", bertVocab); code != 0 || back != "to be , or not :\n" {
		t.Errorf("detokenize: %q → %q", stdout, back)
	}
	mixed := filepath.Join(dir, "mixed.txt")
	if code, _, stderr := wordpieceRun(t, "", "train", "--corpus", corpus, "--size", "90", "--mixed", "--out", mixed); code != 0 {
		t.Fatalf("train --mixed: %s", stderr)
	}
	code, stdout, _ = wordpieceRun(t, "the nobl\n", "tokenize", "--vocab", mixed, "--mixed")
	if code != 0 || stdout != "the <B>n <M>o <M>b <E>l\n" {
		t.Errorf("tokenize --mixed: %q", stdout)
	}
}

func TestWordpieceErrors(t *testing.T) {
	dup := writeFile(t, "dup.txt", "<unk>\na\nb\na\n")
	empty := writeFile(t, "empty.txt", "")
	small := writeFile(t, "small.txt", "ab ab")
	for _, test := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"tokenize", "--vocab", dup}, 1, `dup.txt:4: duplicate piece "a" (also ` + dup + `:2)`},
		{[]string{"tokenize", "--vocab", empty}, 1, "empty.txt: empty file: want one piece per line"},
		{[]string{"tokenize", "--vocab", "/nonexistent/v.txt"}, 1, "open /nonexistent/v.txt: no such file or directory"},
		{[]string{"tokenize"}, 2, "--vocab FILE is required"},
		{[]string{"train", "--corpus", empty, "--out", filepath.Join(t.TempDir(), "v")}, 1, "empty.txt: no words: the corpus is empty"},
		{[]string{"train", "--corpus", small, "--size", "50", "--out", filepath.Join(t.TempDir(), "v")}, 1, "yields 8 pieces, not 50"},
		{[]string{"train", "--size", "5"}, 2, "--corpus FILE is required"},
		{[]string{"train", "--corpus", small, "--algo", "unigram"}, 2, `unknown algorithm "unigram"`},
		{[]string{"frobnicate"}, 2, `unknown action "frobnicate"`},
		{nil, 2, "which action?"},
	} {
		code, _, stderr := wordpieceRun(t, "", test.args...)
		if code != test.code || !strings.Contains(stderr, test.want) {
			t.Errorf("%q: exit %d, stderr %s\nwant exit %d and %q", test.args, code, stderr, test.code, test.want)
		}
	}
}
