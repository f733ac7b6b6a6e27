package smartreply

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"gonum.org/v1/gonum/mat"
)

const (
	tBOS, tEOS = 2, 3 // as data.BOSID and data.EOSID
	tV         = 12   // ids 4 … 11 are words
)

// prefixModel is a decoder whose next-token log-probabilities are a fixed
// random function of the whole prefix: a stand-in for the LSTM with which
// the search can be checked against brute force. It counts the rows it
// was asked for.
type prefixModel struct {
	seed  uint64
	rows  [][]int // the prefix of each live row
	asked int
}

// logp returns the log-probabilities of the token after prefix.
func (p *prefixModel) logp(prefix []int) []float64 {
	h := p.seed
	for _, t := range prefix {
		h = h*1000003 + uint64(t) + 1
	}
	rng := rand.New(rand.NewPCG(h, 7))
	z := make([]float64, tV)
	for i := range z {
		z[i] = 3 * rng.NormFloat64()
	}
	lz := nn.SoftmaxTo(make([]float64, tV), z)
	for i := range z {
		z[i] -= lz
	}
	return z
}

func (p *prefixModel) Step(parents, tokens []int) (*mat.Dense, *mat.Dense) {
	if p.rows == nil {
		p.rows = [][]int{nil}
	}
	next := make([][]int, len(tokens))
	out := mat.NewDense(len(tokens), tV, nil)
	for i, par := range parents {
		next[i] = append(append([]int(nil), p.rows[par]...), tokens[i])
		copy(out.RawRowView(i), p.logp(next[i][1:])) // the prefix after BOS
	}
	p.rows = next
	p.asked += len(tokens)
	return out, mat.NewDense(len(tokens), 1, nil)
}

// bruteForce scores every sequence as Search does.
func bruteForce(seed uint64, seqs [][]int, alpha float64) []Hit {
	p := &prefixModel{seed: seed}
	var hits []Hit
	seen := map[string]bool{}
	for i, s := range seqs {
		if len(s) == 0 || seen[fmt.Sprint(s)] {
			continue
		}
		seen[fmt.Sprint(s)] = true
		lp := 0.0
		for k := 0; k <= len(s); k++ {
			tok := tEOS
			if k < len(s) {
				tok = s[k]
			}
			lp += p.logp(s[:k])[tok]
		}
		hits = append(hits, Hit{Response: i, LogProb: lp, Score: lp / seq2seq.LengthPenalty(len(s), alpha)})
	}
	sortHits(hits)
	return hits
}

func TestTrie(t *testing.T) {
	tr := NewTrie([][]int{{4, 5}, {4, 5, 6}, {4}, {7}, {4, 5}, nil})
	// prefixes: root, 4, 4 5, 4 5 6, 7
	if tr.Len() != 4 || tr.Nodes() != 5 {
		t.Errorf("Len %d, Nodes %d; want 4 sequences (one a duplicate, one empty) and 5 nodes", tr.Len(), tr.Nodes())
	}
}

// TestSearchExact: with a beam as wide as the set, the search finds what
// brute force does, in the same order, with and without the early stop.
func TestSearchExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	set := seqs(rng, 60, 4, 4, tV)
	for _, c := range []struct {
		n     int
		alpha float64
	}{{5, 0}, {60, 0}, {10, 0.6}} {
		want := bruteForce(3, set, c.alpha)
		got := NewTrie(set).Search(&prefixModel{seed: 3}, tBOS, tEOS, SearchOptions{Width: 1000, N: c.n, Alpha: c.alpha})
		if len(got) != min(c.n, len(want)) {
			t.Fatalf("n=%d α=%v: %d hits, want %d", c.n, c.alpha, len(got), min(c.n, len(want)))
		}
		for i := range got {
			if got[i].Response != want[i].Response || math.Abs(got[i].LogProb-want[i].LogProb) > 1e-12 {
				t.Errorf("n=%d α=%v hit %d: %+v, want %+v", c.n, c.alpha, i, got[i], want[i])
			}
		}
	}
}

// TestSearchCost: the decoder rows a search asks for stay within
// Width × (longest + 1), however many responses the trie holds, and a
// narrow beam still finds the best response of a peaked model most of the
// time.
func TestSearchCost(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	const width, maxLen = 8, 6
	for _, n := range []int{100, 10000} {
		set := seqs(rng, n, maxLen, 4, tV)
		found := 0
		for seed := uint64(0); seed < 10; seed++ {
			p := &prefixModel{seed: seed}
			hits := NewTrie(set).Search(p, tBOS, tEOS, SearchOptions{Width: width, N: 3})
			if p.asked > width*(maxLen+1) {
				t.Errorf("%d responses: %d decoder rows, want at most %d", n, p.asked, width*(maxLen+1))
			}
			if best := bruteForce(seed, set, 0)[0]; len(hits) > 0 && hits[0].Response == best.Response {
				found++
			}
		}
		if found < 8 {
			t.Errorf("%d responses: the beam of %d found the best response for %d of 10 models, want ≥ 8", n, width, found)
		}
	}
}

func TestDiverse(t *testing.T) {
	hits := []Hit{{Response: 0, Cluster: 2}, {Response: 1, Cluster: 2}, {Response: 2, Cluster: 5}, {Response: 3, Cluster: 2}, {Response: 4, Cluster: 1}, {Response: 5, Cluster: 7}}
	var got []int
	for _, h := range Diverse(hits, 3) {
		got = append(got, h.Response)
	}
	if !sort.IntsAreSorted(got) || len(got) != 3 || got[0] != 0 || got[1] != 2 || got[2] != 4 {
		t.Errorf("Diverse = %v, want [0 2 4]", got)
	}
}
