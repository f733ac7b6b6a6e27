package data

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

func TestReadLines(t *testing.T) {
	for _, test := range []struct {
		name, in string
		want     []string
	}{
		{name: "empty", in: "", want: nil},
		{name: "one newline", in: "\n", want: []string{""}},
		{name: "final newline", in: "a\nb\n", want: []string{"a", "b"}},
		{name: "no final newline", in: "a\nb", want: []string{"a", "b"}},
		{name: "CRLF", in: "a\r\nb\r\n", want: []string{"a", "b"}},
		{name: "CRLF without final newline", in: "a\r\nb\r", want: []string{"a", "b"}},
		{name: "mixed", in: "a\r\nb\nc", want: []string{"a", "b", "c"}},
		{name: "empty lines kept", in: "a\n\n\nb\n", want: []string{"a", "", "", "b"}},
		{name: "lone CR is not a line end", in: "a\rb\n", want: []string{"a\rb"}},
		{name: "byte-order mark dropped", in: "\uFEFFa\n\uFEFFb\n", want: []string{"a", "\uFEFFb"}},
		{name: "utf8", in: "日本語\nçà\n", want: []string{"日本語", "çà"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := ReadLines(strings.NewReader(test.in), "in.txt")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(test.want, "|") || len(got) != len(test.want) {
				t.Errorf("ReadLines(%q) = %q, want %q", test.in, got, test.want)
			}
		})
	}
}

// TestReadLinesLong reads a 1 MB line, 16 times bufio.Scanner's default
// 64 KiB limit, split across many small reads.
func TestReadLinesLong(t *testing.T) {
	long := strings.Repeat("abcdefgh", 1<<17) // 8 × 2^17 = 1,048,576 bytes
	in := "short\n" + long + "\r\nend"
	got, err := ReadLines(iotest.HalfReader(strings.NewReader(in)), "long.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != "short" || got[1] != long || got[2] != "end" {
		t.Errorf("got %d lines, lengths %v", len(got), lineLengths(got))
	}
}

func lineLengths(lines []string) []int {
	n := make([]int, len(lines))
	for i, l := range lines {
		n[i] = len(l)
	}
	return n
}

func TestReadLinesErrors(t *testing.T) {
	for _, test := range []struct {
		name string
		r    io.Reader
		want string
	}{
		{name: "invalid UTF-8", r: strings.NewReader("ok\nab\xffc\n"), want: "data: in.txt:2:3: invalid UTF-8 (byte 0xff)"},
		{name: "truncated rune", r: strings.NewReader("ok\n\xe6\x97"), want: "data: in.txt:2:1: invalid UTF-8 (byte 0xe6)"},
		{name: "read error", r: io.MultiReader(strings.NewReader("a\nb\n"), iotest.ErrReader(errFail)), want: "data: in.txt:3: disk full"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := ReadLines(test.r, "in.txt")
			if err == nil || err.Error() != test.want {
				t.Errorf("error %v\nwant  %s", err, test.want)
			}
		})
	}
	_, err := ReadLines(iotest.ErrReader(errFail), "in.txt")
	if !errors.Is(err, errFail) {
		t.Errorf("read error not wrapped: %v", err)
	}
}

