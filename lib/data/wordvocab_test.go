package data

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// corpus has counts the=4, cat=2, sat=2, mat=1, on=1, a=1 (counted by hand),
// so the frequency order is the, then cat and sat (tied: alphabetical), then
// a, mat, on.
var corpus = [][]string{
	{"the", "cat", "sat", "on", "the", "mat"},
	{"the", "cat", "sat"},
	{"a", "the"},
}

func TestBuildWordVocab(t *testing.T) {
	for _, test := range []struct {
		name              string
		minCount, maxSize int
		words             string // the ordinary words in id order, from id 4
	}{
		{name: "all", minCount: 0, maxSize: 0, words: "the cat sat a mat on"},
		{name: "minCount 1 keeps all", minCount: 1, maxSize: 0, words: "the cat sat a mat on"},
		{name: "minCount 2", minCount: 2, maxSize: 0, words: "the cat sat"},
		{name: "minCount 5 keeps none", minCount: 5, maxSize: 0, words: ""},
		{name: "maxSize counts specials", minCount: 0, maxSize: 6, words: "the cat"},
		{name: "maxSize only specials", minCount: 0, maxSize: 4, words: ""},
		{name: "maxSize above need", minCount: 0, maxSize: 100, words: "the cat sat a mat on"},
		{name: "both", minCount: 2, maxSize: 5, words: "the"},
	} {
		t.Run(test.name, func(t *testing.T) {
			v := BuildWordVocab(corpus, test.minCount, test.maxSize)
			got := strings.Join(v.Words()[NumSpecial:], " ")
			if got != test.words {
				t.Errorf("words = %q, want %q", got, test.words)
			}
			if v.Size() != len(v.Words()) {
				t.Errorf("Size() = %d, but %d words", v.Size(), len(v.Words()))
			}
			for id, w := range v.Words() {
				if v.ID(w) != id || v.Word(id) != w {
					t.Errorf("id %d: ID(%q) = %d, Word = %q", id, w, v.ID(w), v.Word(id))
				}
			}
		})
	}
}

func TestWordVocabSpecials(t *testing.T) {
	v := BuildWordVocab([][]string{{"<s>", "x", "<unk>", "", "</s>", "<pad>"}}, 0, 0)
	want := "<pad> <unk> <s> </s> x" // special tokens and "" in the corpus are not counted
	if got := strings.Join(v.Words(), " "); got != want {
		t.Errorf("Words() = %q, want %q", got, want)
	}
	for id, tok := range []string{PadToken, UnkToken, BOSToken, EOSToken} {
		if v.ID(tok) != id {
			t.Errorf("ID(%q) = %d, want %d", tok, v.ID(tok), id)
		}
		if v.Count(tok) != 0 {
			t.Errorf("Count(%q) = %d, want 0", tok, v.Count(tok))
		}
	}
	if PadID != 0 || UnkID != 1 || BOSID != 2 || EOSID != 3 {
		t.Error("special ids moved")
	}
}

func TestWordVocabDeterministic(t *testing.T) {
	// Map iteration order varies between runs; building twice must not.
	counts := map[string]int{"b": 3, "a": 3, "d": 1, "c": 3, "e": 1, "z": 7}
	want := "z a b c d e"
	for i := 0; i < 20; i++ {
		v := BuildWordVocabFromCounts(counts, 0, 0)
		if got := strings.Join(v.Words()[NumSpecial:], " "); got != want {
			t.Fatalf("build %d: %q, want %q", i, got, want)
		}
	}
}

func TestWordVocabEncodeDecode(t *testing.T) {
	v := BuildWordVocab(corpus, 0, 0)
	for _, test := range []struct {
		words []string
		ids   []int
		back  string // Decode(Encode(words)), joined
	}{
		{words: nil, ids: []int{}, back: ""},
		{words: []string{"the", "cat"}, ids: []int{4, 5}, back: "the cat"},
		{words: []string{"the", "dog"}, ids: []int{4, UnkID}, back: "the <unk>"},
		{words: []string{"<s>", "on", "</s>"}, ids: []int{BOSID, 9, EOSID}, back: "<s> on </s>"},
	} {
		ids := v.Encode(test.words)
		if !equalInts(ids, test.ids) {
			t.Errorf("Encode(%q) = %v, want %v", test.words, ids, test.ids)
		}
		if got := strings.Join(v.Decode(ids), " "); got != test.back {
			t.Errorf("Decode(%v) = %q, want %q", ids, got, test.back)
		}
	}
	if v.Count("the") != 4 || v.Count("cat") != 2 || v.Count("dog") != 0 {
		t.Errorf("Count: the=%d cat=%d dog=%d, want 4 2 0", v.Count("the"), v.Count("cat"), v.Count("dog"))
	}
}

func TestWordVocabRoundTrip(t *testing.T) {
	v := BuildWordVocab(corpus, 0, 0)
	var buf bytes.Buffer
	n, err := v.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("WriteTo reported %d bytes, wrote %d", n, buf.Len())
	}
	want := "<pad>\n<unk>\n<s>\n</s>\nthe\t4\ncat\t2\nsat\t2\na\t1\nmat\t1\non\t1\n"
	if buf.String() != want {
		t.Errorf("WriteTo wrote\n%s\nwant\n%s", buf.String(), want)
	}
	w, err := ReadWordVocab(&buf, "vocab.txt")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(w.Words(), " ") != strings.Join(v.Words(), " ") {
		t.Errorf("read back %q, want %q", w.Words(), v.Words())
	}
	for _, word := range v.Words() {
		if w.Count(word) != v.Count(word) {
			t.Errorf("Count(%q) = %d after reading, want %d", word, w.Count(word), v.Count(word))
		}
	}
}

