package quant

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/seq2seq"
)

// peerSteps is the number of decoder steps of BenchmarkPeerGreedy: a fixed
// count, since an untrained model ends its sentences at random.
const peerSteps = 16

// peerModel returns the model of the peer benchmarks (the same as in
// lib/seq2seq's peer_bench_test.go and bench/): GRU, vocabularies of 4000,
// E = 128, H = 256, Bahdanau attention, random weights; and n random
// sources of 15 words.
func peerModel(b *testing.B, n int) (*seq2seq.Model, [][]int) {
	rng := rand.New(rand.NewPCG(1, 1))
	m, err := seq2seq.NewModel(rng, seq2seq.Config{SrcVocab: 4000, TgtVocab: 4000, Embed: 128, Hidden: 256,
		Cell: "gru", Attention: "bahdanau", BOS: 0, EOS: 1})
	if err != nil {
		b.Fatal(err)
	}
	src := make([][]int, n)
	for i := range src {
		src[i] = make([]int, 15)
		for j := range src[i] {
			src[i][j] = 2 + rng.IntN(3998)
		}
	}
	return m, src
}

// greedySteps encodes src and runs peerSteps greedy steps of the decoder,
// every sentence taking its most probable word at each step.
func greedySteps(m *seq2seq.Model, src [][]int) {
	d := m.NewBatchDecoder(src)
	parents, tokens := make([]int, len(src)), make([]int, len(src))
	for i := range parents {
		parents[i], tokens[i] = i, m.BOS
	}
	for step := 0; step < peerSteps; step++ {
		logp, _ := d.Step(parents, tokens)
		for i := range tokens {
			tokens[i] = argmax(logp.RawRowView(i))
		}
	}
}

// BenchmarkPeerGreedy decodes batches of 1 and 32 sentences with the int8
// copy of the peer model: the int8 side of lib/seq2seq's benchmark of the
// same name, in sentences per second.
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
				greedySteps(q, src)
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "sent/s")
		})
	}
}
