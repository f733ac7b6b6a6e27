package smartreply

import (
	"sort"

	"github.com/seq2go/seq2go/lib/seq2seq"
)

// Trie holds the token sequences of a response set as paths from a root,
// one node per distinct prefix: the space that Search walks. Responses
// that share a beginning ("i am", "i am fine", "i am on my way") share
// nodes, so the decoder scores a shared prefix once.
type Trie struct {
	nodes []trieNode
	n     int // sequences held
}

// trieNode is one prefix: the tokens that may follow it, ascending, the
// nodes they lead to, and the response that ends here (−1 for none).
type trieNode struct {
	tokens, child []int
	leaf          int
}

// NewTrie returns the trie of seqs, seqs[i] being the token ids of
// response i. An empty sequence is left out (no response is empty), and
// of two equal sequences the first is kept.
func NewTrie(seqs [][]int) *Trie {
	t := &Trie{nodes: []trieNode{{leaf: -1}}}
	for i, s := range seqs {
		if len(s) == 0 {
			continue
		}
		n := 0
		for _, tok := range s {
			k := sort.SearchInts(t.nodes[n].tokens, tok)
			if k < len(t.nodes[n].tokens) && t.nodes[n].tokens[k] == tok {
				n = t.nodes[n].child[k]
				continue
			}
			t.nodes = append(t.nodes, trieNode{leaf: -1})
			c := len(t.nodes) - 1
			node := &t.nodes[n]
			node.tokens = append(node.tokens[:k], append([]int{tok}, node.tokens[k:]...)...)
			node.child = append(node.child[:k], append([]int{c}, node.child[k:]...)...)
			n = c
		}
		if t.nodes[n].leaf < 0 {
			t.nodes[n].leaf = i
			t.n++
		}
	}
	return t
}

// Len returns the number of sequences in the trie.
func (t *Trie) Len() int { return t.n }

// Nodes returns the number of nodes, the root included: the distinct
// prefixes.
func (t *Trie) Nodes() int { return len(t.nodes) }

// Hit is a response that a search found, with its score.
type Hit struct {
	Response int     // the index of the response
	LogProb  float64 // log P(response | message), EOS included
	Score    float64 // what hits are ranked by: LogProb / lp(length) (see SearchOptions.Alpha)
	Cluster  int     // the response's cluster, once the Model has looked it up
}

// SearchOptions sets up Search.
type SearchOptions struct {
	// Width is the number of prefixes kept at each step (the beam); 0
	// means 16.
	Width int
	// N is the number of hits wanted; 0 means Width. With Alpha 0 the
	// search stops as soon as N hits score above every live prefix.
	N int
	// Alpha is the exponent of GNMT's length penalty lp(Y) = ((5+|Y|)/6)^α
	// by which a hit's log-probability is divided; 0 ranks by log P.
	Alpha float64
}

// Search finds the responses of the trie that the decoder s scores best,
// by beam search over the trie, as Smart Reply does (Kannan et al. 2016,
// §3): a left-to-right beam search that keeps only prefixes found in the
// trie. At each step the Width
// best prefixes, by log P(prefix | message), are continued by the tokens
// their trie nodes allow, and a prefix that is a whole response is scored
// with the probability of EOS after it. The cost is Width rows of the
// decoder per step for as many steps as the longest response searched: it
// does not grow with the number of responses.
//
// s is a decoder at its start (seq2seq.Model.NewStepDecoder on the
// message); bos and eos its start and end tokens. The hits come back best
// first. Since a prefix's log-probability only falls as it grows, with
// Alpha 0 the search stops once it holds N hits that beat every live
// prefix: they are the N best of all responses reachable from the beam.
func (t *Trie) Search(s seq2seq.Stepper, bos, eos int, opt SearchOptions) []Hit {
	width := opt.Width
	if width <= 0 {
		width = 16
	}
	n := opt.N
	if n <= 0 {
		n = width
	}
	type hyp struct {
		node, length int
		logp         float64
	}
	type cand struct {
		parent, node, token int
		logp                float64
	}
	live := []hyp{{}}
	parents, tokens := []int{0}, []int{bos}
	var hits []Hit
	var cands []cand
	for len(live) > 0 {
		logp, _ := s.Step(parents, tokens)
		cands = cands[:0]
		for i, h := range live {
			row := logp.RawRowView(i)
			node := t.nodes[h.node]
			if node.leaf >= 0 {
				lp := h.logp + row[eos]
				hits = append(hits, Hit{Response: node.leaf, LogProb: lp, Score: lp / seq2seq.LengthPenalty(h.length, opt.Alpha)})
			}
			for k, tok := range node.tokens {
				cands = append(cands, cand{parent: i, node: node.child[k], token: tok, logp: h.logp + row[tok]})
			}
		}
		sort.SliceStable(cands, func(a, b int) bool { return cands[a].logp > cands[b].logp })
		if len(cands) > width {
			cands = cands[:width]
		}
		if opt.Alpha == 0 && len(hits) >= n && len(cands) > 0 {
			sortHits(hits)
			if hits[n-1].LogProb >= cands[0].logp {
				break // no live prefix can end above the N-th hit
			}
		}
		next := make([]hyp, len(cands))
		parents, tokens = make([]int, len(cands)), make([]int, len(cands))
		for k, c := range cands {
			next[k] = hyp{node: c.node, length: live[c.parent].length + 1, logp: c.logp}
			parents[k], tokens[k] = c.parent, c.token
		}
		live = next
	}
	sortHits(hits)
	if len(hits) > n {
		hits = hits[:n]
	}
	return hits
}

// sortHits sorts hits best first: by Score, then by response index.
func sortHits(hits []Hit) {
	sort.SliceStable(hits, func(a, b int) bool {
		if hits[a].Score != hits[b].Score {
			return hits[a].Score > hits[b].Score
		}
		return hits[a].Response < hits[b].Response
	})
}
