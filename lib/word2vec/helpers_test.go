package word2vec

import (
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
)

// repeatWords returns a text holding each word count times, interleaved
// deterministically, ten words a line.
func repeatWords(counts map[string]int) string {
	var words []string
	for w := range counts {
		words = append(words, w)
	}
	sort.Strings(words)
	left := map[string]int{}
	for w, c := range counts {
		left[w] = c
	}
	var b strings.Builder
	n := 0
	for more := true; more; {
		more = false
		for _, w := range words {
			if left[w] > 0 {
				left[w]--
				more = true
				b.WriteString(w)
				if n++; n%10 == 0 {
					b.WriteByte('\n')
				} else {
					b.WriteByte(' ')
				}
			}
		}
	}
	return b.String()
}

// twoGroups returns a corpus where words a0..a{n-1} only ever occur with
// each other, and so do b0..b{n-1}: each line is sentence of 12 random
// words of one group. By construction every word's nearest neighbour is in
// its own group.
func twoGroups(rng *rand.Rand, n, lines int) string {
	var b strings.Builder
	for l := 0; l < lines; l++ {
		g := "a"
		if l%2 == 1 {
			g = "b"
		}
		for k := 0; k < 12; k++ {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(g)
			b.WriteByte(byte('0' + rng.IntN(n)))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// readAll returns the words of a part of the corpus, with "|" for each
// sentence end.
func readAll(t *testing.T, c *Corpus, start, end int64) []string {
	t.Helper()
	r, err := c.openAt(max(start-1, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	wr := newWordReader(r, c.split, start, end)
	var out []string
	for {
		w, eos, err := wr.next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if eos {
			out = append(out, "|")
		} else {
			out = append(out, string(w))
		}
	}
}

// randFor returns the seeded generator of a test.
func randFor(t testing.TB) *rand.Rand { return rand.New(rand.NewPCG(1, 1)) }
