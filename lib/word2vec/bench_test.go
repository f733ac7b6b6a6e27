package word2vec

import (
	"context"
	"math/rand/v2"
	"testing"
)

// BenchmarkTrain measures training speed on the embedded gutenberg-en
// corpus (its first book, Pride and Prejudice, 122k words, so one iteration
// takes a fraction of a second) in corpus words per second, the unit
// word2vec.c, fastText and gensim report. bench/word2vec_peers.sh runs the
// full corpus against the peers.
func BenchmarkTrain(b *testing.B) {
	c, err := NewDatasetCorpus("gutenberg-en", "pg1342.txt")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		cfg  func(*Config)
	}{
		{"sg/neg5", func(*Config) {}},
		{"sg/hs", func(c *Config) { c.HS, c.Negative = true, 0 }},
		{"cbow/neg5", func(c *Config) { c.CBOW, c.Alpha = true, 0.05 }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Epochs = 1
			bc.cfg(&cfg)
			t, err := NewTrainer(rand.New(rand.NewPCG(1, 1)), c, cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var words int64
			for b.Loop() {
				if err := t.Run(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
				words += t.Vocab.Total()
			}
			b.ReportMetric(float64(words)/b.Elapsed().Seconds(), "words/s")
		})
	}
}
