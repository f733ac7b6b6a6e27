package charrnn_test

import (
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/charrnn"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/datasets"
)

func shakespeare(b *testing.B) (*data.CharVocab, []int) {
	text, err := datasets.ReadAll("tinyshakespeare")
	if err != nil {
		b.Fatal(err)
	}
	v := data.NewCharVocab(string(text))
	ids, err := v.Encode(string(text))
	if err != nil {
		b.Fatal(err)
	}
	return v, ids
}

// BenchmarkMinCharRNN measures min-char-rnn training iterations (one chunk
// of 25 characters each); compare with bench/minchar_numpy.py.
func BenchmarkMinCharRNN(b *testing.B) {
	vocab, ids := shakespeare(b)
	m, _ := charrnn.New(charrnn.MinCharRNN(), vocab, rand.New(rand.NewPCG(1, 1)))
	b.ReportMetric(trainSteps(b, m, ids), "iterations/s")
}

// trainSteps times training steps of m on ids and returns steps per second.
func trainSteps(b *testing.B, m *charrnn.Model, ids []int) float64 {
	tr, err := charrnn.NewTrainer(m, ids, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		tr.TrainStep()
	}
	return float64(b.N) / b.Elapsed().Seconds()
}

// BenchmarkCharLSTM measures training of the whole LSTM language model
// (embedding 64, LSTM, softmax over 65 characters, Adam; batch 32 × seq 100)
// with the matrix products in float64 and in float32 (blas.SetPrecision);
// compare with bench/charlstm_torch.py (float32).
func BenchmarkCharLSTM(b *testing.B) {
	vocab, ids := shakespeare(b)
	for _, p := range []blas.Precision{blas.Float64, blas.Float32} {
		for _, h := range []struct {
			name           string
			hidden, layers int
		}{{"H=128", 128, 1}, {"H=256", 256, 1}, {"H=512", 512, 1}, {"H=256,L=2", 256, 2}} {
			b.Run(p.String()+"/"+h.name, func(b *testing.B) {
				defer blas.SetPrecision(blas.SetPrecision(p))
				cfg := charrnn.DefaultLSTM()
				cfg.Hidden, cfg.Layers = h.hidden, h.layers
				m, _ := charrnn.New(cfg, vocab, rand.New(rand.NewPCG(1, 1)))
				b.ReportMetric(trainSteps(b, m, ids)*float64(cfg.Batch*cfg.Seq), "tokens/s")
			})
		}
	}
}
