package data

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokenize splits s into words and punctuation: a word is a run of letters,
// digits and combining marks, every other character that is not white space
// is a token of its own, and white space only separates.
//
//	Tokenize(`"Don't stop," she said.`)
//	// ["\"" "Don" "'" "t" "stop" "," "\"" "she" "said" "."]
//
// It is the simple tokeniser of many seq2seq tutorials (PyTorch's translation
// tutorial splits punctuation off the same way): good enough for word-level
// vocabularies and for BLEU on small data, not a linguistic tokeniser. Tokens
// are substrings of s, so joining them gives back s without its white space.
// Invalid UTF-8 bytes become one-byte tokens.
func Tokenize(s string) []string {
	var tokens []string
	start := -1 // start of the current word, or -1 outside a word
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWordRune(r): // U+FFFD, and so an invalid byte, is not a word rune
			if start < 0 {
				start = i
			}
		default:
			if start >= 0 {
				tokens = append(tokens, s[start:i])
				start = -1
			}
			if !unicode.IsSpace(r) {
				tokens = append(tokens, s[i:i+size])
			}
		}
		i += size
	}
	if start >= 0 {
		tokens = append(tokens, s[start:])
	}
	return tokens
}

// TokenizeLower is [Tokenize] after lower-casing s, for a vocabulary where
// "The" and "the" are one word. Lower-casing turns invalid UTF-8 bytes into
// U+FFFD, as strings.ToLower does.
func TokenizeLower(s string) []string {
	return Tokenize(strings.ToLower(s))
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}
