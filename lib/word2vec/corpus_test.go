package word2vec

import (
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		split Split
		in    string
		want  string // words joined by spaces, "|" for a sentence end
	}{
		{SplitSpace, "the cat\nsat  on\tthe mat\n", "the cat | sat on the mat |"},
		{SplitSpace, "Don't stop, she said.", "Don't stop, she said."},
		{SplitSpace, "a\r\nb\r\n\r\nc", "a | b | | c"},
		{SplitSpace, "", ""},
		{SplitLetters, "Don't stop, she said.\nThe End", "don t stop she said the end"},
		{SplitLetters, "One para-\ngraph.\n\nAnother one.\n\n\n\nLast", "one para graph | another one | last"},
		{SplitLetters, "Café NAÏVE Ærø 42x", "café naïve ærø x"},
		{SplitLetters, "end.\n***\n\nnext", "end | next"},  // a line of stars is not blank
		{SplitLetters, "end.\n  \t\r\nnext", "end | next"}, // a line of spaces is
		{SplitLetters, "x\xffy", "x y"},                    // an invalid byte separates
	} {
		got := strings.Join(readAll(t, NewTextCorpus(c.in, c.split), 0, -1), " ")
		if got != c.want {
			t.Errorf("%v %q:\n got %q\nwant %q", c.split, c.in, got, c.want)
		}
	}
}

func TestMaxWordBytes(t *testing.T) {
	long := strings.Repeat("é", 80) // 160 bytes
	for _, split := range []Split{SplitSpace, SplitLetters} {
		got := readAll(t, NewTextCorpus(long+" next", split), 0, -1)
		if len(got) != 2 || got[1] != "next" {
			t.Fatalf("%v: %q", split, got)
		}
		if got[0] != strings.Repeat("é", 50) {
			t.Errorf("%v: long word cut to %d bytes %q, want 50 é (100 bytes)", split, len(got[0]), got[0])
		}
	}
	odd := "x" + strings.Repeat("é", 60) // the cut falls inside an é
	got := readAll(t, NewTextCorpus(odd, SplitSpace), 0, -1)
	if want := "x" + strings.Repeat("é", 49); got[0] != want {
		t.Errorf("cut inside a character: %q (%d bytes), want %q", got[0], len(got[0]), want)
	}
}

// TestPartsPartition checks that the parts the goroutines read partition
// the corpus's words exactly, for every number of parts and any text: the
// boundary rule puts each word in exactly one part.
func TestPartsPartition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "bb", "ccc", "Dd", "é", " ", " ", "\n", "\n\n", ".", "  \t"}
	dir := t.TempDir()
	for trial := 0; trial < 30; trial++ {
		var b strings.Builder
		for k := rng.IntN(200); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		path := filepath.Join(dir, "c.txt")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write([]byte(text))
		zw.Close()
		if err := os.WriteFile(path+".gz", gz.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, split := range []Split{SplitSpace, SplitLetters} {
			for _, c := range []*Corpus{NewTextCorpus(text, split), NewFileCorpus(path, split), NewFileCorpus(path+".gz", split)} {
				whole := words(readAll(t, c, 0, -1))
				size := int64(len(text))
				for parts := 1; parts <= 7; parts++ {
					var got []string
					for i := 0; i < parts; i++ {
						start, end := size*int64(i)/int64(parts), size*int64(i+1)/int64(parts)
						if i == parts-1 {
							end = -1
						}
						got = append(got, words(readAll(t, c, start, end))...)
					}
					if strings.Join(got, " ") != strings.Join(whole, " ") {
						t.Fatalf("%s %v, %d parts of %q:\n got %q\nwant %q", c.Name(), split, parts, text, got, whole)
					}
				}
			}
		}
	}
}

// words drops the sentence ends: a part boundary may add or merge them.
func words(ws []string) []string {
	out := ws[:0:0]
	for _, w := range ws {
		if w != "|" {
			out = append(out, w)
		}
	}
	return out
}

func TestDatasetCorpus(t *testing.T) {
	c, err := NewDatasetCorpus("gutenberg-en", "pg11.txt", "pg16.txt")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "gutenberg-en/pg11.txt,pg16.txt" || c.Split() != SplitLetters {
		t.Errorf("name %q split %v", c.Name(), c.Split())
	}
	all := words(readAll(t, c, 0, -1))
	// Alice begins "Alice was beginning to get very tired"; Peter Pan
	// follows it after a paragraph break, and its first word is not glued
	// to Alice's last.
	if strings.Join(all[:4], " ") != "alice was beginning to" {
		t.Errorf("starts %q", all[:4])
	}
	for _, w := range all {
		if strings.HasSuffix(w, "peter") && w != "peter" {
			t.Errorf("books glued: %q", w)
		}
	}
	// Two parts, the second reached by reading and discarding.
	v, err := BuildVocab(c, 1)
	if err != nil {
		t.Fatal(err)
	}
	half := v.bytes / 2
	n := len(words(readAll(t, c, 0, half))) + len(words(readAll(t, c, half, -1)))
	if int64(n) != v.CorpusWords() || n != len(all) {
		t.Errorf("parts hold %d words, whole %d, vocab counted %d", n, len(all), v.CorpusWords())
	}

	if _, err := NewDatasetCorpus("gutenberg"); err == nil || !strings.Contains(err.Error(), "gutenberg-en") {
		t.Errorf("unknown dataset: %v (want the known names listed)", err)
	}
	if _, err := NewDatasetCorpus("gutenberg-en", "pg0.txt"); err == nil || !strings.Contains(err.Error(), "pg11.txt") {
		t.Errorf("unknown file: %v (want the files listed)", err)
	}
}
