package data

import (
	"strings"
	"testing"
)

func TestCharVocab(t *testing.T) {
	for _, test := range []struct {
		name  string
		text  string
		chars string // String(): the characters in id order
	}{
		{name: "empty", text: "", chars: ""},
		{name: "ascii", text: "hello world", chars: " dehlorw"},
		{name: "order of first sight does not matter", text: "dlrow olleh", chars: " dehlorw"},
		{name: "newline sorts first", text: "b\na", chars: "\nab"},
		{name: "utf8", text: "héllo 日本", chars: " hlo\u00e9日本"},
		{name: "emoji is one rune", text: "a😀b😀", chars: "ab😀"},
		{name: "invalid byte reads as U+FFFD", text: "a\xffb", chars: "ab\uFFFD"},
	} {
		t.Run(test.name, func(t *testing.T) {
			v := NewCharVocab(test.text)
			if got := v.String(); got != test.chars {
				t.Fatalf("String() = %q, want %q", got, test.chars)
			}
			if v.Size() != len([]rune(test.chars)) {
				t.Errorf("Size() = %d, want %d", v.Size(), len([]rune(test.chars)))
			}
			for id, r := range v.Runes() {
				if got, ok := v.ID(r); !ok || got != id {
					t.Errorf("ID(%q) = %d, %v; want %d", r, got, ok, id)
				}
				if v.Rune(id) != r {
					t.Errorf("Rune(%d) = %q, want %q", id, v.Rune(id), r)
				}
			}
			ids, err := v.Encode(test.text)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != len([]rune(test.text)) {
				t.Errorf("Encode gave %d ids for %d runes", len(ids), len([]rune(test.text)))
			}
			// Decode(Encode(s)) == s for valid UTF-8; an invalid byte comes back as U+FFFD.
			want := strings.ToValidUTF8(test.text, "\uFFFD")
			if got := v.Decode(ids); got != want {
				t.Errorf("Decode(Encode(%q)) = %q", test.text, got)
			}
			w, err := CharVocabFromString(v.String())
			if err != nil {
				t.Fatal(err)
			}
			if w.String() != v.String() {
				t.Errorf("restored %q, want %q", w.String(), v.String())
			}
		})
	}
}

func TestCharVocabEncodeError(t *testing.T) {
	v := NewCharVocab("abc é")
	for _, test := range []struct {
		s, want string
	}{
		{"abd", `data: character 'd' (U+0064) at byte offset 2 is not in the vocabulary`},
		{"ab\n", `data: character '\n' (U+000A) at byte offset 2 is not in the vocabulary`},
		// Offsets count bytes, not runes: "é" is two bytes, so "日" after "aé" is at 1+2 = 3.
		{"aé日", `data: character '日' (U+65E5) at byte offset 3 is not in the vocabulary`},
		{"a b c\xff", `data: invalid UTF-8 (byte 0xff) at byte offset 5`},
		{"a\uFFFD", `data: character '�' (U+FFFD) at byte offset 1 is not in the vocabulary`},
	} {
		ids, err := v.Encode(test.s)
		if err == nil || err.Error() != test.want {
			t.Errorf("Encode(%q) = %v, %v\nwant error %s", test.s, ids, err, test.want)
		}
	}
}

func TestCharVocabFromString(t *testing.T) {
	for _, test := range []struct {
		s, err string
	}{
		{s: "ba", err: ""}, // kept as given: 'b' is id 0
		{s: "日本語", err: ""},
		{s: "abca", err: `data: character vocabulary repeats 'a' (U+0061) at ids 0 and 3`},
		{s: "a\xff", err: `data: character vocabulary is not valid UTF-8`},
	} {
		v, err := CharVocabFromString(test.s)
		if test.err != "" {
			if err == nil || err.Error() != test.err {
				t.Errorf("CharVocabFromString(%q): error %v, want %s", test.s, err, test.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("CharVocabFromString(%q): %v", test.s, err)
			continue
		}
		if v.String() != test.s {
			t.Errorf("CharVocabFromString(%q).String() = %q", test.s, v.String())
		}
	}
	v, _ := CharVocabFromString("ba")
	if id, _ := v.ID('b'); id != 0 {
		t.Errorf("restored order not kept: ID('b') = %d, want 0", id)
	}
}

func TestCharVocabCopies(t *testing.T) {
	v := NewCharVocab("ab")
	r := v.Runes()
	r[0] = 'z'
	if v.Rune(0) != 'a' {
		t.Error("Runes returned the vocabulary's own slice")
	}
}

func TestCharVocabPanics(t *testing.T) {
	v := NewCharVocab("ab")
	for _, id := range []int{-1, 2} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Rune(%d) did not panic", id)
				}
			}()
			v.Rune(id)
		}()
	}
}

func BenchmarkCharVocabEncode(b *testing.B) {
	text := strings.Repeat("First Citizen:\nBefore we proceed any further, hear me speak.\n", 1<<14)
	v := NewCharVocab(text)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Encode(text); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(text))/b.Elapsed().Seconds(), "chars/s")
}
