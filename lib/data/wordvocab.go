package data

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The special ids of every [WordVocab]. They are fixed so that code can use
// them without a vocabulary in hand (a padded batch is filled with PadID, a
// decoder starts from BOSID and stops at EOSID).
const (
	PadID = 0 // padding after the end of a short sequence
	UnkID = 1 // any word not in the vocabulary
	BOSID = 2 // beginning of sentence
	EOSID = 3 // end of sentence

	// NumSpecial is the number of special ids; ordinary words start here.
	NumSpecial = 4
)

// The special tokens, as they appear in a vocabulary file and in Decode's
// output. The spellings are those of fairseq and OpenNMT.
const (
	PadToken = "<pad>"
	UnkToken = "<unk>"
	BOSToken = "<s>"
	EOSToken = "</s>"
)

// specials lists the special tokens by id.
var specials = [NumSpecial]string{PadToken, UnkToken, BOSToken, EOSToken}

// WordVocab maps words to ids. Ids 0..3 are the special tokens (see [PadID]);
// ordinary words follow, most frequent first. A WordVocab is immutable once
// built and safe for concurrent use.
type WordVocab struct {
	words  []string       // id -> word
	ids    map[string]int // word -> id
	counts []int          // id -> count in the corpus it was built from; 0 for specials
}

// BuildWordVocab counts the words of sentences and returns their vocabulary:
// the four special tokens, then every word seen at least minCount times, most
// frequent first and in byte order among equal counts (so the ids are
// deterministic), cut so that Size() is at most maxSize. minCount <= 1 keeps
// every word; maxSize <= 0 means no limit.
//
// Empty strings and the special tokens themselves are not counted. Words are
// kept as given: lower-case them first (see [TokenizeLower]) for a
// case-insensitive vocabulary.
//
// It panics if maxSize is between 1 and NumSpecial-1, too small for the
// special tokens.
func BuildWordVocab(sentences [][]string, minCount, maxSize int) *WordVocab {
	counts := make(map[string]int)
	for _, s := range sentences {
		for _, w := range s {
			counts[w]++
		}
	}
	return BuildWordVocabFromCounts(counts, minCount, maxSize)
}

// BuildWordVocabFromCounts is [BuildWordVocab] for words already counted, for
// a corpus too large to hold as sentences: counts maps each word to its
// frequency.
func BuildWordVocabFromCounts(counts map[string]int, minCount, maxSize int) *WordVocab {
	if maxSize > 0 && maxSize < NumSpecial {
		panic(fmt.Sprintf("data: maxSize %d leaves no room for the %d special tokens", maxSize, NumSpecial))
	}
	type wc struct {
		w string
		c int
	}
	var list []wc
	for w, c := range counts {
		if w == "" || isSpecial(w) || c < minCount || c <= 0 {
			continue
		}
		list = append(list, wc{w, c})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].c != list[j].c {
			return list[i].c > list[j].c
		}
		return list[i].w < list[j].w
	})
	if maxSize > 0 && len(list) > maxSize-NumSpecial {
		list = list[:maxSize-NumSpecial]
	}
	v := newWordVocab(NumSpecial + len(list))
	for _, e := range list {
		v.add(e.w, e.c)
	}
	return v
}

// newWordVocab returns a vocabulary holding only the special tokens, with
// room for n words in all.
func newWordVocab(n int) *WordVocab {
	v := &WordVocab{
		words:  make([]string, 0, n),
		ids:    make(map[string]int, n),
		counts: make([]int, 0, n),
	}
	for _, w := range specials {
		v.add(w, 0)
	}
	return v
}

func (v *WordVocab) add(w string, count int) {
	v.ids[w] = len(v.words)
	v.words = append(v.words, w)
	v.counts = append(v.counts, count)
}

func isSpecial(w string) bool {
	for _, s := range specials {
		if w == s {
			return true
		}
	}
	return false
}

// Size returns the number of ids, V, special tokens included.
func (v *WordVocab) Size() int { return len(v.words) }

// ID returns the id of word, or UnkID if the word is not in the vocabulary.
func (v *WordVocab) ID(word string) int {
	if id, ok := v.ids[word]; ok {
		return id
	}
	return UnkID
}

// Word returns the word with the given id. It panics if id is outside
// 0..Size()-1.
func (v *WordVocab) Word(id int) string {
	if id < 0 || id >= len(v.words) {
		panic(fmt.Sprintf("data: word id %d out of range [0,%d)", id, len(v.words)))
	}
	return v.words[id]
}

