package tagger

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/seq2go/seq2go/lib/data"
)

// Normalize returns the key of a word form in the word vocabulary: lower
// case, every digit written 0, so that "The" and "the" share an embedding,
// and so do "1999" and "2004". The character representation reads the form
// as written, so case and digits still reach the network through it.
func Normalize(form string) string {
	var b strings.Builder
	b.Grow(len(form))
	for _, r := range form {
		switch {
		case unicode.IsDigit(r):
			b.WriteByte('0')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Example is one sentence ready for the network.
type Example struct {
	Words []int    // word ids (Normalize'd forms), data.UnkID for unknown ones
	Forms []string // the forms as written, for the character representation
	Tags  [][]int  // gold tag ids of each tagset ([tagset][word]); −1 for a tag the model does not know; nil when untagged
}

// Len returns the number of words.
func (e Example) Len() int { return len(e.Forms) }

// vocabularies builds the word, character and tag vocabularies of a
// training set: words are Normalize'd forms with their counts, characters
// the runes of the forms, the tags of each tagset sorted (so that the same
// data give the same ids).
func vocabularies(sents []data.Sentence, tagsets []string) (words, chars *data.WordVocab, tags [][]string, err error) {
	wc, cc := map[string]int{}, map[string]int{}
	seen := make([]map[string]bool, len(tagsets))
	for k := range seen {
		seen[k] = map[string]bool{}
	}
	for i := range sents {
		s := &sents[i]
		for _, t := range s.Tokens {
			if !t.IsWord() {
				continue
			}
			form := t[data.ColForm]
			wc[Normalize(form)]++
			for _, r := range form {
				cc[string(r)]++
			}
			for k, ts := range tagsets {
				if v := t[columnOf(ts)]; v != "_" {
					seen[k][v] = true
				}
			}
		}
	}
	for k, ts := range tagsets {
		if len(seen[k]) < 2 {
			return nil, nil, nil, fmt.Errorf("tagger: the training sentences have %d %s tags, want at least 2", len(seen[k]), ts)
		}
		var list []string
		for t := range seen[k] {
			list = append(list, t)
		}
		sort.Strings(list)
		tags = append(tags, list)
	}
	return data.BuildWordVocabFromCounts(wc, 1, 0), data.BuildWordVocabFromCounts(cc, 1, 0), tags, nil
}

// withExtraWords returns v with words added after its own, each with count
// 0 (known to the embeddings, unknown to training): the words of a
// pretrained vector file. Words v has, or that cannot be held one a line,
// are skipped.
func withExtraWords(v *data.WordVocab, words []string) (*data.WordVocab, error) {
	var b strings.Builder
	if _, err := v.WriteTo(&b); err != nil {
		return nil, err
	}
	added := map[string]bool{}
	for _, w := range words {
		if w == "" || added[w] || v.ID(w) != data.UnkID || strings.ContainsAny(w, "\t\r\n") || !utf8.ValidString(w) || w == data.UnkToken {
			continue
		}
		added[w] = true
		fmt.Fprintf(&b, "%s\t0\n", w)
	}
	return data.ReadWordVocab(strings.NewReader(b.String()), "vocabulary")
}

// Encode turns sentences into examples: word ids and forms of the
// syntactic words (multiword tokens and empty nodes are not tagged), and
// the gold tags of the model's tagsets when the sentences have them (a
// sentence whose first tagset's column is "_" everywhere is untagged: Tags
// nil).
func (m *Model) Encode(sents []data.Sentence) []Example {
	out := make([]Example, len(sents))
	for i := range sents {
		forms := sents[i].Forms()
		ex := Example{Forms: forms, Words: make([]int, len(forms))}
		for k, f := range forms {
			ex.Words[k] = m.Words.ID(Normalize(f))
		}
		if tagged(sents[i].Column(m.heads[0].column)) {
			for _, h := range m.heads {
				ids := make([]int, len(forms))
				for k, t := range sents[i].Column(h.column) {
					id, ok := h.ids[t]
					if !ok {
						id = -1
					}
					ids[k] = id
				}
				ex.Tags = append(ex.Tags, ids)
			}
		}
		out[i] = ex
	}
	return out
}

// tagged reports whether a column holds tags: any value but "_".
func tagged(tags []string) bool {
	for _, t := range tags {
		if t != "_" {
			return true
		}
	}
	return false
}

// Known reports whether form was seen in training (its normalised form has
// a training count): the split of the scores into known and unknown words.
// Words that only a pretrained vector file brought in are unknown.
func (m *Model) Known(form string) bool { return m.Words.Count(Normalize(form)) > 0 }

// charIDs returns the character ids of form, reading a form longer than
// MaxChars as its first and last MaxChars/2 characters (prefixes and
// suffixes carry what a tagger needs; the middle of a long URL does not).
func (m *Model) charIDs(dst []int, form string) []int {
	dst = dst[:0]
	n := utf8.RuneCountInString(form)
	max := m.Config.MaxChars
	head, tail := n, 0
	if n > max {
		head, tail = max/2, max-max/2
	}
	i := 0
	for _, r := range form {
		if i < head || i >= n-tail {
			id, ok := m.runeIDs[r]
			if !ok {
				id = data.UnkID
			}
			dst = append(dst, id)
		}
		i++
	}
	return dst
}
