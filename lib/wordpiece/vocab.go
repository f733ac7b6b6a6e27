package wordpiece

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxWordChars is the longest word, in characters (runes), that Tokenize
// splits into pieces; a longer word becomes the unknown piece. It is BERT's
// max_input_chars_per_word, and it bounds the work per word.
const MaxWordChars = 100

// Vocab is a wordpiece vocabulary: pieces and their ids (the line numbers of
// vocab.txt, from 0), in one [Style]. It tokenises by greedy longest match.
// A Vocab is immutable and safe for concurrent use.
type Vocab struct {
	style   Style
	pieces  []string       // id -> piece as written in the file
	ids     map[string]int // piece -> id
	special []bool         // id -> a special piece (see isSpecial)
	unk     int            // id of style.Unknown, -1 if the vocabulary has none

	// The matchable pieces, markers removed: start holds those that begin a
	// word, cont those that continue one. GNMT's lone marker "▁" is start's
	// empty key.
	start, cont trie
}

// NewVocab returns the vocabulary whose piece with id i is pieces[i]. Pieces
// must be distinct, non-empty, valid UTF-8 without white space. The unknown
// piece, style.Unknown, is found without regard to ASCII case, since some
// copies of BERT's vocabulary spell it "[unk]". A vocabulary may lack it —
// the talk's thirteen pieces are a whole vocabulary for its sentence — and
// then UnknownID is -1 and only [Vocab.EncodeStrict] can say that a word
// has no spelling.
//
// Pieces written <…> or […] ("<unk>", "<s>", "[CLS]", "[unused0]") are
// special: Tokenize never produces them from text, except the unknown piece
// for a word it cannot spell, and Detokenize writes each as a word of its own.
func NewVocab(pieces []string, style Style) (*Vocab, error) {
	return newVocab(pieces, style, func(i int) string { return fmt.Sprintf("piece %d", i) })
}

// newVocab builds a Vocab; where(i) names piece i in error messages ("piece
// 3" or "vocab.txt:4").
func newVocab(pieces []string, style Style, where func(i int) string) (*Vocab, error) {
	style.check()
	v := &Vocab{
		style:   style,
		pieces:  append([]string(nil), pieces...),
		ids:     make(map[string]int, len(pieces)),
		special: make([]bool, len(pieces)),
		unk:     -1,
	}
	if len(pieces) == 0 {
		return nil, errors.New("wordpiece: empty vocabulary")
	}
	var startKeys, contKeys []string
	var startIDs, contIDs []int32
	for i, p := range v.pieces {
		if err := checkPiece(p); err != nil {
			return nil, fmt.Errorf("wordpiece: %s: %v", where(i), err)
		}
		if j, dup := v.ids[p]; dup {
			return nil, fmt.Errorf("wordpiece: %s: duplicate piece %q (also %s)", where(i), p, where(j))
		}
		v.ids[p] = i
		if isSpecial(p) {
			v.special[i] = true
			continue
		}
		text, start := style.strip(p)
		if start {
			startKeys, startIDs = append(startKeys, text), append(startIDs, int32(i))
		} else {
			contKeys, contIDs = append(contKeys, text), append(contIDs, int32(i))
		}
	}
	if id, ok := v.ids[style.Unknown]; ok {
		v.unk = id
	} else {
		for i, p := range v.pieces {
			if v.special[i] && strings.EqualFold(p, style.Unknown) {
				v.unk = i
				v.style.Unknown = p
				break
			}
		}
	}
	if v.unk >= 0 {
		v.special[v.unk] = true
	}
	v.start = buildTrie(startKeys, startIDs)
	v.cont = buildTrie(contKeys, contIDs)
	return v, nil
}

// checkPiece says what is wrong with a vocabulary entry, or nil.
func checkPiece(p string) error {
	switch {
	case p == "":
		return errors.New("empty piece")
	case !utf8.ValidString(p):
		return fmt.Errorf("piece %q is not valid UTF-8", p)
	case strings.ContainsFunc(p, isSpace):
		return fmt.Errorf("piece %q contains white space", p)
	}
	return nil
}

// isSpecial reports whether a piece is a control token such as <unk>, </s>,
// [CLS] or [unused7], rather than a piece of text.
func isSpecial(p string) bool {
	if len(p) < 3 {
		return false
	}
	first, last := p[0], p[len(p)-1]
	return first == '<' && last == '>' || first == '[' && last == ']'
}

