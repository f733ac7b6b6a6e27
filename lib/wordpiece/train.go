package wordpiece

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"sort"
	"strings"
	"unicode/utf8"
)

// Algorithm chooses the pair of symbols that training merges next.
type Algorithm int

const (
	// BPE merges the most frequent adjacent pair (Sennrich, Haddow & Birch
	// 2016, "Neural Machine Translation of Rare Words with Subword Units").
	BPE Algorithm = iota

	// Likelihood merges the pair that most increases the likelihood of the
	// corpus under a unigram model of the symbols, the WordPiece criterion of
	// Schuster & Nakajima (2012), "Japanese and Korean Voice Search", used
	// for GNMT (Wu et al. 2016). With c(x) the count of symbol x in the
	// current segmentation, merging a and b changes the log-likelihood by
	// about c(ab)·log(c(ab)/(c(a)·c(b))) up to terms that do not depend on
	// the pair; the usual greedy form, and the one Hugging Face's course
	// describes for WordPiece, ranks pairs by
	//
	//	score(a, b) = c(ab) / (c(a) · c(b))
	//
	// It prefers pairs whose parts rarely occur apart, where BPE prefers
	// pairs that are merely frequent.
	Likelihood
)

// String returns "bpe" or "wordpiece".
func (a Algorithm) String() string {
	if a == Likelihood {
		return "wordpiece"
	}
	return "bpe"
}

// ParseAlgorithm returns the algorithm named "bpe", or "wordpiece" (also
// "likelihood").
func ParseAlgorithm(name string) (Algorithm, error) {
	switch strings.ToLower(name) {
	case "bpe":
		return BPE, nil
	case "wordpiece", "likelihood":
		return Likelihood, nil
	}
	return 0, fmt.Errorf("wordpiece: unknown algorithm %q (known: bpe, wordpiece)", name)
}

// TrainConfig configures [Train].
type TrainConfig struct {
	// Size is the number of pieces wanted, special pieces and the alphabet
	// included.
	Size int

	// Style is the marker style of the result; the zero value means GNMT.
	Style Style

	// Algorithm picks the pair to merge: BPE (the zero value) or Likelihood.
	Algorithm Algorithm

	// Specials are the special pieces, ids 0, 1, …; nil means the style's:
	// <unk> <s> </s> for a word-start style (sentencepiece's defaults),
	// [PAD] [UNK] [CLS] [SEP] [MASK] for BERT. They must include
	// Style.Unknown.
	Specials []string

	// Basic splits the corpus into words with BERT's [BasicTokenize]
	// (lower-casing, accent stripping, punctuation and CJK split) instead of
	// at white space: set it to train a vocabulary for [BERTTokenizer].
	Basic bool
}

// ErrSmallCorpus is wrapped by Train's error when the corpus runs out of
// pairs to merge before the vocabulary reaches its size: every distinct word
// is already a single piece. The vocabulary returned with it is complete
// otherwise.
var ErrSmallCorpus = errors.New("wordpiece: corpus too small for the vocabulary size")

// Train reads a corpus and learns a vocabulary of cfg.Size pieces from it.
// name is used in error messages ("wordpiece: corpus.txt:3: invalid UTF-8").
//
// The corpus is split into words (see [TrainConfig].Basic); words longer
// than [MaxWordChars] are left out. Each distinct word starts as a sequence
// of characters, marked in the style's way — GNMT: ▁ J e t; BERT: j ##e ##t —
// and the vocabulary starts as the special pieces and every such symbol (the
// alphabet). Training then merges, again and again, the adjacent pair of
// symbols that cfg.Algorithm ranks first, counting each word as often as it
// occurs, and adds the merged symbol to the vocabulary, until it holds
// cfg.Size pieces. Ties go to the pair whose left and then right symbol
// sorts first, so the result depends only on the corpus and cfg.
//
// The ids are: the specials, the alphabet by falling count (ties in byte
// order), then the merged pieces in the order they were made.
//
// Pair counts are kept up to date as words are rewritten, and the pairs sit
// in an indexed heap, so a merge costs time in proportion to the words that
// contain the pair, not to the corpus.
//
// If the corpus has no more pairs before the vocabulary is full, Train
// returns the smaller vocabulary and an error wrapping [ErrSmallCorpus].
func Train(r io.Reader, name string, cfg TrainConfig) (*Vocab, error) {
	if cfg.Style == (Style{}) {
		cfg.Style = GNMT
	}
	cfg.Style.check()
	if cfg.Specials == nil {
		cfg.Specials = defaultSpecials(cfg.Style)
	}
	counts, err := countWords(r, name, cfg)
	if err != nil {
		return nil, err
	}
	return trainCounts(counts, name, cfg)
}

