package wordpiece

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// The position markers of GNMT's mixed word/character model (Wu et al. 2016,
// section 4.2): a word outside the vocabulary is spelled in characters, each
// prefixed with where it stands in the word.
const (
	Begin  = "<B>" // the first character of a word
	Middle = "<M>" // a character inside a word
	End    = "<E>" // the last character of a word of two or more
)

// CharTokens spells a word in position-marked characters:
//
//	Miki → <B>M <M>i <M>k <E>i
//	ab   → <B>a <E>b
//	x    → <B>x
//
// GNMT's paper does not say how to write a one-character word; here it is
// <B> alone, which keeps the spelling reversible: every spelled word has
// exactly one <B>, at its start, so a word ends at <E> or where the next
// token is not <M> or <E>. An empty word gives no tokens.
func CharTokens(word string) []string {
	n := utf8.RuneCountInString(word)
	tokens := make([]string, 0, n)
	k := 0
	for _, r := range word {
		mark := Middle
		switch {
		case k == 0:
			mark = Begin
		case k == n-1:
			mark = End
		}
		tokens = append(tokens, mark+string(r))
		k++
	}
	return tokens
}

// charMark splits a character token into its marker and character, or
// returns "" if tok is not one.
func charMark(tok string) (mark, char string) {
	if len(tok) <= len(Begin) || tok[0] != '<' || tok[2] != '>' {
		return "", ""
	}
	switch tok[:3] {
	case Begin, Middle, End:
		return tok[:3], tok[3:]
	}
	return "", ""
}

// MixedVocab is GNMT's mixed word/character vocabulary: whole words, and
// every character of the alphabet with each of the three position markers.
// A word in the vocabulary is one token; any other word is spelled with
// [CharTokens]. A character outside the alphabet becomes the unknown token
// "<unk>" (for that character only, so the rest of the word survives).
// A MixedVocab is immutable and safe for concurrent use.
type MixedVocab struct {
	tokens []string
	ids    map[string]int
	word   []bool // id -> an ordinary word (not a special or character token)
	unk    int
}

// MixedUnknown is the unknown token of a [MixedVocab].
const MixedUnknown = "<unk>"

// NewMixedVocab returns the mixed vocabulary whose token with id i is
// tokens[i]. Tokens must be distinct, non-empty, valid UTF-8 without white
// space, and include "<unk>". Tokens that start with <B>, <M> or <E> and one
// character are character tokens; tokens written <…> or […] are special;
// the rest are words.
func NewMixedVocab(tokens []string) (*MixedVocab, error) {
	return newMixedVocab(tokens, func(i int) string { return fmt.Sprintf("token %d", i) })
}

func newMixedVocab(tokens []string, where func(int) string) (*MixedVocab, error) {
	if len(tokens) == 0 {
		return nil, errors.New("wordpiece: empty vocabulary")
	}
	m := &MixedVocab{
		tokens: append([]string(nil), tokens...),
		ids:    make(map[string]int, len(tokens)),
		word:   make([]bool, len(tokens)),
		unk:    -1,
	}
	for i, tok := range m.tokens {
		if err := checkPiece(tok); err != nil {
			return nil, fmt.Errorf("wordpiece: %s: %v", where(i), err)
		}
		if j, dup := m.ids[tok]; dup {
			return nil, fmt.Errorf("wordpiece: %s: duplicate token %q (also %s)", where(i), tok, where(j))
		}
		m.ids[tok] = i
		mark, char := charMark(tok)
		switch {
		case mark != "" && utf8.RuneCountInString(char) != 1:
			return nil, fmt.Errorf("wordpiece: %s: %q: a %s token holds one character", where(i), tok, mark)
		case mark == "" && !isSpecial(tok):
			m.word[i] = true
		}
	}
	id, ok := m.ids[MixedUnknown]
	if !ok {
		return nil, fmt.Errorf("wordpiece: no unknown token %q in the vocabulary", MixedUnknown)
	}
	m.unk = id
	return m, nil
}

// ReadMixedVocab reads a mixed vocabulary, one token per line, as
// [ReadVocab] reads a wordpiece one.
func ReadMixedVocab(r io.Reader, name string) (*MixedVocab, error) {
	lines, err := readLines(r, name)
	if err != nil {
		return nil, err
	}
	return newMixedVocab(lines, func(i int) string { return fmt.Sprintf("%s:%d", name, i+1) })
}

