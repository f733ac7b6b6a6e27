package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
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

// TestWordpieceNoUnknownPiece: the talk's thirteen pieces, without <unk>,
// tokenise its sentence; the first word they cannot segment stops the
// command with its line and the word.
func TestWordpieceNoUnknownPiece(t *testing.T) {
	vocab := writeFile(t, "talk.txt", "_J\net\n_makers\n_fe\nud\n_over\n_seat\n_width\n_with\n_big\n_orders\n_at\n_stake\n")
	const sentence = "Jet makers feud over seat width with big orders at stake\n"
	code, stdout, stderr := wordpieceRun(t, sentence, "tokenize", "--vocab", vocab)
	if code != 0 || stdout != "_J et _makers _fe ud _over _seat _width _with _big _orders _at _stake\n" {
		t.Fatalf("tokenize: exit %d %q\n%s", code, stdout, stderr)
	}
	if code, stdout, _ := wordpieceRun(t, "Jet makers\n", "tokenize", "--vocab", vocab, "--ids"); code != 0 || stdout != "0 1 2\n" {
		t.Errorf("--ids: exit %d %q", code, stdout)
	}
	want := `stdin:3: wordpiece: cannot segment "Jets": no piece matches "s" (character 4) (` + vocab + ` has no unknown piece)`
	for _, extra := range [][]string{nil, {"--stats"}} {
		code, stdout, stderr = wordpieceRun(t, sentence+"Jet makers feud\nJets feud\n", append([]string{"tokenize", "--vocab", vocab}, extra...)...)
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%q: exit %d, stderr %s\nwant %s", extra, code, stderr, want)
		}
		if extra == nil && stdout != "_J et _makers _fe ud _over _seat _width _with _big _orders _at _stake\n_J et _makers _fe ud\n" {
			t.Errorf("lines before the failing one: %q", stdout)
		}
	}
}

// TestWordpieceBERTRules runs BERT's vocabulary under both versions of the
// reference: a 150-character word and a private-use character tell them
// apart.
func TestWordpieceBERTRules(t *testing.T) {
	text, err := datasets.ReadAll("bert-wordpiece-vocab")
	if err != nil {
		t.Fatal(err)
	}
	vocab := writeFile(t, "vocab.txt", string(text))
	word := strings.Repeat("ab", 75)
	in := "Go " + word + "\npri\ue000vate use\n"
	split := "aba" + strings.Repeat(" ##ba", 73) + " ##b" // greedy longest match on vocab.txt
	for _, test := range []struct {
		rules []string
		want  string
	}{
		{nil, "go [UNK]\nprivate use\n"},
		{[]string{"--bert-rules", "original"}, "go [UNK]\nprivate use\n"},
		{[]string{"--bert-rules", "latest"}, "go " + split + "\n[UNK] use\n"},
	} {
		code, stdout, stderr := wordpieceRun(t, in, append([]string{"tokenize", "--vocab", vocab, "--bert"}, test.rules...)...)
		if code != 0 || stdout != test.want {
			t.Errorf("%q: exit %d %.60q, want %.60q\n%s", test.rules, code, stdout, test.want, stderr)
		}
	}
	if code, _, stderr := wordpieceRun(t, "", "tokenize", "--vocab", vocab, "--bert", "--bert-rules", "2020"); code != 2 || !strings.Contains(stderr, `unknown BERT rules "2020"`) {
		t.Errorf("--bert-rules 2020: exit %d %s", code, stderr)
	}
	if code, _, stderr := wordpieceRun(t, "", "tokenize", "--vocab", vocab, "--bert-rules", "latest"); code != 2 || !strings.Contains(stderr, "--bert-rules needs --bert") {
		t.Errorf("--bert-rules without --bert: exit %d %s", code, stderr)
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