// defaultSpecials returns the special pieces a style's vocabularies start with.
func defaultSpecials(s Style) []string {
	if s.WordStart {
		return []string{s.Unknown, "<s>", "</s>"}
	}
	return []string{"[PAD]", s.Unknown, "[CLS]", "[SEP]", "[MASK]"}
}

// countWords returns the count of every distinct word in the corpus.
func countWords(r io.Reader, name string, cfg TrainConfig) (map[string]int, error) {
	text, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("wordpiece: %s: %w", name, err)
	}
	if !utf8.Valid(text) {
		line, col := 1, 0
		for i := 0; i < len(text); {
			r, size := utf8.DecodeRune(text[i:])
			if r == utf8.RuneError && size == 1 {
				col = i - bytes.LastIndexByte(text[:i], '\n')
				break
			}
			if r == '\n' {
				line++
			}
			i += size
		}
		return nil, fmt.Errorf("wordpiece: %s:%d:%d: invalid UTF-8", name, line, col)
	}
	counts := make(map[string]int)
	add := func(w string) {
		if n, ok := counts[w]; ok {
			counts[w] = n + 1
			return
		}
		if len(w) > MaxWordChars && utf8.RuneCountInString(w) > MaxWordChars {
			return
		}
		counts[strings.Clone(w)] = 1 // not a slice of the corpus, which can then go
	}
	marker := ""
	if cfg.Style.WordStart {
		marker = cfg.Style.Marker
	}
	corpus := string(text)
	text = nil
	for len(corpus) > 0 {
		// One line at a time keeps BasicTokenize's buffers small.
		line := corpus
		if i := strings.IndexByte(corpus, '\n'); i >= 0 {
			line, corpus = corpus[:i], corpus[i+1:]
		} else {
			corpus = ""
		}
		if cfg.Basic {
			basicTokenize(line, true, BERTOriginal, func(w string, fold bool) {
				if fold {
					w = strings.ToLower(w) // ASCII
				}
				add(w)
			})
			continue
		}
		for i := 0; i < len(line); {
			if n := separator(line[i:], marker); n > 0 {
				i += n
				continue
			}
			j := i
			for j < len(line) && separator(line[j:], marker) == 0 {
				_, size := utf8.DecodeRuneInString(line[j:])
				j += size
			}
			add(line[i:j])
			i = j
		}
	}
	if len(counts) == 0 {
		return nil, fmt.Errorf("wordpiece: %s: no words: the corpus is empty", name)
	}
	return counts, nil
}

// The training state. Symbols are pieces in the making, numbered in order
// of creation; a word is a sequence of symbols with a count; a pair is two
// adjacent symbols, with its count over all words (each word weighted by its
// count) and the words it may occur in.
type trainer struct {
	style Style
	algo  Algorithm

	syms     []string         // symbol -> its piece ("▁J", "##et", "et")
	symID    map[string]int32 // piece -> symbol
	symCount []int64          // symbol -> occurrences in the current segmentation
	specials map[string]bool  // the special pieces

	words     []tword
	wordEpoch []int32 // word -> the last merge that rewrote it

	pairs  []tpair
	pairID map[uint64]int32 // a<<32 | b -> pair
	bySym  [][]int32        // symbol -> pairs it is part of (Likelihood only; may hold dead pairs)
	heap   []int32          // pairs ordered by better
	epoch  int32
}