// TrainMixed reads a corpus and returns a mixed vocabulary of size tokens:
// <unk> <s> </s>, the three character tokens of every character of the
// corpus (most frequent character first), then the most frequent words
// (ties in byte order) until the size is reached. Words are split at white
// space. Like [Train], it returns the smaller vocabulary and an error
// wrapping [ErrSmallCorpus] when the corpus has too few distinct words.
func TrainMixed(r io.Reader, name string, size int) (*MixedVocab, error) {
	counts, err := countWords(r, name, TrainConfig{}) // zero Style: split at white space only
	if err != nil {
		return nil, err
	}
	type wc struct {
		w string
		n int
	}
	var words, chars []wc
	charCount := map[rune]int{}
	for w, n := range counts {
		for _, r := range w {
			charCount[r] += n
		}
		if mark, _ := charMark(w); mark == "" && !isSpecial(w) {
			words = append(words, wc{w, n})
		}
	}
	for r, n := range charCount {
		chars = append(chars, wc{string(r), n})
	}
	byCount := func(s []wc) {
		sort.Slice(s, func(i, j int) bool {
			if s[i].n != s[j].n {
				return s[i].n > s[j].n
			}
			return s[i].w < s[j].w
		})
	}
	byCount(words)
	byCount(chars)
	tokens := []string{MixedUnknown, "<s>", "</s>"}
	for _, c := range chars {
		tokens = append(tokens, Begin+c.w, Middle+c.w, End+c.w)
	}
	if len(tokens) > size {
		return nil, fmt.Errorf("wordpiece: size %d is too small: 3 special tokens and 3 × %d characters of %s need %d", size, len(chars), name, len(tokens))
	}
	for _, w := range words {
		if len(tokens) == size {
			break
		}
		tokens = append(tokens, w.w)
	}
	m, err := NewMixedVocab(tokens)
	if err == nil && len(tokens) < size {
		err = fmt.Errorf("%w: %s has %d distinct words, %d tokens in all, not %d", ErrSmallCorpus, name, len(words), len(tokens), size)
	}
	return m, err
}

// Size returns the number of tokens.
func (m *MixedVocab) Size() int { return len(m.tokens) }

// Token returns the token with the given id; it panics if id is out of range.
func (m *MixedVocab) Token(id int) string { return m.tokens[id] }

// ID returns the id of a token, or -1.
func (m *MixedVocab) ID(tok string) int {
	if id, ok := m.ids[tok]; ok {
		return id
	}
	return -1
}

// UnknownID returns the id of "<unk>".
func (m *MixedVocab) UnknownID() int { return m.unk }

// Tokens returns a copy of the tokens in id order.
func (m *MixedVocab) Tokens() []string { return append([]string(nil), m.tokens...) }

// WriteTo writes the vocabulary one token per line, as [Vocab.WriteTo].
func (m *MixedVocab) WriteTo(w io.Writer) (int64, error) {
	v := Vocab{pieces: m.tokens}
	return v.WriteTo(w)
}

// Tokenize splits text at white space and returns each word that is in the
// vocabulary as itself and each other word as its [CharTokens].
func (m *MixedVocab) Tokenize(text string) []string {
	ids := m.Encode(text)
	tokens := make([]string, len(ids))
	for i, id := range ids {
		tokens[i] = m.tokens[id]
	}
	return tokens
}

// Encode is [MixedVocab.Tokenize] returning ids.
func (m *MixedVocab) Encode(text string) []int {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, string(utf8.RuneError))
	}
	var ids []int
	var buf []byte
	for _, w := range strings.FieldsFunc(text, isSpace) {
		if id, ok := m.ids[w]; ok && m.word[id] {
			ids = append(ids, id)
			continue
		}
		n := utf8.RuneCountInString(w)
		k := 0
		for _, r := range w {
			mark := Middle
			switch {
			case k == 0:
				mark = Begin
			case k == n-1:
				mark = End
			}
			buf = utf8.AppendRune(append(buf[:0], mark...), r)
			id, ok := m.ids[string(buf)]
			if !ok {
				id = m.unk
			}
			ids = append(ids, id)
			k++
		}
	}
	return ids
}

// Detokenize joins tokens back into text: character tokens into their words
// (a word is <B> followed by any <M> and <E>), and words with one space. For
// text without unknown characters, Detokenize(Tokenize(text)) is text with
// each run of white space turned into one space and the ends trimmed.
func (m *MixedVocab) Detokenize(tokens []string) string {
	var b strings.Builder
	for _, tok := range tokens {
		mark, char := charMark(tok)
		switch mark {
		case Middle, End:
			b.WriteString(char)
			continue
		case Begin:
			tok = char
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// Decode is [MixedVocab.Detokenize] of the tokens with the given ids.
func (m *MixedVocab) Decode(ids []int) string {
	tokens := make([]string, len(ids))
	for i, id := range ids {
		tokens[i] = m.tokens[id]
	}
	return m.Detokenize(tokens)
}