// isSpace is the white space that separates words: Unicode's White_Space
// property, as [unicode.IsSpace] and Python's str.split see it (except for
// U+001C–U+001F, which Python also splits on).
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// ReadVocab reads a vocabulary in vocab.txt form: one piece per line, the
// line number (from 0) being its id, as BERT's and this package's files are
// written. A tab ends the piece, so sentencepiece's .vocab files ("▁the\t-3.1")
// read too; white space around a piece is ignored, as BERT's load_vocab does.
// name is used in error messages, which give the line: "wordpiece:
// vocab.txt:7: duplicate piece "the" (also vocab.txt:3)".
//
// The zero Style means "guess it from the pieces" ([DetectStyle]).
func ReadVocab(r io.Reader, name string, style Style) (*Vocab, error) {
	pieces, err := readLines(r, name)
	if err != nil {
		return nil, err
	}
	if style == (Style{}) {
		style = DetectStyle(pieces)
	}
	return newVocab(pieces, style, func(i int) string { return fmt.Sprintf("%s:%d", name, i+1) })
}

// readLines returns the entries of a vocabulary file, one per line.
func readLines(r io.Reader, name string) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var lines []string
	for sc.Scan() {
		s := sc.Text()
		if i := strings.IndexByte(s, '\t'); i >= 0 {
			s = s[:i]
		}
		s = strings.TrimFunc(s, isSpace)
		if err := checkPiece(s); err != nil {
			return nil, fmt.Errorf("wordpiece: %s:%d: %v", name, len(lines)+1, err)
		}
		lines = append(lines, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("wordpiece: %s:%d: %w", name, len(lines)+1, err)
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("wordpiece: %s: empty file: want one piece per line", name)
	}
	return lines, nil
}

// WriteTo writes the vocabulary in vocab.txt form, one piece per line in id
// order, which [ReadVocab] reads back to an equal Vocab.
func (v *Vocab) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriter(w)
	var n int64
	for _, p := range v.pieces {
		k, _ := bw.WriteString(p)
		bw.WriteByte('\n')
		n += int64(k) + 1
	}
	return n, bw.Flush()
}

// Size returns the number of pieces; ids run from 0 to Size()-1.
func (v *Vocab) Size() int { return len(v.pieces) }

// Style returns the vocabulary's marker style, with Unknown spelled as in the
// vocabulary.
func (v *Vocab) Style() Style { return v.style }

// Piece returns the piece with the given id. It panics if id is out of range.
func (v *Vocab) Piece(id int) string { return v.pieces[id] }

// ID returns the id of a piece, or -1 if it is not in the vocabulary.
func (v *Vocab) ID(piece string) int {
	if id, ok := v.ids[piece]; ok {
		return id
	}
	return -1
}

// UnknownID returns the id of the unknown piece, or -1 if the vocabulary has
// none.
func (v *Vocab) UnknownID() int { return v.unk }

// Pieces returns a copy of the pieces in id order.
func (v *Vocab) Pieces() []string { return append([]string(nil), v.pieces...) }

// BUG(wordpiece): Vocab.Tokenize splits at Unicode white space, where BERT's
// whitespace_tokenize (Python's str.split) also splits at U+001C–U+001F. The
// difference never shows through BERTTokenizer, which drops those controls
// first.

// Tokenize splits text into words at white space (and, in a word-start style,
// at the marker too, as sentencepiece does) and each word into pieces by
// greedy longest match: the longest piece that begins the word, then the
// longest that continues it from there, and so on. A word that cannot be
// spelled that way, or that is longer than [MaxWordChars], becomes the
// unknown piece (Style().Unknown, even when the vocabulary lacks it: see
// [Vocab.EncodeStrict]). Invalid UTF-8 is read as U+FFFD.
//
// This is BERT's WordpieceTokenizer for a BERT-style vocabulary; see
// [BERTTokenizer] for BERT's whole pipeline (lower-casing, punctuation).
func (v *Vocab) Tokenize(text string) []string {
	ids, _ := v.encode(nil, text, false)
	return v.tokens(ids)
}

// tokens returns the pieces with the given ids, Style().Unknown for -1.
func (v *Vocab) tokens(ids []int) []string {
	pieces := make([]string, len(ids))
	for i, id := range ids {
		if id < 0 {
			pieces[i] = v.style.Unknown
			continue
		}
		pieces[i] = v.pieces[id]
	}
	return pieces
}

// Encode is [Vocab.Tokenize] returning ids. A word that cannot be spelled is
// UnknownID(), which is -1 for a vocabulary without an unknown piece.
func (v *Vocab) Encode(text string) []int {
	// A piece averages about 4 bytes of English text; one allocation
	// usually suffices.
	ids, _ := v.encode(make([]int, 0, len(text)/4+1), text, false)
	return ids
}

// EncodeStrict is [Vocab.Encode] for text whose every word must be spelled:
// the first word that cannot be returns a *[SegmentError] naming it, and no
// ids. It is the way to tokenise with a vocabulary that has no unknown
// piece.
func (v *Vocab) EncodeStrict(text string) ([]int, error) {
	return v.encode(make([]int, 0, len(text)/4+1), text, true)
}

