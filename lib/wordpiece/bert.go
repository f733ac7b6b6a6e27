package wordpiece

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// BUG(wordpiece): BasicTokenize reads character categories from Go's Unicode
// tables (15.0), BERT from those of the Python that runs it (Python 3.11 has
// 14.0): under BERTOriginal a character assigned in between is kept here and
// dropped there as unassigned (Cn). On 3,000 mixed-script test lines the output matched a
// Python transcription of BERT's steps run on Python 3.11 exactly.

// BERTTokenizer is BERT's FullTokenizer: [BasicTokenize] splits the text into
// words and punctuation, then the vocabulary's greedy longest match
// ([Vocab.Tokenize], BERT's WordpieceTokenizer) splits each word into pieces,
// a word longer than Rules.MaxWordChars() characters becoming the unknown
// piece.
//
//	"unaffable tokenization of Amsterdam hyperparameters"
//	→ una ##ffa ##ble token ##ization of amsterdam hyper ##para ##meter ##s
//
// Reference: google-research/bert, tokenization.py. Rules picks the version
// it follows ([BERTRules]): by default commit f18bd94, the version Hugging
// Face's BertTokenizer reproduces and most users meet.
type BERTTokenizer struct {
	Vocab *Vocab    // in BERT style (## continuations)
	Lower bool      // do_lower_case: lower-case and strip accents, for uncased models
	Rules BERTRules // which version of the reference: BERTOriginal (the zero value) or BERTLatest
}

// BERTRules names a version of BERT's reference tokenizer
// (google-research/bert, tokenization.py). The versions differ in two
// constants only:
//
//	               drops (cleaning, step 1 of BasicTokenize)   unknown word
//	BERTOriginal   every character of category C:              over 100 characters
//	               Cc Cf Co (private use) Cn (unassigned) Cs
//	BERTLatest     Cc (control) and Cf (format) only           over 200 characters
//
// (both keep tab, LF and CR, and drop NUL and U+FFFD). Under BERTLatest a
// private-use or unassigned character therefore stays in its word, which
// then has no spelling in the vocabulary and becomes [UNK]; under
// BERTOriginal it vanishes and the rest of the word is split as usual.
type BERTRules int

const (
	// BERTOriginal is commit f18bd94 (_is_control: category "C*";
	// max_input_chars_per_word=100), which Hugging Face's BertTokenizer
	// reproduces. It is the zero value and the default.
	BERTOriginal BERTRules = iota
	// BERTLatest is the reference's latest code (_is_control: "Cc" or
	// "Cf"; max_input_chars_per_word=200).
	BERTLatest
)

// String returns "original" or "latest", the names ParseBERTRules reads.
func (r BERTRules) String() string {
	switch r {
	case BERTOriginal:
		return "original"
	case BERTLatest:
		return "latest"
	}
	return fmt.Sprintf("BERTRules(%d)", int(r))
}

// ParseBERTRules returns the rules named "original" or "latest".
func ParseBERTRules(name string) (BERTRules, error) {
	switch strings.ToLower(name) {
	case "original":
		return BERTOriginal, nil
	case "latest":
		return BERTLatest, nil
	}
	return 0, fmt.Errorf("wordpiece: unknown BERT rules %q (known: original, latest)", name)
}

// MaxWordChars returns the longest word, in characters, that the rules
// split into pieces: 100 ([MaxWordChars]) or 200.
func (r BERTRules) MaxWordChars() int {
	if r == BERTLatest {
		return 200
	}
	return MaxWordChars
}

// NewBERTTokenizer returns BERT's tokenizer over v, following BERTOriginal;
// lower is do_lower_case (true for the uncased models, whose vocabulary is
// lower-case). Set Rules on the result to follow another version. It panics
// if v is not in a continuation style such as [BERT].
func NewBERTTokenizer(v *Vocab, lower bool) *BERTTokenizer {
	if v.style.WordStart {
		panic(fmt.Sprintf("wordpiece: NewBERTTokenizer needs a vocabulary in BERT style (## continuations), not %v", v.style))
	}
	return &BERTTokenizer{Vocab: v, Lower: lower}
}

// Tokenize returns the pieces of text.
func (t *BERTTokenizer) Tokenize(text string) []string {
	ids, _ := t.encode(text, false)
	return t.Vocab.tokens(ids)
}

// Encode returns the ids of text's pieces; an unknown word is
// Vocab.UnknownID().
func (t *BERTTokenizer) Encode(text string) []int {
	ids, _ := t.encode(text, false)
	return ids
}

