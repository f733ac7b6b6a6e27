package quant

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/seq2seq"
)

// peerModel returns the model of the peer benchmarks (the same as in
// lib/seq2seq's peer_bench_test.go and bench/): GRU, vocabularies of 4000,
// E = 128, H = 256, Bahdanau attention, random weights; and n random
// sources of 15 words. An untrained model would end its sentences at
// random, so EOS gets a bias of −10⁴: every sentence runs to the cap of 15
// words and its forced EOS, 16 decoder steps, as the PyTorch peer's do.
func peerModel(b *testing.B, n int) (*seq2seq.Model, [][]int) {
	rng := rand.New(rand.NewPCG(1, 1))
	m, err := seq2seq.NewModel(rng, seq2seq.Config{SrcVocab: 4000, TgtVocab: 4000, Embed: 128, Hidden: 256,
		Cell: "gru", Attention: "bahdanau", BOS: 0, EOS: 1})
	if err != nil {
		b.Fatal(err)
	}
	m.Out.B.Value.Set(0, m.EOS, -1e4)
	src := make([][]int, n)
	for i := range src {
		src[i] = make([]int, 15)
		for j := range src[i] {
			src[i][j] = 2 + rng.IntN(3998)
		}
	}
	return m, src
}

// BenchmarkPeerGreedy decodes batches of 1 and 32 sentences greedily
// (Model.Decode, 15 words each) with the int8 copy of the peer model: the
// int8 side of lib/seq2seq's benchmark of the same name, in sentences per
// second.
func BenchmarkPeerGreedy(b *testing.B) {
	for _, n := range []int{1, 32} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			m, src := peerModel(b, n)
			q, err := Quantize(m)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				q.Decode(src, seq2seq.BeamOptions{MaxLen: 15})
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "sent/s")
		})
	}
}