func TestReadPairs(t *testing.T) {
	for _, test := range []struct {
		name, in string
		want     []Pair
		err      string
	}{
		{name: "empty", in: ""},
		{name: "two fields", in: "Go.\tVa !\n", want: []Pair{{"Go.", "Va !"}}},
		{name: "extra fields ignored", in: "Go.\tVa !\tCC-BY 2.0\t#1\n", want: []Pair{{"Go.", "Va !"}}},
		{name: "empty lines skipped", in: "\na\tb\n\n\nc\td", want: []Pair{{"a", "b"}, {"c", "d"}}},
		{name: "CRLF", in: "a\tb\r\nc\td\r\n", want: []Pair{{"a", "b"}, {"c", "d"}}},
		{name: "spaces kept", in: " a \t b \n", want: []Pair{{" a ", " b "}}},
		{name: "byte-order mark", in: "\uFEFFa\tb\n", want: []Pair{{"a", "b"}}},
		{name: "no tab", in: "a\tb\n\nc\td\nno tab here\n", err: `data: pairs.txt:4: expected "source<TAB>target", got 1 field`},
		{name: "blank line with spaces", in: "  \n", err: `data: pairs.txt:1: expected "source<TAB>target", got 1 field`},
		{name: "empty source", in: "\tb\n", err: `data: pairs.txt:1: empty source`},
		{name: "empty target", in: "a\tb\na\t\tc\n", err: `data: pairs.txt:2: empty target`},
		{name: "invalid UTF-8", in: "a\tb\nc\td\xff\n", err: `data: pairs.txt:2:4: invalid UTF-8 (byte 0xff)`},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := ReadPairs(strings.NewReader(test.in), "pairs.txt")
			if test.err != "" {
				if err == nil || err.Error() != test.err {
					t.Errorf("error %v\nwant  %s", err, test.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(test.want) {
				t.Fatalf("got %q, want %q", got, test.want)
			}
			for i := range got {
				if got[i] != test.want[i] {
					t.Errorf("pair %d = %q, want %q", i, got[i], test.want[i])
				}
			}
		})
	}
}

func TestReadPairsFile(t *testing.T) {
	f, err := os.Open("testdata/pairs.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pairs, err := ReadPairs(f, "testdata/pairs.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []Pair{{"Go.", "Va !"}, {"Hi.", "Salut !"}, {"I see.", "Je vois."}, {"The café is open.", "Le café est ouvert."}}
	if len(pairs) != len(want) {
		t.Fatalf("got %d pairs, want %d", len(pairs), len(want))
	}
	for i := range want {
		if pairs[i] != want[i] {
			t.Errorf("pair %d = %q, want %q", i, pairs[i], want[i])
		}
	}
}

// FuzzReadPairs checks that no input makes ReadPairs panic, and that every
// pair it returns is well formed: non-empty, valid UTF-8, no tab in Src and
// no tab or line end in either side.
func FuzzReadPairs(f *testing.F) {
	seed, err := os.ReadFile("testdata/pairs.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("a\tb\nno tab\n")
	f.Add("\uFEFF\t\r\n\xff")
	f.Fuzz(func(t *testing.T, in string) {
		pairs, err := ReadPairs(strings.NewReader(in), "fuzz.txt")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "data: fuzz.txt:") {
				t.Fatalf("error without file and line: %v", err)
			}
			return
		}
		for i, p := range pairs {
			if strings.Contains(p.Src, "\t") {
				t.Fatalf("pair %d: tab in Src %q", i, p.Src)
			}
			if strings.ContainsAny(p.Tgt, "\t\n") || strings.Contains(p.Src, "\n") {
				t.Fatalf("pair %d: separator inside %q", i, p)
			}
			if p.Src == "" || p.Tgt == "" {
				t.Fatalf("pair %d: empty side %q", i, p)
			}
			if !utf8.ValidString(p.Src) || !utf8.ValidString(p.Tgt) {
				t.Fatalf("pair %d: invalid UTF-8 %q", i, p)
			}
		}
	})
}

func TestReadPairsFileErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	empty := filepath.Join(dir, "empty.txt")
	bad := filepath.Join(dir, "bad.txt")
	for path, text := range map[string]string{good: "Hi.\tHoi.\nRun!\tRen!\n", empty: "\n\n", bad: "Hi.\tHoi.\nno tab\n"} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if pairs, err := ReadPairsFile(good); err != nil || len(pairs) != 2 || pairs[1].Tgt != "Ren!" {
		t.Errorf("good file: %v, %v", pairs, err)
	}
	for path, want := range map[string]string{empty: "empty.txt: no sentence pairs", bad: "bad.txt:2", filepath.Join(dir, "missing.txt"): "missing.txt"} {
		if _, err := ReadPairsFile(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", path, err, want)
		}
	}
}
