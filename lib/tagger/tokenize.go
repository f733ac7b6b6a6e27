package tagger

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokenize splits a line of English into words the way the English Web
// Treebank does, so that a tagger trained on it meets the words it knows:
// on white space, then punctuation off the ends of each piece, and the
// clitics of contractions off their host (Penn Treebank style):
//
//	Tokenize(`"I don't know," she said.`)
//	// ["\"" "I" "do" "n't" "know" "," "\"" "she" "said" "."]
//
// Inside a piece, characters stay together: "U.S.", "e-mail", "3.5",
// "1,000", "http://x.org/a?b=c" and "me@x.org" are one word each. A final
// period is split off unless the piece is an abbreviation (a single letter
// or letters with periods inside, "U.S.", "e.g.", or one of the common
// title and Latin abbreviations, "Mr.", "etc."). The clitics split off are
// n't, 's, 're, 've, 'll, 'd and 'm (with ’ too).
func Tokenize(line string) []string {
	var out []string
	for _, piece := range strings.Fields(line) {
		out = splitPiece(out, piece)
	}
	return out
}

// splitPiece appends the words of one white-space-free piece to out.
func splitPiece(out []string, p string) []string {
	if isClitic(p) {
		return append(out, p) // "'s" alone, as in "Bob 's"
	}
	// Leading punctuation, one mark at a time.
	for p != "" {
		r, size := utf8.DecodeRuneInString(p)
		if !isEdgePunct(r) || size == len(p) {
			break
		}
		out = append(out, p[:size])
		p = p[size:]
	}
	// Trailing punctuation, kept in order.
	var tail []string
	for p != "" {
		r, size := utf8.DecodeLastRuneInString(p)
		if size == len(p) {
			break
		}
		if dots := len(p) - len(strings.TrimRight(p, ".")); dots >= 2 && dots < len(p) {
			tail = append(tail, p[len(p)-dots:]) // an ellipsis "..." is one word
			p = p[:len(p)-dots]
			continue
		}
		if r == '.' {
			if isAbbreviation(p) {
				break
			}
		} else if !isEdgePunct(r) {
			break
		}
		tail = append(tail, p[len(p)-size:])
		p = p[:len(p)-size]
	}
	if p != "" {
		out = splitClitic(out, p)
	}
	for i := len(tail) - 1; i >= 0; i-- {
		out = append(out, tail[i])
	}
	return out
}

// isEdgePunct reports whether r is split off the ends of a word: any
// punctuation or symbol ("$5" → "$" "5", "50%" → "50" "%", as in the
// treebank).
func isEdgePunct(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// clitics are split off their host: "don't" → "do" + "n't".
var clitics = []string{"n't", "'s", "'re", "'ve", "'ll", "'d", "'m"}

// isClitic reports whether w is one of the clitics.
func isClitic(w string) bool {
	lower := strings.ToLower(strings.ReplaceAll(w, "’", "'"))
	for _, c := range clitics {
		if lower == c {
			return true
		}
	}
	return false
}

func splitClitic(out []string, w string) []string {
	norm := strings.ReplaceAll(w, "’", "'")
	lower := strings.ToLower(norm)
	for _, c := range clitics {
		if strings.HasSuffix(lower, c) && len(lower) > len(c) {
			// Cut the same number of runes off the original spelling.
			n := utf8.RuneCountInString(c)
			cut := len(w)
			for i := 0; i < n; i++ {
				_, size := utf8.DecodeLastRuneInString(w[:cut])
				cut -= size
			}
			return append(out, w[:cut], w[cut:])
		}
	}
	return append(out, w)
}

// abbreviations keep their final period.
var abbreviations = map[string]bool{
	"mr.": true, "mrs.": true, "ms.": true, "dr.": true, "prof.": true, "st.": true, "jr.": true, "sr.": true,
	"inc.": true, "ltd.": true, "co.": true, "corp.": true, "vs.": true, "etc.": true, "no.": true,
	"jan.": true, "feb.": true, "mar.": true, "apr.": true, "jun.": true, "jul.": true, "aug.": true,
	"sep.": true, "sept.": true, "oct.": true, "nov.": true, "dec.": true, "a.m.": true, "p.m.": true,
}

// isAbbreviation reports whether w (ending in ".") keeps its period.
func isAbbreviation(w string) bool {
	if abbreviations[strings.ToLower(w)] {
		return true
	}
	body := strings.TrimSuffix(w, ".")
	if utf8.RuneCountInString(body) == 1 {
		r, _ := utf8.DecodeRuneInString(body)
		return unicode.IsLetter(r) // "J." of "J. Smith"
	}
	// Letters with periods inside: "U.S.", "e.g.".
	if !strings.Contains(body, ".") || strings.Contains(body, "..") {
		return false
	}
	for _, r := range body {
		if r != '.' && !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}
