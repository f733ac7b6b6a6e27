package nn

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// InitUniform fills m with values drawn uniformly from [−a, a].
func InitUniform(rng *rand.Rand, m *mat.Dense, a float64) {
	fill(m, func() float64 { return (2*rng.Float64() - 1) * a })
}

// InitNormal fills m with values drawn from N(0, std²). min-char-rnn
// initialises its weights with std = 0.01:
//
//	Wxh = np.random.randn(hidden_size, vocab_size)*0.01
func InitNormal(rng *rand.Rand, m *mat.Dense, std float64) {
	fill(m, func() float64 { return rng.NormFloat64() * std })
}

// InitXavier fills the in×out matrix m from Glorot & Bengio's (2010)
// uniform distribution, which keeps the variance of activations and
// gradients roughly equal across layers:
//
//	W ~ U(−a, a),  a = √(6 / (in + out))
func InitXavier(rng *rand.Rand, m *mat.Dense) {
	in, out := m.Dims()
	InitUniform(rng, m, math.Sqrt(6/float64(in+out)))
}

func fill(m *mat.Dense, draw func() float64) {
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		row := m.RawRowView(i)
		for j := 0; j < c; j++ {
			row[j] = draw()
		}
	}
}
