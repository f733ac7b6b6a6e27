package data

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
)

func TestReadCoNLLU(t *testing.T) {
	in, err := os.ReadFile("testdata/sample.conllu")
	if err != nil {
		t.Fatal(err)
	}
	sents, err := ReadCoNLLU(bytes.NewReader(in), "sample.conllu")
	if err != nil {
		t.Fatal(err)
	}
	if len(sents) != 2 {
		t.Fatalf("%d sentences, want 2", len(sents))
	}
	s := sents[0]
	if got := strings.Join(s.Comments, "|"); got != "# sent_id = s1|# text = We don't know it." {
		t.Errorf("comments %q", got)
	}
	// 7 token lines: 6 words and the multiword token "don't" (2-3).
	if len(s.Tokens) != 7 || s.Len() != 6 {
		t.Errorf("%d tokens, %d words; want 7 and 6", len(s.Tokens), s.Len())
	}
	if got := strings.Join(s.Forms(), " "); got != "We do n't know it ." {
		t.Errorf("forms %q", got)
	}
	if got := strings.Join(s.Column(ColUPOS), " "); got != "PRON AUX PART VERB PRON PUNCT" {
		t.Errorf("UPOS %q", got)
	}
	if !s.Tokens[1].IsMultiword() || s.Tokens[1].IsWord() || s.Tokens[1].IsEmptyNode() {
		t.Errorf("token 2 %q is not a multiword token", s.Tokens[1])
	}
	e := sents[1].Tokens[5]
	if !e.IsEmptyNode() || e.IsWord() || e[ColID] != "5.1" {
		t.Errorf("token 6 of sentence 2 %q is not the empty node 5.1", e)
	}
	if got := strings.Join(sents[1].Column(ColXPOS), " "); got != "NNP VBZ NN CC NNP NN" {
		t.Errorf("XPOS of sentence 2 (empty node skipped) %q", got)
	}

	// Setting a column changes the words only: the multiword token and
	// the empty node keep their "_" and their tag.
	sents[1].SetColumn(ColUPOS, []string{"A", "B", "C", "D", "E", "F"})
	var buf bytes.Buffer
	if err := WriteCoNLLU(&buf, sents); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "5.1\tlikes\tlike\tVERB\tVBZ") || !strings.Contains(buf.String(), "2-3\tdon't\t_\t_") {
		t.Errorf("the empty node or the multiword token changed:\n%s", buf.String())
	}
	if strings.Count(buf.String(), "\tA\t") != 1 || !strings.Contains(buf.String(), "coffee\tcoffee\tF\t") {
		t.Errorf("SetColumn not written:\n%s", buf.String())
	}
}

// TestEWTRoundTrip reads the embedded EWT dev split, checks it against the
// numbers of its SOURCE.md (2,001 sentences, 25,147 syntactic words) and
// writes it back: the bytes must be the file's, md5 and all.
func TestEWTRoundTrip(t *testing.T) {
	r, err := datasets.OpenFile("ud-english-ewt", "en_ewt-ud-dev.conllu")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	orig, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	sents, err := ReadCoNLLU(bytes.NewReader(orig), "en_ewt-ud-dev.conllu")
	if err != nil {
		t.Fatal(err)
	}
	words, multi, empty := 0, 0, 0
	for _, s := range sents {
		words += s.Len()
		for _, tok := range s.Tokens {
			if tok.IsMultiword() {
				multi++
			}
			if tok.IsEmptyNode() {
				empty++
			}
		}
	}
	if len(sents) != 2001 || words != 25147 {
		t.Errorf("%d sentences, %d words; SOURCE.md says 2,001 and 25,147", len(sents), words)
	}
	if multi == 0 || empty == 0 {
		t.Errorf("%d multiword tokens, %d empty nodes: the dev split has both", multi, empty)
	}
	var buf bytes.Buffer
	if err := WriteCoNLLU(&buf, sents); err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(buf.Bytes())
	if got := hex.EncodeToString(sum[:]); got != "cb1da95ff28a449cb9bc286c922e15e1" { // SOURCE.md's md5 of the dev file
		t.Errorf("written back, md5 %s differs from the file's", got)
	}
}

