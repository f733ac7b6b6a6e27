package word2vec

import (
	"container/heap"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestBuildVocab(t *testing.T) {
	c := NewTextCorpus("b a c b\nd b a e a\nc b", SplitSpace)
	v, err := BuildVocab(c, 2)
	if err != nil {
		t.Fatal(err)
	}
	// b 4, a 3, c 2 (ties keep first appearance), d and e dropped.
	var got []string
	for i := 0; i < v.Len(); i++ {
		got = append(got, fmt.Sprintf("%s:%d", v.Word(i), v.Count(i)))
	}
	if strings.Join(got, " ") != "b:4 a:3 c:2" {
		t.Errorf("vocabulary %q", got)
	}
	if v.Total() != 9 || v.CorpusWords() != 11 || v.Index("a") != 1 || v.Index("d") != -1 {
		t.Errorf("total %d corpus %d index(a) %d index(d) %d", v.Total(), v.CorpusWords(), v.Index("a"), v.Index("d"))
	}
}

func TestBuildVocabErrors(t *testing.T) {
	for _, c := range []struct {
		text string
		min  int
		is   error
		msg  string
	}{
		{"", 1, ErrEmptyCorpus, "word2vec: the corpus has no words: text"},
		{" \n\n\t ", 1, ErrEmptyCorpus, "word2vec: the corpus has no words: text"},
		{"a b c a", 3, ErrNoVocabulary, `word2vec: no word reaches the minimum count: text has 4 words, 3 distinct, the most frequent "a" 2 times; min-count is 3`},
	} {
		_, err := BuildVocab(NewTextCorpus(c.text, SplitSpace), c.min)
		if !errors.Is(err, c.is) || err.Error() != c.msg {
			t.Errorf("%q min %d: %v\nwant %s", c.text, c.min, err, c.msg)
		}
	}
	_, err := BuildVocab(NewFileCorpus("testdata/no-such-file.txt", SplitSpace), 1)
	if err == nil || !strings.Contains(err.Error(), "no-such-file.txt") {
		t.Errorf("missing file: %v", err)
	}
}

// TestHuffmanWord2vecC pins the tree for counts 4, 3, 2, 1, worked through
// word2vec.c's CreateBinaryTree by hand: it joins 1+2 → node 4 (count 3),
// then node 4 with the leaf of count 3 (the inner node wins the tie, as
// word2vec.c's strict "<" lets it) → node 5 (6), then 4+6 → the root 6.
// Codes run root → leaf; points are the inner nodes on the way, numbered
// from 0 (node 4) to 2 (the root).
func TestHuffmanWord2vecC(t *testing.T) {
	v := &Vocab{counts: []int64{4, 3, 2, 1}}
	v.buildHuffman()
	want := []struct{ code, points string }{
		{"0", "[2]"},
		{"11", "[2 1]"},
		{"101", "[2 1 0]"},
		{"100", "[2 1 0]"},
	}
	for i, w := range want {
		codes, points := v.code(i)
		var b strings.Builder
		for _, c := range codes {
			b.WriteByte('0' + c)
		}
		if b.String() != w.code || fmt.Sprint(points) != w.points {
			t.Errorf("word %d: code %s points %v, want %s %s", i, b.String(), points, w.code, w.points)
		}
	}
}

// TestHuffmanOptimal checks on a Zipf vocabulary that the codes are prefix
// free, fill the tree (Kraft sum 1), and have the optimal weighted length,
// computed independently as the sum of the merged counts of a heap-based
// Huffman construction.
func TestHuffmanOptimal(t *testing.T) {
	counts := testCounts()[:300]
	v := &Vocab{counts: counts}
	v.buildHuffman()
	var cost, want int64
	kraft := 0.0
	seen := map[string]int{}
	for i := range counts {
		codes, points := v.code(i)
		if len(codes) == 0 || len(codes) > 40 || len(points) != len(codes) {
			t.Fatalf("word %d: code length %d, %d points", i, len(codes), len(points))
		}
		var b strings.Builder
		for _, c := range codes {
			b.WriteByte('0' + c)
		}
		s := b.String()
		for p := 1; p <= len(s); p++ {
			if j, ok := seen[s[:p]]; ok {
				t.Fatalf("code of word %d has word %d's code as prefix", i, j)
			}
		}
		seen[s] = i
		for _, p := range points {
			if p < 0 || int(p) >= len(counts)-1 {
				t.Fatalf("word %d: inner node %d out of range", i, p)
			}
		}
		cost += counts[i] * int64(len(codes))
		kraft += 1 / float64(int64(1)<<len(codes))
	}
	h := &int64Heap{}
	for _, c := range counts {
		heap.Push(h, c)
	}
	for h.Len() > 1 {
		s := heap.Pop(h).(int64) + heap.Pop(h).(int64)
		want += s
		heap.Push(h, s)
	}
	if cost != want || kraft != 1 {
		t.Errorf("weighted code length %d, optimal %d; Kraft sum %v", cost, want, kraft)
	}
}

type int64Heap []int64

func (h int64Heap) Len() int           { return len(h) }
func (h int64Heap) Less(i, j int) bool { return h[i] < h[j] }
func (h int64Heap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *int64Heap) Push(x any)        { *h = append(*h, x.(int64)) }
func (h *int64Heap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
