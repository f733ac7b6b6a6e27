package wordpiece

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
)

// benchText is tinyshakespeare (1,115,394 bytes, 40,000 lines) and an
// 8,000-piece GNMT vocabulary trained on it with BPE.
var benchText = sync.OnceValues(func() (string, error) {
	b, err := datasets.ReadAll("tinyshakespeare")
	return string(b), err
})

var benchVocab = sync.OnceValues(func() (*Vocab, error) {
	text, err := benchText()
	if err != nil {
		return nil, err
	}
	return Train(strings.NewReader(text), "tinyshakespeare", TrainConfig{Size: 8000})
})

// BenchmarkTokenize encodes tinyshakespeare line by line, as a data loader
// would; MB/s is input bytes per second and tokens/s pieces per second.
func BenchmarkTokenize(b *testing.B) {
	text, err := benchText()
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(text, "\n")
	gnmt, err := benchVocab()
	if err != nil {
		b.Fatal(err)
	}
	bert := loadBERT(b)
	for _, bench := range []struct {
		name   string
		encode func(string) []int
	}{
		{"gnmt-8k", gnmt.Encode},
		{"bert-base-uncased", bert.Encode},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			pieces := 0
			for b.Loop() {
				pieces = 0
				for _, line := range lines {
					pieces += len(bench.encode(line))
				}
			}
			b.ReportMetric(float64(b.N*pieces)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkTrain trains 8,000 pieces on tinyshakespeare.
func BenchmarkTrain(b *testing.B) {
	text, err := benchText()
	if err != nil {
		b.Fatal(err)
	}
	for _, algo := range []Algorithm{BPE, Likelihood} {
		b.Run(algo.String()+"-8k", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := Train(bytes.NewReader([]byte(text)), "tinyshakespeare", TrainConfig{Size: 8000, Algorithm: algo}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
