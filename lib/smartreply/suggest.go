package smartreply

import (
	"fmt"
	"math"
	"sort"

	"github.com/seq2go/seq2go/lib/seq2seq"
	"gonum.org/v1/gonum/mat"
)

// How Suggest finds its candidates (SuggestOptions.Stage).
const (
	// StageTrie is Smart Reply's search: beam search of the LSTM scorer over
	// the response set's trie (Trie.Search).
	StageTrie = "trie"
	// StageDual scores every response by the dual encoder's dot product
	// and keeps the best: one vector and one product per message.
	StageDual = "dual"
	// StageDualLSTM takes the dual encoder's best Rerank responses and
	// ranks them by the LSTM's log P (forced decoding): the dual encoder as
	// a fast first stage.
	StageDualLSTM = "dual+lstm"
	// StageExhaustive scores every response by the LSTM's log P: exact, and
	// as slow as the set is large (for comparison).
	StageExhaustive = "exhaustive"
)

// SuggestOptions sets up Suggest.
type SuggestOptions struct {
	Stage  string        // StageTrie (the default when empty), StageDual, StageDualLSTM or StageExhaustive
	Search SearchOptions // the trie search's beam (N: the hits kept, also for the other stages)
	Rerank int           // StageDualLSTM: the dual encoder's best this many go to the LSTM; 0 means 32
	Shown  int           // the suggestions shown; 0 means 3
	// AllClusters turns the diversity rule off: the best Shown hits are
	// shown even when two mean the same.
	AllClusters bool
	// AlwaysShow turns the trigger off: suggestions are shown whatever
	// P(suggest).
	AlwaysShow bool
}

// Suggestions is what Suggest found for a message.
type Suggestions struct {
	Trigger float64 // P(suggest | message), the trigger's output
	Shown   bool    // Trigger reached the threshold (or AlwaysShow)
	Hits    []Hit   // the ranked candidates of the stage, best first
	Top     []Hit   // the suggestions shown: up to Shown hits of distinct clusters, none when !Shown
}

// Suggest returns reply suggestions for the conversation so far (its last
// turn is the message to answer): the trigger decides whether to show any;
// the stage ranks the response set; the diversity rule keeps the best hit
// of each cluster, up to three (Kannan et al. 2016, Figure 2: trigger,
// response selection, diversity).
func (m *Model) Suggest(history []Turn, opt SuggestOptions) (Suggestions, error) {
	if m.trie == nil {
		return Suggestions{}, fmt.Errorf("smartreply: the model has no response set (SetResponses)")
	}
	msg := m.Message(history)
	var s Suggestions
	s.Trigger = m.Trigger.Prob([][]int{msg.Src})[0]
	s.Shown = opt.AlwaysShow || s.Trigger >= m.Threshold
	var err error
	if s.Hits, err = m.Rank(msg, opt); err != nil {
		return s, err
	}
	if !s.Shown {
		return s, nil
	}
	shown := opt.Shown
	if shown <= 0 {
		shown = 3
	}
	if opt.AllClusters {
		s.Top = s.Hits[:min(shown, len(s.Hits))]
	} else {
		s.Top = Diverse(s.Hits, shown)
	}
	return s, nil
}

// Rank returns the response set's best hits for a message (Model.Message),
// found by opt.Stage, each with its cluster.
func (m *Model) Rank(msg Message, opt SuggestOptions) ([]Hit, error) {
	n := opt.Search.N
	if n <= 0 {
		n = max(opt.Search.Width, 16)
	}
	var hits []Hit
	switch opt.Stage {
	case "", StageTrie:
		hits = m.trie.Search(m.decoder(msg), m.Scorer.BOS, m.Scorer.EOS, opt.Search)
	case StageExhaustive:
		hits = m.scoreLSTM(msg, allIndices(len(m.replies)), opt.Search.Alpha)
	case StageDual, StageDualLSTM:
		if m.Dual == nil {
			return nil, fmt.Errorf("smartreply: stage %q needs a dual encoder (the model has none)", opt.Stage)
		}
		scores := m.dualScores(msg.Src)
		idx := allIndices(len(scores))
		sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
		if opt.Stage == StageDual {
			for _, i := range idx[:min(n, len(idx))] {
				hits = append(hits, Hit{Response: i, LogProb: math.NaN(), Score: scores[i]})
			}
			break
		}
		k := opt.Rerank
		if k <= 0 {
			k = 32
		}
		hits = m.scoreLSTM(msg, idx[:min(k, len(idx))], opt.Search.Alpha)
	default:
		return nil, fmt.Errorf("smartreply: unknown stage %q (want %s, %s, %s or %s)", opt.Stage, StageTrie, StageDual, StageDualLSTM, StageExhaustive)
	}
	if len(hits) > n {
		hits = hits[:n]
	}
	for i := range hits {
		hits[i].Cluster = m.Responses[hits[i].Response].Cluster
	}
	return hits, nil
}

// dualScores returns the dual encoder's score of every response for a
// context: one message vector times the responses' vectors.
func (m *Model) dualScores(src []int) []float64 {
	q := m.MessageVectors([][]int{src}) // 1×D
	var s mat.Dense
	s.Mul(q, m.vectors.T()) // (1×n) = (1×D)·(D×n)
	return mat.Row(nil, 0, &s)
}

// scoreLSTM scores the responses idx by the LSTM's log P(reply | context)
// (forced decoding, batches of 256 replies) and returns them as hits, best
// first.
func (m *Model) scoreLSTM(msg Message, idx []int, alpha float64) []Hit {
	hits := make([]Hit, 0, len(idx))
	const batch = 256
	for lo := 0; lo < len(idx); lo += batch {
		part := idx[lo:min(lo+batch, len(idx))]
		tgt := make([][]int, len(part))
		for k, i := range part {
			tgt[k] = m.replies[i]
		}
		for k, lp := range m.LogProbs(msg, tgt) {
			i := part[k]
			hits = append(hits, Hit{Response: i, LogProb: lp, Score: lp / seq2seq.LengthPenalty(len(tgt[k]), alpha)})
		}
	}
	sortHits(hits)
	return hits
}

// LogProbs returns log P(reply | message) under the LSTM scorer for each
// of replies, given as the scorer's ids (EOS included): the message
// encoded once and the replies decoded side by side, one row each.
func (m *Model) LogProbs(msg Message, replies [][]int) []float64 {
	out := make([]float64, len(replies))
	if len(replies) == 0 {
		return out
	}
	d := m.decoder(msg)
	steps := 0
	for _, r := range replies {
		steps = max(steps, len(r)+1)
	}
	parents, in := make([]int, len(replies)), make([]int, len(replies))
	for i := range in {
		in[i] = m.Scorer.BOS // every row starts from the one encoded context
	}
	for t := 0; t < steps; t++ {
		logp, _ := d.Step(parents, in)
		for i, r := range replies {
			parents[i] = i
			if t > len(r) {
				in[i] = m.Scorer.EOS // finished: the row runs on, unscored
				continue
			}
			want := m.Scorer.EOS
			if t < len(r) {
				want = r[t]
			}
			out[i] += logp.At(i, want)
			in[i] = want
		}
	}
	return out
}

// allIndices returns 0 … n−1.
func allIndices(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
