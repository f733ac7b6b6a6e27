package word2vec

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// randomVectors returns n words with d-dimensional random vectors,
// including values that stress a text format: tiny, huge, negative zero.
func randomVectors(t testing.TB, rng *rand.Rand, n, d int) *Vectors {
	words := make([]string, n)
	data := make([]float32, n*d)
	for i := range words {
		words[i] = string(rune('a'+i%26)) + strings.Repeat("é", i/26) + "_" + string(rune('0'+i%10))
	}
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	data[0], data[1], data[2] = 1e-38, -3.4e38, float32(negZero())
	v, err := NewVectors(words, d, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func negZero() float64 { z := 0.0; return -z }

func sameVectors(t *testing.T, got, want *Vectors) {
	t.Helper()
	if got.Len() != want.Len() || got.Dim() != want.Dim() {
		t.Fatalf("%d×%d vectors, want %d×%d", got.Len(), got.Dim(), want.Len(), want.Dim())
	}
	for i := 0; i < want.Len(); i++ {
		if got.Word(i) != want.Word(i) {
			t.Fatalf("word %d = %q, want %q", i, got.Word(i), want.Word(i))
		}
		g, w := got.row(i), want.row(i)
		for j := range w {
			if g[j] != w[j] {
				t.Fatalf("%s[%d] = %g, want %g", want.Word(i), j, g[j], w[j])
			}
		}
	}
}

// TestRoundTrip writes and reads back both formats, through memory and
// through Save and Load; both are exact (the text format writes the
// shortest decimal that reads back to the same float32).
func TestRoundTrip(t *testing.T) {
	v := randomVectors(t, rand.New(rand.NewPCG(1, 1)), 60, 7)
	for _, write := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return v.WriteText(b) },
		func(b *bytes.Buffer) error { return v.WriteBinary(b) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		got, err := ReadVectors(&b, "mem")
		if err != nil {
			t.Fatal(err)
		}
		sameVectors(t, got, v)
	}
	dir := t.TempDir()
	for _, name := range []string{"v.bin", "v.txt", "v.vec"} {
		path := filepath.Join(dir, name)
		if err := v.Save(path); err != nil {
			t.Fatal(err)
		}
		got, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		sameVectors(t, got, v)
		b, _ := os.ReadFile(path)
		if binary := !bytes.Contains(b[:40], []byte("a_0 ")) || bytes.IndexByte(b[10:], 0) >= 0; binary != (name == "v.bin") {
			t.Errorf("%s: written in the wrong format", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("Save left temporary files: %d entries", len(entries))
	}
}

// TestOtherTools reads files in the layouts word2vec.c, gensim and fastText
// write; testdata/make_fixtures.py made them (gensim's and fastText's with
// the tools themselves).
func TestOtherTools(t *testing.T) {
	w2v := []struct {
		word string
		vec  []float64
	}{
		{"</s>", []float64{0, 0, 0}},
		{"the", []float64{0.5, -0.25, 1}},
		{"king", []float64{0.125, 2, -1.5}},
		{"queen", []float64{-0.75, 0.0625, 3}},
	}
	gensim := []struct {
		word string
		vec  []float64
	}{
		{"the", []float64{0.25, -0.125, 0.5}},
		{"king", []float64{0.0625, 1, -0.75}},
		{"queen", []float64{-0.375, 0.03125, 1.5}},
		{"café", []float64{0.0625, 1, -0.75}},
	}
	for _, c := range []struct {
		file string
		want []struct {
			word string
			vec  []float64
		}
	}{
		{"word2vec_c.txt", w2v}, {"word2vec_c.bin", w2v},
		{"gensim.txt", gensim}, {"gensim.bin", gensim},
	} {
		v, err := Load(filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if v.Len() != len(c.want) || v.Dim() != 3 {
			t.Fatalf("%s: %d×%d", c.file, v.Len(), v.Dim())
		}
		for i, w := range c.want {
			got := v.Vector(w.word)
			if v.Word(i) != w.word || got == nil {
				t.Fatalf("%s: word %d = %q, want %q", c.file, i, v.Word(i), w.word)
			}
			for j := range got {
				if got[j] != w.vec[j] {
					t.Errorf("%s: %s = %v, want %v", c.file, w.word, got, w.vec)
					break
				}
			}
		}
	}
	v, err := Load("testdata/fasttext.vec")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(v.Words(), " ") != "the king and queen </s>" || v.Dim() != 3 {
		t.Errorf("fasttext.vec: %q, d=%d", v.Words(), v.Dim())
	}
}

// TestReadErrors: bad files get errors that wrap ErrFormat and say where.
func TestReadErrors(t *testing.T) {
	bin := func(s string) string { // a binary record with floats 1, 2
		return s + " \x00\x00\x80\x3f\x00\x00\x00\x40\n"
	}
	for _, c := range []struct {
		name, in, want string
	}{
		{"empty", "", "empty: empty file"},
		{"header", "3\n", `header:1: header "3": want "V d"`},
		{"header-neg", "-1 3\n", `header-neg:1: header "-1 3"`},
		{"fasttext-bin", "\xba\x16\x4f\x2f\x0c\x00\x00\x00", "fastText model"},
		{"text-short", "2 2\na 1 2\n", "text-short: truncated: the header promises 2 vectors, the file ends after 1, on line 2"},
		{"text-cut", "2 2\na 1 2\nb 1", "text-cut:3: truncated: vector 2 of 2 has 1 of 2 numbers and no line end"},
		{"text-count", "2 2\na 1 2\nb 1 2 3\n", "text-count:3: want a word and 2 numbers, got 4 fields"},
		{"text-float", "2 2\na 1 2\nb 1 x2\n", `text-float:3: number 2 of "b": "x2" is not a number`},
		{"text-no-end", "1 2\na 1 2", "text-no-end:2: truncated: vector 1 of 1 has 2 of 2 numbers and no line end"},
		{"text-extra", "1 2\na 1 2\nb 1 2\n", "text-extra:3: more than the 1 vectors of the header"},
		{"text-dup", "2 2\na 1 2\na 3 4\n", `text-dup:3: word "a" again (first as vector 1)`},
		{"bin-cut", "2 2\n" + bin("a") + "b \x00\x00\x80", "bin-cut: truncated in the numbers (3 of 8 bytes) of vector 2 of 2 (byte 20)"},
		{"bin-short", "2 2\n" + bin("a"), "bin-short: truncated: the header promises 2 vectors, the file ends after 1 (byte 15)"},
		{"bin-word", "2 2\n" + bin("a") + "bcd", "bin-word: truncated in the word of vector 2 of 2 (byte 18)"},
		{"bin-extra", "1 2\n" + bin("a") + "zz", "bin-extra: byte 15: more than the 1 vectors of the header"},
		{"bin-dup", "2 2\n" + bin("a") + bin("a"), `bin-dup: vector 2 (byte 15): word "a" again (first as vector 1)`},
	} {
		_, err := ReadVectors(strings.NewReader(c.in), c.name)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant …%s… wrapping ErrFormat", c.name, err, c.want)
		}
	}
	if _, err := Load("testdata/no-such.bin"); err == nil || !strings.Contains(err.Error(), "no-such.bin") {
		t.Errorf("missing file: %v", err)
	}
}

// TestTruncatedFixtures cuts the fixtures at every byte: each cut either
// reads (a cut in trailing white space) or fails with ErrFormat, never
// panics or reads wrong vectors.
func TestTruncatedFixtures(t *testing.T) {
	for _, f := range []string{"word2vec_c.txt", "word2vec_c.bin", "gensim.txt", "gensim.bin"} {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		full, _ := ReadVectors(bytes.NewReader(b), f)
		for n := 0; n < len(b); n++ {
			v, err := ReadVectors(bytes.NewReader(b[:n]), f)
			if err == nil {
				if strings.TrimRight(string(b[n:]), " \n") != "" {
					t.Fatalf("%s cut at %d of %d bytes: no error", f, n, len(b))
				}
				sameVectors(t, v, full)
				continue
			}
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("%s cut at %d: %v does not wrap ErrFormat", f, n, err)
			}
		}
	}
}

func TestNewVectorsErrors(t *testing.T) {
	for _, c := range []struct {
		words []string
		dim   int
		data  []float32
		want  string
	}{
		{[]string{"a"}, 0, nil, "dimension 0"},
		{[]string{"a", "b"}, 2, make([]float32, 3), "need 4 values, got 3"},
		{[]string{"a", "a"}, 1, make([]float32, 2), `word "a" twice`},
		{[]string{"a b"}, 1, make([]float32, 1), "has a space"},
		{[]string{""}, 1, make([]float32, 1), "is empty"},
	} {
		if _, err := NewVectors(c.words, c.dim, c.data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q d=%d: %v, want %q", c.words, c.dim, err, c.want)
		}
	}
}

// FuzzReadVectors: reading never panics, and what reads writes back and
// reads again to the same vectors, in both formats.
func FuzzReadVectors(f *testing.F) {
	for _, name := range []string{"word2vec_c.txt", "word2vec_c.bin", "gensim.txt", "gensim.bin", "fasttext.vec"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("1 1\na 1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ReadVectors(bytes.NewReader(b), "fuzz")
		if err != nil {
			return
		}
		for format, write := range map[int]func(*bytes.Buffer) error{
			textFormat:   func(b *bytes.Buffer) error { return v.WriteText(b) },
			binaryFormat: func(b *bytes.Buffer) error { return v.WriteBinary(b) },
		} {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			// In the format written: a tiny binary file can also be valid text
			// (see ReadVectors), and the fuzzer finds those.
			w, err := readVectors(&buf, "again", format)
			if err != nil {
				t.Fatalf("written vectors do not read back: %v", err)
			}
			if w.Len() != v.Len() || w.Dim() != v.Dim() {
				t.Fatalf("%d×%d read back as %d×%d", v.Len(), v.Dim(), w.Len(), w.Dim())
			}
			for i := 0; i < v.Len(); i++ {
				if w.Word(i) != v.Word(i) {
					t.Fatalf("word %d %q read back as %q", i, v.Word(i), w.Word(i))
				}
				for j, x := range v.row(i) {
					if y := w.row(i)[j]; x != y && !(x != x && y != y) { // NaN reads back as NaN
						t.Fatalf("%s[%d] = %g read back as %g", v.Word(i), j, x, y)
					}
				}
			}
		}
	})
}
