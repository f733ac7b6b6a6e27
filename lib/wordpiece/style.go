package wordpiece

import (
	"fmt"
	"strings"
)

// Style says how a vocabulary marks where words begin. A piece either starts
// a word or continues one, and one of the two kinds carries Marker:
//
//	GNMT  (WordStart true)   _J et _makers _fe ud        the marker opens a word
//	BERT  (WordStart false)  j ##et makers fe ##ud       the marker continues a word
//
// Either way the pieces of a word, markers removed and concatenated, spell
// the word, and the marker tells where one word ends and the next begins, so
// the text (less its exact white space) can be rebuilt from the pieces.
type Style struct {
	// Marker is the marker string: "▁" (U+2581), as sentencepiece and GNMT's
	// released models write it, "_" as the GNMT paper and the talk print it,
	// or "##" for BERT.
	Marker string

	// WordStart is true when Marker begins the first piece of each word (GNMT),
	// false when it begins every piece but the first (BERT).
	WordStart bool

	// Unknown is the piece that stands for a word the vocabulary cannot spell.
	// A vocabulary may lack it (see [NewVocab]); [Train] always adds it.
	Unknown string
}

// The two marker styles. Talk is GNMT with the underscore the talk prints
// (`_J et _makers`); use it to reproduce the slide, and GNMT otherwise, since
// "▁" does not occur in ordinary text while "_" does (a "_" in the input acts
// as a word boundary, as white space does).
var (
	GNMT = Style{Marker: "▁", WordStart: true, Unknown: "<unk>"}
	BERT = Style{Marker: "##", WordStart: false, Unknown: "[UNK]"}
	Talk = Style{Marker: "_", WordStart: true, Unknown: "<unk>"}
)

// String returns "gnmt", "bert", "talk", or a description of another style.
func (s Style) String() string {
	switch s {
	case GNMT:
		return "gnmt"
	case BERT:
		return "bert"
	case Talk:
		return "talk"
	}
	kind := "continuation"
	if s.WordStart {
		kind = "word-start"
	}
	return fmt.Sprintf("%s marker %q, unknown %q", kind, s.Marker, s.Unknown)
}

// ParseStyle returns the style named "gnmt", "bert" or "talk".
func ParseStyle(name string) (Style, error) {
	switch strings.ToLower(name) {
	case "gnmt":
		return GNMT, nil
	case "bert":
		return BERT, nil
	case "talk":
		return Talk, nil
	}
	return Style{}, fmt.Errorf("wordpiece: unknown style %q (known: gnmt, bert, talk)", name)
}

// DetectStyle guesses the style of a vocabulary from its pieces: BERT when
// more pieces start with "##" than with "▁" or "_", else GNMT, or Talk when
// pieces start with "_" and none with "▁". The unknown piece is the style's
// default. [ReadVocab] calls it when given the zero Style.
func DetectStyle(pieces []string) Style {
	var hashes, blocks, unders int
	for _, p := range pieces {
		switch {
		case len(p) > len(BERT.Marker) && strings.HasPrefix(p, BERT.Marker):
			hashes++
		case strings.HasPrefix(p, GNMT.Marker):
			blocks++
		case len(p) > 1 && strings.HasPrefix(p, Talk.Marker):
			unders++
		}
	}
	switch {
	case hashes > blocks && hashes > unders:
		return BERT
	case blocks == 0 && unders > 0:
		return Talk
	}
	return GNMT
}

// strip splits a piece of this style into its text and whether it begins a
// word. A BERT piece continues a word only when something follows "##", so
// that "##" on its own is an ordinary piece (a word made of two '#').
func (s Style) strip(piece string) (text string, start bool) {
	if s.WordStart {
		if strings.HasPrefix(piece, s.Marker) {
			return piece[len(s.Marker):], true
		}
		return piece, false
	}
	if len(piece) > len(s.Marker) && strings.HasPrefix(piece, s.Marker) {
		return piece[len(s.Marker):], false
	}
	return piece, true
}

// mark is the inverse of strip: the piece for text at the start of a word or
// inside one.
func (s Style) mark(text string, start bool) string {
	if start == s.WordStart {
		return s.Marker + text
	}
	return text
}

// check panics on a style no vocabulary can use: a programming error.
func (s Style) check() {
	if s.Marker == "" || s.Unknown == "" || strings.ContainsFunc(s.Marker, isSpace) {
		panic(fmt.Sprintf("wordpiece: bad style %+v: want a marker without white space and an unknown piece", s))
	}
}
