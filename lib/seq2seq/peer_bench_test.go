package seq2seq_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/quant"
	"github.com/seq2go/seq2go/lib/seq2seq"
)

// The peer benchmarks: the model that bench/seq2seq.sh runs against
// PyTorch, in float64 and in int8. GRU, vocabularies of
// 4000, E = 128, H = 256, Bahdanau attention, random weights, sentences of
// 15 words.

// peerModel returns the peer model and n random sentences of 15 words.
// An untrained model would end its sentences at random, so EOS gets a bias
// of −10⁴: every sentence runs to the cap of 15 words and its forced EOS,
// 16 decoder steps, as the PyTorch peer's do.
func peerModel(b *testing.B, n int) (*seq2seq.Model, [][]int) {
	rng := rand.New(rand.NewPCG(1, 1))
	m, err := seq2seq.NewModel(rng, seq2seq.Config{SrcVocab: 4000, TgtVocab: 4000, Embed: 128, Hidden: 256,
		Cell: "gru", Attention: "bahdanau", BOS: 0, EOS: 1})
	if err != nil {
		b.Fatal(err)
	}
	m.Out.B.Value.Set(0, m.EOS, -1e4)
	return m, peerSentences(rng, n)
}

// peerSentences returns n random sentences of 15 ids in [2, 4000).
func peerSentences(rng *rand.Rand, n int) [][]int {
	s := make([][]int, n)
	for i := range s {
		s[i] = make([]int, 15)
		for j := range s[i] {
			s[i][j] = 2 + rng.IntN(3998)
		}
	}
	return s
}

// BenchmarkPeerGreedy decodes batches of 1 and 32 sentences greedily
// (Model.Decode, 15 words each), with the float64 model and with its int8
// copy (quant.Quantize); sentences per second.
func BenchmarkPeerGreedy(b *testing.B) {
	for _, arith := range []string{"float64", "int8"} {
		for _, n := range []int{1, 32} {
			b.Run(fmt.Sprintf("%s/batch=%d", arith, n), func(b *testing.B) {
				m, src := peerModel(b, n)
				if arith == "int8" {
					var err error
					if m, err = quant.Quantize(m); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				for b.Loop() {
					m.Decode(src, seq2seq.BeamOptions{MaxLen: 15})
				}
				b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "sent/s")
			})
		}
	}
}

// BenchmarkPeerTrain runs training steps (LossGrad on GOMAXPROCS replicas,
// clipping, Adam) over batches of 64 random pairs of 15 words each way, as
// the PyTorch peer does, with the matrix products in float64 and in float32
// (blas.SetPrecision; PyTorch trains in float32); sentences per second.
func BenchmarkPeerTrain(b *testing.B) {
	for _, p := range []blas.Precision{blas.Float64, blas.Float32} {
		b.Run(p.String(), func(b *testing.B) {
			defer blas.SetPrecision(blas.SetPrecision(p))
			const batch = 64
			m, src := peerModel(b, batch)
			tgt := peerSentences(rand.New(rand.NewPCG(2, 2)), batch)
			opt := optim.DefaultAdam(m.Params(), 1e-3)
			b.ReportAllocs()
			for b.Loop() {
				opt.ZeroGrad()
				m.LossGrad(src, tgt, 0) // shared out among GOMAXPROCS replicas
				optim.ClipGlobalNorm(m.Params(), 5)
				opt.Step()
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "sent/s")
		})
	}
}
