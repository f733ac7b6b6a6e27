package smartreply

import (
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/seq2seq"
)

// BenchmarkSuggest times the suggestions for one Topical-Chat test message
// with ChatConfig's networks (untrained: the time does not depend on the
// weights, only on when the search may stop) and a response set of every
// training reply of up to 30 tokens whose words the model knows: 10,966
// replies. The trie search against the dual encoder, the dual encoder with
// the LSTM reranking its best 32, and the LSTM on every response.
func BenchmarkSuggest(b *testing.B) {
	c, err := LoadCorpus("topical-chat")
	if err != nil {
		b.Fatal(err)
	}
	cfg := ChatConfig()
	cfg.ResponseMaxTokens = 30
	m, err := New(cfg, c)
	if err != nil {
		b.Fatal(err)
	}
	if len(m.Responses) < 10000 {
		b.Fatalf("%d responses, want ≥ 10,000", len(m.Responses))
	}
	for _, stage := range []string{StageTrie, StageDual, StageDualLSTM, StageExhaustive} {
		b.Run("stage="+stage, func(b *testing.B) {
			if stage == StageExhaustive && testing.Short() {
				b.Skip("exhaustive scoring of 10,966 responses is slow")
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ex := c.Test[i%len(c.Test)]
				i++
				if _, err := m.Suggest(ex.Context, SuggestOptions{Stage: stage, Search: SearchOptions{Width: 8, N: 8}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(m.Responses)), "responses")
		})
	}
}

// BenchmarkPeerScorer trains the LSTM reply scorer at the sizes of
// ChatConfig's (vocabularies of 7,500, E = 64, H = 128, general attention),
// on batches of 64 random pairs of a 20-token message and a 20-token reply:
// LossGrad on GOMAXPROCS replicas, a global-norm clip of 5, Adam, float32
// products as seq2go train runs. bench/smartreply.sh sets it against
// bench/seq2seq_torch.py --cell lstm --attention general with the same
// sizes; sentences (pairs) per second.
func BenchmarkPeerScorer(b *testing.B) {
	defer blas.SetPrecision(blas.SetPrecision(blas.Float32))
	rng := rand.New(rand.NewPCG(1, 1))
	const v, batch, length = 7500, 64, 20
	m, err := seq2seq.NewModel(rng, seq2seq.Config{SrcVocab: v, TgtVocab: v, Embed: 64, Hidden: 128, Attention: "general", BOS: 2, EOS: 3})
	if err != nil {
		b.Fatal(err)
	}
	pairs := func() [][]int {
		s := make([][]int, batch)
		for i := range s {
			s[i] = make([]int, length)
			for j := range s[i] {
				s[i][j] = 4 + rng.IntN(v-4)
			}
		}
		return s
	}
	src, tgt := pairs(), pairs()
	opt := optim.DefaultAdam(m.Params(), 1e-3)
	b.ReportAllocs()
	for b.Loop() {
		opt.ZeroGrad()
		m.LossGrad(src, tgt, 0)
		optim.ClipGlobalNorm(m.Params(), 5)
		opt.Step()
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "sent/s")
}