// SegmentError says why [Vocab.EncodeStrict] or
// [BERTTokenizer.EncodeStrict] could not split a word into pieces.
type SegmentError struct {
	Word string // the word as the vocabulary saw it (lower-cased by an uncased BERTTokenizer)
	// At is the character (rune) index in Word from which no piece of the
	// vocabulary matches, or -1 when Word is longer than Max characters.
	At, Max int
}

func (e *SegmentError) Error() string {
	if e.At < 0 {
		return fmt.Sprintf("wordpiece: cannot segment %q: longer than %d characters", e.Word, e.Max)
	}
	rest := []rune(e.Word)[e.At:]
	return fmt.Sprintf("wordpiece: cannot segment %q: no piece matches %q (character %d)", e.Word, string(rest), e.At+1)
}

// segmentError explains why encodeWord failed on word.
func (v *Vocab) segmentError(word string, fold bool, max int) error {
	if fold {
		word = strings.ToLower(word) // ASCII: see basicTokenize
	}
	if utf8.RuneCountInString(word) > max {
		return &SegmentError{Word: word, At: -1, Max: max}
	}
	// encodeWord's walk, stopping where it fails.
	pos := 0
	if id, end := v.start.longest(word, 0, false); id >= 0 {
		for pos = end; pos < len(word); pos = end {
			id, end = v.cont.longest(word, pos, false)
			if id < 0 || end == pos {
				break
			}
		}
	}
	return &SegmentError{Word: word, At: utf8.RuneCountInString(word[:pos]), Max: max}
}

// encode appends the ids of text's pieces to dst. If strict, a word that
// cannot be spelled is an error, else the unknown id.
func (v *Vocab) encode(dst []int, text string, strict bool) ([]int, error) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, string(utf8.RuneError))
	}
	marker := ""
	if v.style.WordStart {
		marker = v.style.Marker
	}
	for i := 0; i < len(text); {
		// Skip separators, then take the word up to the next one.
		n := separator(text[i:], marker)
		if n > 0 {
			i += n
			continue
		}
		j := i
		for j < len(text) {
			if c := text[j]; c < utf8.RuneSelf && c != ' ' && (c < '\t' || c > '\r') && (marker == "" || c != marker[0]) {
				j++ // fast path: an ASCII byte that separates nothing
				continue
			}
			if separator(text[j:], marker) > 0 {
				break
			}
			_, size := utf8.DecodeRuneInString(text[j:])
			j += size
		}
		var ok bool
		if dst, ok = v.encodeWord(dst, text[i:j], false, MaxWordChars); !ok {
			if strict {
				return nil, v.segmentError(text[i:j], false, MaxWordChars)
			}
			dst = append(dst, v.unk)
		}
		i = j
	}
	return dst, nil
}

// separator returns the length of the separator at the start of s (a white
// space rune or the marker), or 0 if s starts a word.
func separator(s, marker string) int {
	c := s[0]
	if c < utf8.RuneSelf {
		if c == ' ' || '\t' <= c && c <= '\r' {
			return 1
		}
	} else if r, size := utf8.DecodeRuneInString(s); unicode.IsSpace(r) {
		return size
	}
	if marker != "" && strings.HasPrefix(s, marker) {
		return len(marker)
	}
	return 0
}

// encodeWord appends the pieces of one word by greedy longest match and
// reports true, or returns dst unchanged and false when the word cannot be
// spelled or is longer than max characters. With fold, ASCII capitals in
// word match as lower case.
func (v *Vocab) encodeWord(dst []int, word string, fold bool, max int) ([]int, bool) {
	if len(word) > max && utf8.RuneCountInString(word) > max {
		return dst, false
	}
	n := len(dst)
	id, pos := v.start.longest(word, 0, fold)
	if id < 0 {
		return dst, false
	}
	dst = append(dst, int(id))
	for pos < len(word) {
		id, end := v.cont.longest(word, pos, fold)
		if id < 0 || end == pos {
			return dst[:n], false
		}
		dst = append(dst, int(id))
		pos = end
	}
	return dst, true
}

// Detokenize joins pieces back into text: the pieces of a word are
// concatenated without their markers, and words are separated by one space.
// Special pieces (the unknown piece, <s>, [CLS], …) are words of their own.
// For text without unknown words,
//
//	Detokenize(Tokenize(text))
//
// is text with each run of white space (and, in a word-start style, of
// markers) turned into one space and the ends trimmed. Pieces need not be in
// the vocabulary.
func (v *Vocab) Detokenize(pieces []string) string {
	var b strings.Builder
	for _, p := range pieces {
		text, start := v.style.strip(p)
		if isSpecial(p) {
			text, start = p, true
		}
		if start && b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(text)
	}
	return b.String()
}

// Decode is [Vocab.Detokenize] of the pieces with the given ids. It panics if
// an id is out of range (-1 included).
func (v *Vocab) Decode(ids []int) string {
	pieces := make([]string, len(ids))
	for i, id := range ids {
		pieces[i] = v.pieces[id]
	}
	return v.Detokenize(pieces)
}
