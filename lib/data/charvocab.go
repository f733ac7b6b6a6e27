package data

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// CharVocab maps characters (Unicode code points, runes) to ids 0..Size()-1.
// It is what char-rnn and nanoGPT's shakespeare_char build: the sorted set of
// distinct characters of the training text.
//
// A CharVocab is immutable once built and safe for concurrent use.
type CharVocab struct {
	runes []rune       // id -> rune
	ids   map[rune]int // rune -> id
}

// NewCharVocab returns the vocabulary of the distinct runes of text, with ids
// in increasing rune order, so that the same text always gives the same ids.
// Invalid UTF-8 bytes read as U+FFFD, as they do in a range loop.
func NewCharVocab(text string) *CharVocab {
	seen := make(map[rune]bool)
	var runes []rune
	for _, r := range text {
		if !seen[r] {
			seen[r] = true
			runes = append(runes, r)
		}
	}
	sort.Slice(runes, func(i, j int) bool { return runes[i] < runes[j] })
	return newCharVocab(runes)
}

func newCharVocab(runes []rune) *CharVocab {
	ids := make(map[rune]int, len(runes))
	for i, r := range runes {
		ids[r] = i
	}
	return &CharVocab{runes: runes, ids: ids}
}

// CharVocabFromString restores a vocabulary saved with [CharVocab.String]:
// the i-th character of s gets id i. The order is kept as given, not sorted,
// so ids match the model that was saved with them. It returns an error if s is
// not valid UTF-8 or repeats a character.
func CharVocabFromString(s string) (*CharVocab, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("data: character vocabulary is not valid UTF-8")
	}
	runes := []rune(s)
	first := make(map[rune]int, len(runes))
	for i, r := range runes {
		if j, dup := first[r]; dup {
			return nil, fmt.Errorf("data: character vocabulary repeats %q (U+%04X) at ids %d and %d", r, r, j, i)
		}
		first[r] = i
	}
	v := &CharVocab{runes: runes, ids: first}
	return v, nil
}

// Size returns the number of characters, V: ids run from 0 to V-1.
func (v *CharVocab) Size() int { return len(v.runes) }

// ID returns the id of r and whether r is in the vocabulary.
func (v *CharVocab) ID(r rune) (int, bool) {
	id, ok := v.ids[r]
	return id, ok
}

// Rune returns the character with the given id. It panics if id is outside
// 0..Size()-1.
func (v *CharVocab) Rune(id int) rune {
	if id < 0 || id >= len(v.runes) {
		panic(fmt.Sprintf("data: character id %d out of range [0,%d)", id, len(v.runes)))
	}
	return v.runes[id]
}

// Runes returns the characters in id order. The slice is a copy.
func (v *CharVocab) Runes() []rune {
	return append([]rune(nil), v.runes...)
}

// String returns the characters in id order as one string; pass it to
// [CharVocabFromString] to get the same vocabulary back. It is the form to
// keep in a checkpoint's metadata.
func (v *CharVocab) String() string { return string(v.runes) }

// Encode returns the id of each character of s, one id per rune. A character
// that is not in the vocabulary is an error naming it and its byte offset in
// s. Invalid UTF-8 bytes read as U+FFFD, which is an error unless the
// vocabulary has U+FFFD (because it was built from a text with invalid bytes).
func (v *CharVocab) Encode(s string) ([]int, error) {
	ids := make([]int, 0, len(s)) // len(s) bytes >= runes; exact for ASCII
	for off, r := range s {
		id, ok := v.ids[r]
		if !ok {
			if r == utf8.RuneError && !strings.HasPrefix(s[off:], "\uFFFD") {
				return nil, fmt.Errorf("data: invalid UTF-8 (byte %#02x) at byte offset %d", s[off], off)
			}
			return nil, fmt.Errorf("data: character %q (U+%04X) at byte offset %d is not in the vocabulary", r, r, off)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Decode returns the text of ids. It panics on an id outside 0..Size()-1,
// which can only come from a bug (a model samples within its vocabulary).
func (v *CharVocab) Decode(ids []int) string {
	var b strings.Builder
	b.Grow(len(ids))
	for _, id := range ids {
		b.WriteRune(v.Rune(id))
	}
	return b.String()
}
