package smartreply

import (
	"sort"

	"github.com/seq2go/seq2go/lib/dialog"
)

// Response is one reply a Model may suggest.
type Response struct {
	Text    string // as shown: the most frequent spelling among the replies that share its Key
	Count   int    // how many training replies it stands for (1 for a given candidate)
	Cluster int    // its semantic cluster (see Cluster); 0 until clustered
}

// MineResponses builds a response set from the training replies, as Smart
// Reply builds its own from the replies users wrote (Kannan et al. 2016,
// §4): replies are grouped by Key (lower-cased, punctuation dropped), a
// group is kept when its replies have at most maxTokens tokens of the
// tokenizer (no limit when ≤ 0) and it occurs at least minCount times, and
// it is shown in its most frequent spelling (the first seen among equals).
// The set is sorted by count, most frequent first, then by text. Empty
// replies are skipped.
func MineResponses(replies []string, tokenizer string, maxTokens, minCount int) []Response {
	type group struct {
		count    int
		spelling map[string]int
		first    []string // spellings in the order first seen
	}
	groups := map[string]*group{}
	var order []string
	for _, r := range replies {
		r = dialog.Normalize(r)
		k := Key(r)
		if k == "" || (maxTokens > 0 && len(Tokenize(tokenizer, r)) > maxTokens) {
			continue
		}
		g := groups[k]
		if g == nil {
			g = &group{spelling: map[string]int{}}
			groups[k] = g
			order = append(order, k)
		}
		g.count++
		if g.spelling[r] == 0 {
			g.first = append(g.first, r)
		}
		g.spelling[r]++
	}
	var out []Response
	for _, k := range order {
		g := groups[k]
		if g.count < minCount {
			continue
		}
		best := g.first[0]
		for _, s := range g.first[1:] {
			if g.spelling[s] > g.spelling[best] {
				best = s
			}
		}
		out = append(out, Response{Text: best, Count: g.count})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Text < out[j].Text
	})
	return out
}

// GivenResponses makes a response set of given candidates (Dialog bAbI's
// candidate file), normalised, in their order, duplicates and empty ones
// dropped, each with Count 1.
func GivenResponses(candidates []string) []Response {
	seen := map[string]bool{}
	var out []Response
	for _, c := range candidates {
		c = dialog.Normalize(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, Response{Text: c, Count: 1})
	}
	return out
}