// EncodeStrict is Encode for text whose every word must be spelled: the first
// word that cannot be returns a *[SegmentError] and no ids. It is the way to
// tokenise with a vocabulary that has no unknown piece.
func (t *BERTTokenizer) EncodeStrict(text string) ([]int, error) { return t.encode(text, true) }

func (t *BERTTokenizer) encode(text string, strict bool) ([]int, error) {
	ids := make([]int, 0, len(text)/4+1)
	max := t.Rules.MaxWordChars()
	var err error
	basicTokenize(text, t.Lower, t.Rules, func(word string, fold bool) {
		if err != nil {
			return
		}
		var ok bool
		if ids, ok = t.Vocab.encodeWord(ids, word, fold, max); !ok {
			if strict {
				err = t.Vocab.segmentError(word, fold, max)
				return
			}
			ids = append(ids, t.Vocab.unk)
		}
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// Words returns the words and punctuation marks of text under the
// tokenizer's Lower and Rules: [BasicTokenize], for either version.
func (t *BERTTokenizer) Words(text string) []string { return basicWords(text, t.Lower, t.Rules) }

// Detokenize joins pieces: "##" pieces onto the piece before, words with one
// space, as Hugging Face's convert_tokens_to_string does. Without unknown
// words, Detokenize(Tokenize(text)) is strings.Join(t.Words(text), " ").
func (t *BERTTokenizer) Detokenize(pieces []string) string { return t.Vocab.Detokenize(pieces) }

// Decode is Detokenize of the pieces with the given ids.
func (t *BERTTokenizer) Decode(ids []int) string { return t.Vocab.Decode(ids) }

// BasicTokenize is BERT's BasicTokenizer: it returns the words and
// punctuation marks of text, in order:
//
//  1. clean: drop NUL, U+FFFD (and so invalid UTF-8) and other characters of
//     category C (control, format, private use, unassigned) except tab, CR
//     and LF; turn those three and category Zs into a space (this is
//     [BERTOriginal]; [BERTTokenizer.Words] follows either version);
//  2. put spaces around CJK ideographs, so each is a word;
//  3. split at white space;
//  4. if lower: lower-case each word as Python's str.lower does (Σ becomes ς
//     at the end of a word), decompose it (NFD) and drop combining marks
//     (category Mn), so "Café" becomes "cafe";
//  5. split each word before and after every punctuation character: ASCII
//     33–47, 58–64, 91–96, 123–126, and Unicode category P.
//
// Character properties come from Go's Unicode tables (Unicode 15.0), where
// BERT reads Python's; they differ only for characters assigned between the
// two versions.
func BasicTokenize(text string, lower bool) []string {
	return basicWords(text, lower, BERTOriginal)
}

// basicWords is BasicTokenize under the given rules.
func basicWords(text string, lower bool, rules BERTRules) []string {
	var words []string
	basicTokenize(text, lower, rules, func(w string, fold bool) {
		if fold {
			w = strings.ToLower(w) // ASCII only: see basicTokenize
		}
		words = append(words, w)
	})
	return words
}

// basicTokenize calls emit with each word of BasicTokenize(text, lower),
// cleaning as rules say. When fold is true the word is ASCII and still to be lower-cased: the
// tokenizer's trie folds case as it walks, so the common case allocates
// nothing.
func basicTokenize(text string, lower bool, rules BERTRules, emit func(word string, fold bool)) {
	for i := 0; i < len(text); {
		// Steps 1–3 in one pass: skip separators and dropped characters,
		// emit a CJK ideograph alone, else take the raw word up to the next
		// separator or ideograph. Dropped characters inside a word are
		// removed without splitting it: BERT cleans the whole text first.
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case rules.drops(r) || rules.separates(r):
			i += size
			continue
		case isCJK(r):
			char := text[i : i+size]
			if lower && (r >= 0xF900 && r <= 0xFAFF || r >= 0x2F800) {
				// A compatibility ideograph: NFD maps it to the unified one.
				char = stripAccents(char)
			}
			emit(char, false)
			i += size
			continue
		}
		j, ascii, clean := i, true, true
		for j < len(text) {
			if c := text[j]; c < utf8.RuneSelf {
				if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
					break
				}
				if c < ' ' || c == 0x7f {
					clean = false
				}
				j++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[j:])
			if rules.drops(r) {
				clean = false
			} else if rules.separates(r) || isCJK(r) {
				break
			}
			ascii = false
			j += size
		}
		word := text[i:j]
		i = j
		if !clean {
			word = strings.Map(func(r rune) rune {
				if rules.drops(r) {
					return -1
				}
				return r
			}, word)
		}
		fold := lower && ascii
		if lower && !ascii {
			word = stripAccents(lowerPython(word))
		}
		splitPunct(word, fold, emit)
	}
}

// separates reports whether r separates words after BERT's cleaning: tab,
// LF, CR, space and category Zs (all turned into spaces), and the other white
// space Python's str.split knows that cleaning keeps (U+2028, U+2029). The
// white space that cleaning drops (VT, FF, U+0085, U+001C–U+001F: all Cc)
// is the same under both rules.
func (rules BERTRules) separates(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}
	return unicode.IsSpace(r) && !rules.drops(r)
}

