package tagger

import (
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
)

// BenchmarkTrain measures training steps of the default tagger (character
// BiLSTM 2×50, word BiLSTM 2×128, softmax; batches of 32 EWT training
// sentences; Adam, global-norm clip) in words per second, with float32
// products as `seq2go train tagger` runs, each batch shared among
// GOMAXPROCS replicas; compare with bench/tagger_torch.py (bench/tagger.sh).
func BenchmarkTrain(b *testing.B) {
	defer blas.SetPrecision(blas.SetPrecision(blas.Float32))
	train, _ := ewt(b)
	cfg := DefaultConfig()
	m, err := New(cfg, train)
	if err != nil {
		b.Fatal(err)
	}
	batches, err := NewBatches(m.Encode(train), cfg.Batch, cfg.Seed)
	if err != nil {
		b.Fatal(err)
	}
	params := m.Params()
	opt := optim.DefaultAdam(params, cfg.LR)
	step(m, batches.At(0), params, opt) // the buffers and replicas are made once
	b.ReportAllocs()
	words, k := 0, 1
	for b.Loop() {
		words += step(m, batches.At(k), params, opt)
		k++
	}
	b.ReportMetric(float64(words)/b.Elapsed().Seconds(), "words/s")
}

// step is one training step, as lib/training's loop runs it.
func step(m *Model, exs []Example, params []*nn.Param, opt optim.Optimizer) int {
	nn.ZeroGrads(params)
	_, words := m.LossGrad(exs, 0)
	optim.ClipGlobalNorm(params, m.Config.Clip)
	opt.Step()
	return words
}

// BenchmarkTag measures tagging the EWT dev split with an untrained default
// tagger (the speed does not depend on the weights) in tokens per second;
// run with -cpu 1 for one core. The character cache is built once, outside
// the timing, as a Tagger does when it is made.
func BenchmarkTag(b *testing.B) {
	for _, p := range []blas.Precision{blas.Float64, blas.Float32} {
		b.Run(p.String(), func(b *testing.B) {
			defer blas.SetPrecision(blas.SetPrecision(p))
			train, dev := ewt(b)
			m, err := New(DefaultConfig(), train)
			if err != nil {
				b.Fatal(err)
			}
			t := NewTagger(m)
			exs := m.Encode(dev)
			words := 0
			for _, e := range exs {
				words += e.Len()
			}
			b.ReportAllocs()
			for b.Loop() {
				t.TagExamples(exs)
			}
			b.ReportMetric(float64(b.N*words)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