type tword struct {
	syms  []int32
	count int64
}

type tpair struct {
	a, b  int32
	count int64   // current count
	words []int32 // words that may contain the pair (possibly repeated or stale)
	pos   int32   // index in heap, -1 if not there

	// The heap orders pairs by these, copied from count and symCount when
	// the pair is (re)placed in the heap, so that its order never changes
	// behind its back.
	kc, ka, kb int64

	epoch   int32 // the last epoch (merge) that changed the count
	listed  bool  // in bySym lists
	dropped bool  // may not be merged (see merged)
}

// trainCounts runs the merges on a word count.
func trainCounts(counts map[string]int, name string, cfg TrainConfig) (*Vocab, error) {
	t := &trainer{
		style:    cfg.Style,
		algo:     cfg.Algorithm,
		symID:    make(map[string]int32),
		specials: make(map[string]bool),
		pairID:   make(map[uint64]int32),
	}
	for _, s := range cfg.Specials {
		if err := checkPiece(s); err != nil {
			return nil, fmt.Errorf("wordpiece: special %v", err)
		}
		if t.specials[s] {
			return nil, fmt.Errorf("wordpiece: special piece %q given twice", s)
		}
		t.specials[s] = true
	}
	if !t.specials[cfg.Style.Unknown] {
		return nil, fmt.Errorf("wordpiece: the specials %q lack the unknown piece %q", cfg.Specials, cfg.Style.Unknown)
	}

	// Words in byte order, so that symbol numbers are deterministic.
	keys := make([]string, 0, len(counts))
	for w := range counts {
		keys = append(keys, w)
	}
	sort.Strings(keys)
	for _, w := range keys {
		var syms []int32
		if cfg.Style.WordStart {
			syms = append(syms, t.symbol(cfg.Style.Marker))
		}
		for i, r := range w {
			syms = append(syms, t.symbol(cfg.Style.mark(string(r), i == 0 && !cfg.Style.WordStart)))
		}
		n := int64(counts[w])
		for _, s := range syms {
			t.symCount[s] += n
		}
		t.words = append(t.words, tword{syms: syms, count: n})
	}
	t.wordEpoch = make([]int32, len(t.words))

	// The alphabet, most frequent first.
	alphabet := make([]int32, len(t.syms))
	for i := range alphabet {
		alphabet[i] = int32(i)
	}
	sort.Slice(alphabet, func(i, j int) bool {
		a, b := alphabet[i], alphabet[j]
		if t.symCount[a] != t.symCount[b] {
			return t.symCount[a] > t.symCount[b]
		}
		return t.syms[a] < t.syms[b]
	})
	pieces := append([]string(nil), cfg.Specials...)
	for _, s := range alphabet {
		if t.specials[t.syms[s]] {
			return nil, fmt.Errorf("wordpiece: special piece %q is also a character of the corpus", t.syms[s])
		}
		pieces = append(pieces, t.syms[s])
	}
	if len(pieces) > cfg.Size {
		return nil, fmt.Errorf("wordpiece: size %d is too small: the %d special pieces and the %d-symbol alphabet of %s need %d",
			cfg.Size, len(cfg.Specials), len(alphabet), name, len(pieces))
	}

	// Count the pairs and heap them.
	for w := range t.words {
		t.epoch++
		syms := t.words[w].syms
		for i := 0; i+1 < len(syms); i++ {
			t.add(syms[i], syms[i+1], t.words[w].count, int32(w))
		}
	}
	for p := range t.pairs {
		t.place(int32(p))
	}

	for len(pieces) < cfg.Size {
		if len(t.heap) == 0 {
			v, err := NewVocab(pieces, cfg.Style)
			if err != nil {
				return nil, err
			}
			return v, fmt.Errorf("%w: %s yields %d pieces, not %d (every distinct word is a single piece)", ErrSmallCorpus, name, len(pieces), cfg.Size)
		}
		p := t.heap[0]
		piece, ok := t.merged(p)
		if !ok {
			t.pairs[p].dropped = true
			t.remove(p)
			continue
		}
		if _, exists := t.symID[piece]; !exists {
			pieces = append(pieces, piece)
		}
		t.merge(p, t.symbol(piece))
	}
	return NewVocab(pieces, cfg.Style)
}

