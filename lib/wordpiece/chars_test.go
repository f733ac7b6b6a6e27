package wordpiece

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
)

func TestCharTokens(t *testing.T) {
	for _, test := range []struct{ word, want string }{
		{"Miki", "<B>M <M>i <M>k <E>i"}, // the talk's example (GNMT §4.2)
		{"ab", "<B>a <E>b"},
		{"x", "<B>x"}, // one character: <B> alone (our choice, see CharTokens)
		{"東京", "<B>東 <E>京"},
		{"", ""},
	} {
		if got := strings.Join(CharTokens(test.word), " "); got != test.want {
			t.Errorf("CharTokens(%q) = %q, want %q", test.word, got, test.want)
		}
	}
}

func TestMixedVocab(t *testing.T) {
	tokens := []string{"<unk>", "Miki", "likes", "sushi"}
	for _, c := range "Mikaxy" {
		tokens = append(tokens, CharTokens(string(c))[0], Middle+string(c), End+string(c))
	}
	m, err := NewMixedVocab(tokens)
	if err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct{ in, want, back string }{
		{"Miki likes sushi", "Miki likes sushi", "Miki likes sushi"},
		{"Mika likes x y", "<B>M <M>i <M>k <E>a likes <B>x <B>y", "Mika likes x y"},
		{"Miko", "<B>M <M>i <M>k <unk>", "Mik <unk>"}, // 'o' is not in the alphabet
		{"<B>x", "<unk> <unk> <unk> <E>x", "<unk> <unk> <unk>x"},
		{"  ", "", ""},
	} {
		got := m.Tokenize(test.in)
		if strings.Join(got, " ") != test.want {
			t.Errorf("Tokenize(%q) = %q, want %q", test.in, got, test.want)
		}
		if back := m.Detokenize(got); back != test.back {
			t.Errorf("Detokenize(%q) = %q, want %q", got, back, test.back)
		}
		if back := m.Decode(m.Encode(test.in)); back != test.back {
			t.Errorf("Decode(Encode(%q)) = %q", test.in, back)
		}
	}
	if m.Size() != len(tokens) || m.Token(1) != "Miki" || m.ID("sushi") != 3 || m.ID("nope") != -1 || m.UnknownID() != 0 {
		t.Error("accessors")
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := ReadMixedVocab(&buf, "mixed.txt")
	if err != nil || strings.Join(again.Tokens(), " ") != strings.Join(tokens, " ") {
		t.Errorf("round trip: %v %q", err, again.Tokens())
	}
}

func TestMixedVocabErrors(t *testing.T) {
	for _, test := range []struct{ file, want string }{
		{"<unk>\n<B>ab\n", `wordpiece: m.txt:2: "<B>ab": a <B> token holds one character`},
		{"<unk>\nx\nx\n", `wordpiece: m.txt:3: duplicate token "x" (also m.txt:2)`},
		{"x\n", `wordpiece: no unknown token "<unk>" in the vocabulary`},
		{"", `wordpiece: m.txt: empty file: want one piece per line`},
	} {
		if _, err := ReadMixedVocab(strings.NewReader(test.file), "m.txt"); err == nil || err.Error() != test.want {
			t.Errorf("ReadMixedVocab(%q):\n got %v\nwant %s", test.file, err, test.want)
		}
	}
}

func TestTrainMixed(t *testing.T) {
	text, err := datasets.ReadAll("tinyshakespeare")
	if err != nil {
		t.Fatal(err)
	}
	m, err := TrainMixed(bytes.NewReader(text), "tinyshakespeare", 1000)
	if err != nil {
		t.Fatal(err)
	}
	// 3 specials, 3 × 63 characters (the corpus's 65 less space and
	// newline), most frequent first, then 808 words.
	if m.Size() != 1000 || m.Token(3) != "<B>e" || m.Token(3+3*63) != "the" {
		t.Errorf("size %d, token 3 %q", m.Size(), m.Token(3))
	}
	for _, line := range strings.SplitN(string(text), "\n", 500) {
		if got, want := m.Decode(m.Encode(line)), strings.Join(strings.Fields(line), " "); got != want {
			t.Fatalf("%q → %q", want, got)
		}
	}
	if _, err := TrainMixed(strings.NewReader("a b"), "c", 10); err != nil {
		t.Errorf("exact fit: %v", err) // 3 + 3×2 + 1 word
	}
	if m, err := TrainMixed(strings.NewReader("a b"), "c", 12); !errors.Is(err, ErrSmallCorpus) || m.Size() != 11 {
		t.Errorf("small corpus: %v", err)
	}
	if _, err := TrainMixed(strings.NewReader("abc"), "c", 8); err == nil || err.Error() != "wordpiece: size 8 is too small: 3 special tokens and 3 × 3 characters of c need 12" {
		t.Errorf("too small: %v", err)
	}
}
