package word2vec

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// Vocab is the training vocabulary: the words seen at least MinCount times,
// most frequent first (ties in order of first appearance), with their
// counts and, for hierarchical softmax, their Huffman codes.
type Vocab struct {
	words  []string
	counts []int64
	index  map[string]int32
	total  int64 // Σ counts: the words of one epoch, T in the sub-sampling formula
	bytes  int64 // the corpus size, for splitting it into parts
	tokens int64 // every word of the corpus, kept or not

	// The Huffman tree (built only for hierarchical softmax): word i's code
	// is codes[codeStart[i]:codeStart[i+1]], a path of 0/1 branches from the
	// root, and points[...] the inner nodes on that path, numbered 0..V−2
	// (the rows of the output matrix), root first.
	codeStart []int32
	codes     []uint8
	points    []int32
}

// Len is the number of words.
func (v *Vocab) Len() int { return len(v.words) }

// Word returns word i.
func (v *Vocab) Word(i int) string { return v.words[i] }

// Count returns how often word i occurs in the corpus.
func (v *Vocab) Count(i int) int64 { return v.counts[i] }

// Index returns the index of word, or −1 when it is not in the vocabulary.
func (v *Vocab) Index(word string) int {
	if i, ok := v.index[word]; ok {
		return int(i)
	}
	return -1
}

// Total is the number of corpus words that are in the vocabulary: the words
// one epoch trains on before sub-sampling.
func (v *Vocab) Total() int64 { return v.total }

// CorpusWords is the number of words in the corpus, min-count or not.
func (v *Vocab) CorpusWords() int64 { return v.tokens }

// ErrEmptyCorpus is wrapped by the error for a corpus with no words.
var ErrEmptyCorpus = errors.New("word2vec: the corpus has no words")

// ErrNoVocabulary is wrapped by the error for a corpus where no word occurs
// min-count times.
var ErrNoVocabulary = errors.New("word2vec: no word reaches the minimum count")

// BuildVocab reads the corpus once and keeps the words that occur at least
// minCount times. Its memory is O(distinct words).
func BuildVocab(c *Corpus, minCount int) (*Vocab, error) {
	if minCount < 1 {
		minCount = 1
	}
	r, err := c.open()
	if err != nil {
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	defer r.Close()
	type entry struct {
		word  string
		count int64
	}
	var entries []entry
	seen := map[string]int32{}
	wr := newWordReader(r, c.split, 0, -1)
	var tokens int64
	for {
		w, eos, err := wr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("word2vec: %s: %w", c.name, err)
		}
		if eos {
			continue
		}
		tokens++
		if i, ok := seen[string(w)]; ok { // no allocation: the compiler reuses w's bytes
			entries[i].count++
			continue
		}
		seen[string(w)] = int32(len(entries))
		entries = append(entries, entry{string(w), 1})
	}
	if tokens == 0 {
		return nil, fmt.Errorf("%w: %s", ErrEmptyCorpus, c.name)
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].count > entries[j].count })
	n := sort.Search(len(entries), func(i int) bool { return entries[i].count < int64(minCount) })
	if n == 0 {
		return nil, fmt.Errorf("%w: %s has %d words, %d distinct, the most frequent %q %d times; min-count is %d",
			ErrNoVocabulary, c.name, tokens, len(entries), entries[0].word, entries[0].count, minCount)
	}
	v := &Vocab{
		words:  make([]string, n),
		counts: make([]int64, n),
		index:  make(map[string]int32, n),
		bytes:  wr.pos,
		tokens: tokens,
	}
	for i, e := range entries[:n] {
		v.words[i], v.counts[i], v.index[e.word] = e.word, e.count, int32(i)
		v.total += e.count
	}
	return v, nil
}

// buildHuffman builds the Huffman tree of the counts as word2vec.c's
// CreateBinaryTree does: with the counts sorted in decreasing order, the
// two smallest nodes are found by walking two queues — the leaves from the
// end, the new inner nodes from the start — so it runs in O(V). Frequent
// words get short codes: a word's hierarchical-softmax cost is its depth.
func (v *Vocab) buildHuffman() {
	n := len(v.counts)
	v.codeStart = make([]int32, n+1)
	if n < 2 {
		return // one word: an empty code, nothing to predict
	}
	// count[n:] holds the inner nodes as they are made; until then their
	// count is larger than any (word2vec.c fills them with 1e15).
	count := make([]int64, 2*n)
	copy(count, v.counts)
	for i := n; i < len(count); i++ {
		count[i] = math.MaxInt64
	}
	parent := make([]int32, 2*n-1)
	branch := make([]uint8, 2*n-1)
	leaf, inner := n-1, n // next leaf to take (backwards), next inner node (forwards)
	pick := func() int {
		if leaf >= 0 && count[leaf] < count[inner] {
			leaf--
			return leaf + 1
		}
		inner++
		return inner - 1
	}
	next := n // the inner node being made
	for a := 0; a < n-1; a++ {
		min1 := pick()
		min2 := pick()
		count[next] = count[min1] + count[min2]
		parent[min1], parent[min2] = int32(next), int32(next)
		branch[min2] = 1
		next++
	}
	root := 2*n - 2
	var path []int32
	for i := 0; i < n; i++ {
		path = path[:0]
		for b := i; b != root; b = int(parent[b]) {
			path = append(path, int32(b))
		}
		// path runs leaf → root; the code runs root → leaf.
		for k := len(path) - 1; k >= 0; k-- {
			b := path[k]
			v.codes = append(v.codes, branch[b])
			v.points = append(v.points, parent[b]-int32(n))
		}
		v.codeStart[i+1] = int32(len(v.codes))
	}
}

// code returns word i's Huffman code and the inner nodes on its path.
func (v *Vocab) code(i int) (codes []uint8, points []int32) {
	s, e := v.codeStart[i], v.codeStart[i+1]
	return v.codes[s:e], v.points[s:e]
}