// wordStart reports whether piece begins a word in style s.
func wordStart(s Style, piece string) bool {
	_, start := s.strip(piece)
	return start
}

// symbol returns the number of a piece, making a new symbol if needed.
func (t *trainer) symbol(piece string) int32 {
	if s, ok := t.symID[piece]; ok {
		return s
	}
	s := int32(len(t.syms))
	t.syms = append(t.syms, piece)
	t.symID[piece] = s
	t.symCount = append(t.symCount, 0)
	t.bySym = append(t.bySym, nil)
	return s
}

// merged returns the piece that merging pair p makes, and whether it may be
// made. The right symbol never begins a word, so in BERT style it carries
// "##", which goes. A merge may not make a special piece, a piece that
// reads as one (<…>, […]), or, in BERT style, a word start that reads as a
// continuation ("##" + "##a" = "##a"): the vocabulary file could not tell
// them apart.
func (t *trainer) merged(p int32) (string, bool) {
	a, b := t.syms[t.pairs[p].a], t.syms[t.pairs[p].b]
	if !t.style.WordStart {
		b = b[len(t.style.Marker):]
	}
	s := a + b
	return s, !t.specials[s] && !isSpecial(s) && wordStart(t.style, s) == wordStart(t.style, a)
}

// add adds n to the count of pair (a, b), in word w. It returns the pair and
// whether this is the first change to its count in the current epoch.
func (t *trainer) add(a, b int32, n int64, w int32) (int32, bool) {
	key := uint64(uint32(a))<<32 | uint64(uint32(b))
	id, ok := t.pairID[key]
	if !ok {
		id = int32(len(t.pairs))
		t.pairs = append(t.pairs, tpair{a: a, b: b, pos: -1})
		t.pairID[key] = id
	}
	p := &t.pairs[id]
	first := p.epoch != t.epoch
	p.epoch = t.epoch
	p.count += n
	if n > 0 && (len(p.words) == 0 || p.words[len(p.words)-1] != w) {
		p.words = append(p.words, w)
	}
	if t.algo == Likelihood && !p.listed && p.count > 0 {
		p.listed = true
		t.bySym[a] = append(t.bySym[a], id)
		if b != a {
			t.bySym[b] = append(t.bySym[b], id)
		}
	}
	return id, first
}

// merge replaces every occurrence of pair p = (a, b) by symbol n and updates
// the counts and the heap.
func (t *trainer) merge(p, n int32) {
	a, b := t.pairs[p].a, t.pairs[p].b
	t.epoch++
	var touched []int32
	touch := func(x, y int32, d int64, w int32) {
		if id, first := t.add(x, y, d, w); first {
			touched = append(touched, id)
		}
	}
	var merges int64
	words := t.pairs[p].words
	t.pairs[p].words = nil
	for _, w := range words {
		if t.wordEpoch[w] == t.epoch {
			continue
		}
		t.wordEpoch[w] = t.epoch
		syms, f := t.words[w].syms, t.words[w].count
		out := syms[:0] // rewritten in place: out never overtakes the reading position
		for i := 0; i < len(syms); {
			if i+1 < len(syms) && syms[i] == a && syms[i+1] == b {
				if len(out) > 0 {
					prev := out[len(out)-1]
					touch(prev, a, -f, w) // prev may be n itself: "a b a b"
					touch(prev, n, f, w)
				}
				if i+2 < len(syms) {
					touch(b, syms[i+2], -f, w)
					touch(n, syms[i+2], f, w)
				}
				touch(a, b, -f, w)
				out = append(out, n)
				merges += f
				i += 2
				continue
			}
			out = append(out, syms[i])
			i++
		}
		t.words[w].syms = out
	}
	t.symCount[a] -= merges
	t.symCount[b] -= merges
	t.symCount[n] += merges

	for _, id := range touched {
		t.place(id)
	}
	if t.algo == Likelihood {
		// c(a), c(b) fell and c(n) rose: every pair with one of them has a
		// new score.
		for _, s := range [3]int32{a, b, n} {
			list := t.bySym[s][:0]
			for _, id := range t.bySym[s] {
				if t.pairs[id].count > 0 {
					list = append(list, id)
					t.place(id)
				} else {
					t.pairs[id].listed = false
				}
			}
			t.bySym[s] = list
		}
	}
}