func TestReadCoNLLUErrors(t *testing.T) {
	word := func(id string) string { return id + "\tw\tw\tX\tX\t_\t0\troot\t_\t_" }
	for _, test := range []struct {
		name, in, want string
	}{
		{"columns", "1\ta\tb\n", "x.conllu:1: 3 columns, want 10 (tab-separated)"},
		{"empty column", "1\tw\t\tX\tX\t_\t0\troot\t_\t_\n", "x.conllu:1: column 3 is empty"},
		{"non-numeric id", word("1") + "\n" + word("x") + "\n", `x.conllu:2: id "x" is not a word index`},
		{"zero id", word("0") + "\n", `x.conllu:1: id "0" is not a word index`},
		{"leading zero", word("01") + "\n", `x.conllu:1: id "01" is not a word index`},
		{"negative id", word("-1") + "\n", `x.conllu:1: id "-1" is not a word index`},
		{"gap", word("1") + "\n" + word("3") + "\n", "x.conllu:2: id 3 out of order: want 2"},
		{"repeat", word("1") + "\n" + word("1") + "\n", "x.conllu:2: id 1 out of order: want 2"},
		{"new sentence from 1", word("1") + "\n\n" + word("2") + "\n", "x.conllu:3: id 2 out of order: want 1"},
		{"range late", word("1") + "\n" + word("1-2") + "\n", "x.conllu:2: range 1-2 out of order: want it just before word 2"},
		{"range backwards", word("1-1") + "\n", "x.conllu:1: range 1-1: its end must come after its start"},
		{"range past the end", word("1-2") + "\n" + word("1") + "\n", "x.conllu:2: sentence ends at word 1 inside a range ending at 2"},
		{"range overlap", word("1-2") + "\n" + word("1") + "\n" + word("2-3") + "\n", "x.conllu:3: range 2-3 overlaps the range ending at word 2"},
		{"empty node order", word("1") + "\n" + word("1.2") + "\n", "x.conllu:2: empty node 1.2 out of order: want 1.1"},
		{"empty node of another word", word("1") + "\n" + word("2.1") + "\n", "x.conllu:2: empty node 2.1 out of order: want 1.1"},
		{"empty node zero", word("1.0") + "\n", `x.conllu:1: id "1.0" is not a word index`},
		{"only an empty node", word("0.1") + "\n", "x.conllu:1: sentence without words"},
		{"comment inside", word("1") + "\n# late\n", "x.conllu:2: comment line inside a sentence"},
		{"comments alone", "# sent_id = 1\n\n", "x.conllu:2: comments without a sentence"},
		{"carriage return", word("1") + "\r\r\n", "x.conllu:1: carriage return inside a line"},
		{"utf8", "1\t\xff\tw\tX\tX\t_\t0\troot\t_\t_\n", "x.conllu:1:3: invalid UTF-8"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := ReadCoNLLU(strings.NewReader(test.in), "x.conllu")
			if err == nil || !strings.HasPrefix(err.Error(), "data: "+test.want) {
				t.Errorf("error %v, want %q", err, "data: "+test.want)
			}
		})
	}
}

func TestReadCoNLLUGood(t *testing.T) {
	word := func(id string) string { return id + "\tw\tw\tX\tX\t_\t0\troot\t_\t_" }
	for _, test := range []struct {
		name, in string
		sents    int
	}{
		{"empty file", "", 0},
		{"no final blank line", word("1"), 1},
		{"CRLF and BOM", "\uFEFF# c\r\n" + word("1") + "\r\n\r\n", 1},
		{"runs of blank lines", "\n\n" + word("1") + "\n\n\n" + word("1") + "\n", 2},
		{"empty node before the first word", word("0.1") + "\n" + word("1") + "\n", 1},
		{"form with a space", "1\tNew York\tw\tX\tX\t_\t0\troot\t_\t_\n", 1},
	} {
		t.Run(test.name, func(t *testing.T) {
			sents, err := ReadCoNLLU(strings.NewReader(test.in), "x.conllu")
			if err != nil || len(sents) != test.sents {
				t.Errorf("%d sentences, error %v; want %d", len(sents), err, test.sents)
			}
		})
	}
}

func TestWriteCoNLLUErrors(t *testing.T) {
	s := NewSentence([]string{"a", "b\tc"})
	var buf bytes.Buffer
	err := WriteCoNLLU(&buf, []Sentence{NewSentence([]string{"ok"}), s})
	if err == nil || !strings.Contains(err.Error(), "sentence 2: token 2, column 2") {
		t.Errorf("error %v", err)
	}
	if buf.String() != "1\tok\t_\t_\t_\t_\t_\t_\t_\t_\n\n" {
		t.Errorf("wrote %q; want the first sentence only", buf.String())
	}
	bad := NewSentence([]string{"a"})
	bad.Comments = []string{"no hash"}
	if err := WriteCoNLLU(io.Discard, []Sentence{bad}); err == nil {
		t.Error("a comment without # was written")
	}
}

func TestReadCoNLLUFile(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.conllu")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCoNLLUFile(empty); err == nil || !strings.Contains(err.Error(), "empty.conllu: no sentences") {
		t.Errorf("empty file: %v", err)
	}
	if _, err := ReadCoNLLUFile(filepath.Join(dir, "missing.conllu")); err == nil {
		t.Error("missing file: no error")
	}
	sents, err := ReadCoNLLUFile("testdata/sample.conllu")
	if err != nil || len(sents) != 2 {
		t.Errorf("sample: %d sentences, %v", len(sents), err)
	}
}

// FuzzReadCoNLLU checks that no input makes ReadCoNLLU panic, that its
// errors name the file and line, and that what it accepts is written and
// read back to the same sentences, and written again to the same bytes.
func FuzzReadCoNLLU(f *testing.F) {
	seed, err := os.ReadFile("testdata/sample.conllu")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("1\ta\tb\n")
	f.Add("# c\n1-2\tx\t_\t_\t_\t_\t_\t_\t_\t_\n1\tw\tw\tX\tX\t_\t0\troot\t_\t_\n")
	f.Add("\uFEFF0.1\t\r\n\xff")
	f.Fuzz(func(t *testing.T, in string) {
		sents, err := ReadCoNLLU(strings.NewReader(in), "fuzz.conllu")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "data: fuzz.conllu:") {
				t.Fatalf("error without file and line: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteCoNLLU(&out, sents); err != nil {
			t.Fatalf("cannot write what was read: %v", err)
		}
		again, err := ReadCoNLLU(bytes.NewReader(out.Bytes()), "again.conllu")
		if err != nil {
			t.Fatalf("cannot read what was written: %v\n%q", err, out.String())
		}
		if len(sents) != len(again) || (len(sents) > 0 && !reflect.DeepEqual(sents, again)) {
			t.Fatalf("round trip changed the sentences:\n%q\n%q", sents, again)
		}
		var out2 bytes.Buffer
		if err := WriteCoNLLU(&out2, again); err != nil || out2.String() != out.String() {
			t.Fatalf("second write differs: %v", err)
		}
	})
}