func TestReadWordVocabFile(t *testing.T) {
	f, err := os.Open("testdata/vocab.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := ReadWordVocab(f, "testdata/vocab.txt")
	if err != nil {
		t.Fatal(err)
	}
	if v.Size() != 9 || v.ID("cat") != 5 || v.Count("the") != 5 {
		t.Errorf("Size=%d ID(cat)=%d Count(the)=%d, want 9 5 5", v.Size(), v.ID("cat"), v.Count("the"))
	}
}

func TestReadWordVocab(t *testing.T) {
	const head = "<pad>\n<unk>\n<s>\n</s>\n"
	for _, test := range []struct {
		name, in string
		words    string // on success, the words from id 4
		err      string
	}{
		{name: "no counts", in: head + "b\na\n", words: "b a"},
		{name: "order kept, not resorted", in: head + "b\t1\na\t9\n", words: "b a"},
		{name: "CRLF", in: "<pad>\r\n<unk>\r\n<s>\r\n</s>\r\nx\t3\r\n", words: "x"},
		{name: "no final newline", in: head + "x", words: "x"},
		{name: "byte-order mark", in: "\uFEFF" + head + "x\n", words: "x"},
		{name: "only specials", in: head, words: ""},
		{name: "count on a special is ignored", in: "<pad>\t7\n<unk>\n<s>\n</s>\n", words: ""},
		{name: "empty file", in: "", err: `data: v.txt: missing special token "<pad>" (id 0): a vocabulary starts with <pad>, <unk>, <s>, </s>`},
		{name: "short file", in: "<pad>\n<unk>\n", err: `data: v.txt: missing special token "<s>" (id 2): a vocabulary starts with <pad>, <unk>, <s>, </s>`},
		{name: "special missing", in: "<pad>\n<unk>\nthe\n", err: `data: v.txt:3: missing special token: want "<s>" (id 2), got "the"`},
		{name: "specials swapped", in: "<unk>\n<pad>\n", err: `data: v.txt:1: missing special token: want "<pad>" (id 0), got "<unk>"`},
		{name: "empty line", in: head + "a\n\nb\n", err: `data: v.txt:6: empty line`},
		{name: "duplicate", in: head + "a\nb\na\n", err: `data: v.txt:7: duplicate word "a" (first on line 5)`},
		{name: "special repeated", in: head + "<unk>\n", err: `data: v.txt:5: duplicate word "<unk>" (first on line 2)`},
		{name: "bad count", in: head + "a\tmany\n", err: `data: v.txt:5: bad count "many" for word "a": want word<TAB>count with a non-negative integer count`},
		{name: "negative count", in: head + "a\t-1\n", err: `data: v.txt:5: bad count "-1" for word "a": want word<TAB>count with a non-negative integer count`},
		{name: "tab first", in: head + "\t3\n", err: `data: v.txt:5: empty word before the tab`},
		{name: "carriage return", in: head + "a\r\r\n", err: `data: v.txt:5: word "a\r" contains a carriage return`},
		{name: "invalid UTF-8", in: head + "ab\xffc\n", err: `data: v.txt:5:3: invalid UTF-8 (byte 0xff)`},
	} {
		t.Run(test.name, func(t *testing.T) {
			v, err := ReadWordVocab(strings.NewReader(test.in), "v.txt")
			if test.err != "" {
				if err == nil || err.Error() != test.err {
					t.Errorf("error %v\nwant  %s", err, test.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(v.Words()[NumSpecial:], " "); got != test.words {
				t.Errorf("words %q, want %q", got, test.words)
			}
		})
	}
}

func TestWordVocabWriteToRejects(t *testing.T) {
	for _, word := range []string{"a\tb", "a\nb", "a\rb", "\xff"} {
		v := BuildWordVocabFromCounts(map[string]int{word: 1}, 0, 0)
		var buf bytes.Buffer
		if _, err := v.WriteTo(&buf); err == nil {
			t.Errorf("WriteTo with word %q: no error", word)
		}
		if buf.Len() != 0 {
			t.Errorf("WriteTo with word %q wrote %q before failing", word, buf.String())
		}
	}
	// A failing writer's error is wrapped.
	v := BuildWordVocab(corpus, 0, 0)
	if _, err := v.WriteTo(failWriter{}); !errors.Is(err, errFail) {
		t.Errorf("WriteTo(failing writer) = %v, want it to wrap %v", err, errFail)
	}
}

func TestBuildWordVocabPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("maxSize 3 did not panic")
		}
	}()
	BuildWordVocab(corpus, 0, 3)
}

var errFail = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write(p []byte) (int, error) { return 0, errFail }

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzReadWordVocab checks that any file ReadWordVocab accepts is written and
// read back to the same vocabulary, and that no input makes it panic.
func FuzzReadWordVocab(f *testing.F) {
	seed, err := os.ReadFile("testdata/vocab.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("<pad>\n<unk>\n<s>\n</s>\na\t1\r\nb")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		v, err := ReadWordVocab(strings.NewReader(in), "fuzz.txt")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if _, err := v.WriteTo(&buf); err != nil {
			t.Fatalf("WriteTo after a successful read: %v", err)
		}
		w, err := ReadWordVocab(&buf, "again.txt")
		if err != nil {
			t.Fatalf("reading what WriteTo wrote: %v", err)
		}
		if strings.Join(w.Words(), "\n") != strings.Join(v.Words(), "\n") {
			t.Fatalf("round trip changed the words")
		}
		for _, word := range v.Words() {
			if w.Count(word) != v.Count(word) {
				t.Fatalf("round trip changed Count(%q)", word)
			}
		}
	})
}