// place puts pair p where its current count and score belong in the heap:
// in, out, up or down.
func (t *trainer) place(p int32) {
	q := &t.pairs[p]
	if q.count <= 0 || q.dropped {
		if q.pos >= 0 {
			t.remove(p)
		}
		return
	}
	q.kc, q.ka, q.kb = q.count, t.symCount[q.a], t.symCount[q.b]
	if q.pos < 0 {
		q.pos = int32(len(t.heap))
		t.heap = append(t.heap, p)
		t.up(int(q.pos))
		return
	}
	if !t.up(int(q.pos)) {
		t.down(int(q.pos))
	}
}

// remove takes pair p out of the heap.
func (t *trainer) remove(p int32) {
	i := int(t.pairs[p].pos)
	last := len(t.heap) - 1
	t.swap(i, last)
	t.heap = t.heap[:last]
	t.pairs[p].pos = -1
	if i < last {
		if !t.up(i) {
			t.down(i)
		}
	}
}

// better reports whether pair p ranks before pair q: higher score, then
// (Likelihood) higher count, then the left and right pieces in byte order.
func (t *trainer) better(p, q int32) bool {
	x, y := &t.pairs[p], &t.pairs[q]
	if t.algo == Likelihood {
		// kc_x/(ka_x·kb_x) vs kc_y/(ka_y·kb_y), cross-multiplied exactly.
		if c := cmp192(mul3(x.kc, y.ka, y.kb), mul3(y.kc, x.ka, x.kb)); c != 0 {
			return c > 0
		}
	}
	if x.kc != y.kc {
		return x.kc > y.kc
	}
	if sa, sb := t.syms[x.a], t.syms[y.a]; sa != sb {
		return sa < sb
	}
	return t.syms[x.b] < t.syms[y.b]
}

// mul3 returns x·y·z for non-negative x, y, z as a 192-bit number, most
// significant word first.
func mul3(x, y, z int64) [3]uint64 {
	hi, lo := bits.Mul64(uint64(x), uint64(y))
	h1, l1 := bits.Mul64(lo, uint64(z))
	h2, l2 := bits.Mul64(hi, uint64(z))
	mid, carry := bits.Add64(l2, h1, 0)
	return [3]uint64{h2 + carry, mid, l1}
}

func cmp192(x, y [3]uint64) int {
	for i := range x {
		if x[i] != y[i] {
			if x[i] > y[i] {
				return 1
			}
			return -1
		}
	}
	return 0
}

func (t *trainer) swap(i, j int) {
	t.heap[i], t.heap[j] = t.heap[j], t.heap[i]
	t.pairs[t.heap[i]].pos = int32(i)
	t.pairs[t.heap[j]].pos = int32(j)
}

// up moves heap[i] towards the root while it ranks before its parent, and
// reports whether it moved.
func (t *trainer) up(i int) bool {
	moved := false
	for i > 0 {
		parent := (i - 1) / 2
		if !t.better(t.heap[i], t.heap[parent]) {
			break
		}
		t.swap(i, parent)
		i, moved = parent, true
	}
	return moved
}

// down moves heap[i] towards the leaves while a child ranks before it.
func (t *trainer) down(i int) {
	n := len(t.heap)
	for {
		best, l := i, 2*i+1
		if l < n && t.better(t.heap[l], t.heap[best]) {
			best = l
		}
		if r := l + 1; r < n && t.better(t.heap[r], t.heap[best]) {
			best = r
		}
		if best == i {
			return
		}
		t.swap(i, best)
		i = best
	}
}