// drops reports whether step 1 removes r: NUL, U+FFFD, and, other than tab,
// LF and CR, every character of category C under BERTOriginal (Python's
// unicodedata.category(r)[0] == "C", which includes unassigned code points,
// Cn), or of Cc and Cf under BERTLatest.
func (rules BERTRules) drops(r rune) bool {
	if r < utf8.RuneSelf {
		return r < ' ' && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
	}
	if r == utf8.RuneError {
		return true
	}
	if rules == BERTLatest {
		return unicode.In(r, unicode.Cc, unicode.Cf)
	}
	return unicode.Is(unicode.C, r) || !assigned(r)
}

// assigned reports whether r has a category other than Cn.
func assigned(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
}

// isCJK reports whether r is in the CJK blocks BERT splits into single
// characters (_is_chinese_char).
func isCJK(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF ||
		r >= 0x3400 && r <= 0x4DBF ||
		r >= 0x20000 && r <= 0x2A6DF ||
		r >= 0x2A700 && r <= 0x2B73F ||
		r >= 0x2B740 && r <= 0x2B81F ||
		r >= 0x2B820 && r <= 0x2CEAF ||
		r >= 0xF900 && r <= 0xFAFF ||
		r >= 0x2F800 && r <= 0x2FA1F
}

// isPunct is BERT's _is_punctuation: the ASCII characters that are neither
// letters, digits, space nor controls, and every character of category P.
func isPunct(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 33 && r <= 47 || r >= 58 && r <= 64 || r >= 91 && r <= 96 || r >= 123 && r <= 126
	}
	return unicode.IsPunct(r)
}

// splitPunct emits the pieces of word between punctuation characters and
// each punctuation character alone (BERT's _run_split_on_punc). It also
// splits at white space, which lower-casing and NFD could in principle
// produce; BERT's final whitespace_tokenize does the same.
func splitPunct(word string, fold bool, emit func(string, bool)) {
	start := 0
	for i := 0; i < len(word); {
		r, size := rune(word[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(word[i:])
		}
		switch {
		case isPunct(r):
			if start < i {
				emit(word[start:i], fold)
			}
			emit(word[i:i+size], fold)
			start = i + size
		case isSpace(r):
			if start < i {
				emit(word[start:i], fold)
			}
			start = i + size
		}
		i += size
	}
	if start < len(word) {
		emit(word[start:], fold)
	}
}

// lowerPython lower-cases s as Python 3's str.lower: the simple lower-case
// mapping of every character, except that a capital sigma at the end of a
// word becomes final sigma (ς), by Unicode's Final_Sigma condition:
//
//	Σ → ς  when  cased case-ignorable* Σ  and not  Σ case-ignorable* cased
//
// (İ, U+0130, lower-cases to "i̇" in Python and to "i" here; the dot is a
// combining mark that stripAccents removes, so the two agree after it.)
func lowerPython(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if r == 'Σ' && finalSigma(s, i) {
			b.WriteRune('ς')
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// finalSigma reports whether the Σ at byte i of s is in the Final_Sigma
// context (Unicode SpecialCasing.txt; CPython's handle_capital_sigma).
func finalSigma(s string, i int) bool {
	before := false
	for j := i; j > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
		if !caseIgnorable(r) {
			before = cased(r)
			break
		}
	}
	if !before {
		return false
	}
	for _, r := range s[i+len("Σ"):] {
		if !caseIgnorable(r) {
			return !cased(r)
		}
	}
	return true
}

// cased is Unicode's Cased property: Lu, Ll, Lt, Other_Lowercase and
// Other_Uppercase.
func cased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// caseIgnorable is Unicode's Case_Ignorable property: categories Mn, Me, Cf,
// Lm, Sk, and Word_Break MidLetter, MidNumLet and Single_Quote.
func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', '·', 0x0387, 0x055F, 0x05F4, 0x2018, 0x2019, 0x2024, 0x2027,
		0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// stripAccents decomposes s (NFD) and drops the non-spacing marks, BERT's
// _run_strip_accents.
func stripAccents(s string) string {
	d := norm.NFD.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, d)
}
