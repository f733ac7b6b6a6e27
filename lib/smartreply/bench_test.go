package smartreply

import (
	"testing"
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