// Words returns every word in id order, special tokens first. The slice is a
// copy.
func (v *WordVocab) Words() []string {
	return append([]string(nil), v.words...)
}

// Count returns how often word occurred in the corpus the vocabulary was built
// from (or the count its file recorded); 0 for special tokens and unknown
// words.
func (v *WordVocab) Count(word string) int {
	if id, ok := v.ids[word]; ok {
		return v.counts[id]
	}
	return 0
}

// Encode returns the id of each word, UnkID for unknown ones. It adds no
// BOSID or EOSID: append them yourself where the model needs them.
func (v *WordVocab) Encode(words []string) []int {
	ids := make([]int, len(words))
	for i, w := range words {
		ids[i] = v.ID(w)
	}
	return ids
}

// Decode returns the word of each id, special tokens included as their
// spellings ("<unk>", "</s>", ...). It panics on an id outside 0..Size()-1.
func (v *WordVocab) Decode(ids []int) []string {
	words := make([]string, len(ids))
	for i, id := range ids {
		words[i] = v.Word(id)
	}
	return words
}

// WriteTo writes the vocabulary one word per line in id order: the special
// tokens alone, then each word with its count after a tab,
//
//	<pad>
//	<unk>
//	<s>
//	</s>
//	the	1234
//	of	987
//
// which [ReadWordVocab] reads back. It returns an error, before writing
// anything, if a word contains a tab, a line break or invalid UTF-8 and so
// cannot be written one per line.
func (v *WordVocab) WriteTo(w io.Writer) (int64, error) {
	for id, word := range v.words {
		if strings.ContainsAny(word, "\t\r\n") || !utf8.ValidString(word) {
			return 0, fmt.Errorf("data: word %d %q cannot be written one per line", id, word)
		}
	}
	bw := bufio.NewWriter(w)
	var n int64
	for id, word := range v.words {
		var m int
		var err error
		if id < NumSpecial {
			m, err = fmt.Fprintf(bw, "%s\n", word)
		} else {
			m, err = fmt.Fprintf(bw, "%s\t%d\n", word, v.counts[id])
		}
		n += int64(m)
		if err != nil {
			return n, fmt.Errorf("data: writing vocabulary: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("data: writing vocabulary: %w", err)
	}
	return n, nil
}

// ReadWordVocab reads a vocabulary written by [WordVocab.WriteTo], or any file
// of one word per line in id order, each optionally followed by a tab and its
// count. The first four lines must be the special tokens <pad>, <unk>, <s>,
// </s> in that order, so that the special ids hold. name is used in errors,
// which give the line: an empty line, a repeated word, a bad count or a
// missing special token. A count on a special token's line is ignored. CRLF
// line ends and a leading byte-order mark are accepted.
func ReadWordVocab(r io.Reader, name string) (*WordVocab, error) {
	v := newWordVocab(0)
	lr := newLineReader(r, name)
	firstLine := make(map[string]int) // word -> line, for duplicate errors
	n := 0                            // lines read
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		word, count, perr := parseVocabLine(line)
		if perr != "" {
			return nil, lr.errorf("%s", perr)
		}
		if n < NumSpecial {
			if word != specials[n] {
				return nil, lr.errorf("missing special token: want %q (id %d), got %q", specials[n], n, word)
			}
			firstLine[word] = lr.line
			n++
			continue
		}
		if first, dup := firstLine[word]; dup {
			return nil, lr.errorf("duplicate word %q (first on line %d)", word, first)
		}
		firstLine[word] = lr.line
		v.add(word, count)
		n++
	}
	if n < NumSpecial {
		return nil, fmt.Errorf("data: %s: missing special token %q (id %d): a vocabulary starts with %s",
			name, specials[n], n, strings.Join(specials[:], ", "))
	}
	return v, nil
}

// parseVocabLine splits "word" or "word<TAB>count". A non-empty problem
// describes what is wrong with the line.
func parseVocabLine(line string) (word string, count int, problem string) {
	if line == "" {
		return "", 0, "empty line"
	}
	word, c, hasCount := strings.Cut(line, "\t")
	if word == "" {
		return "", 0, "empty word before the tab"
	}
	if strings.Contains(word, "\r") {
		// A stray carriage return, as in "word\r\r\n": WriteTo could not write it back.
		return "", 0, fmt.Sprintf("word %q contains a carriage return", word)
	}
	if !hasCount {
		return word, 0, ""
	}
	count, err := strconv.Atoi(c)
	if err != nil || count < 0 {
		return "", 0, fmt.Sprintf("bad count %q for word %q: want word<TAB>count with a non-negative integer count", c, word)
	}
	return word, count, ""
}
