package charrnn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/seq2go/seq2go/lib/nn"
)

// Sample generates n characters after prime. Each next character is drawn
// from the softmax of the logits divided by temperature:
//
//	p = softmax(y / τ)
//
// τ < 1 sharpens the distribution (safer, more repetitive text), τ > 1
// flattens it (more surprising, more mistakes). The model reads prime first
// (an empty prime starts from a newline if the vocabulary has one, else from
// its first character). Sampling runs on a replica, so it does not disturb a
// training in progress. A prime with a character outside the vocabulary is
// an error.
func (m *Model) Sample(rng *rand.Rand, prime string, n int, temperature float64) (string, error) {
	if !(temperature > 0) {
		return "", fmt.Errorf("charrnn: temperature %v: want a positive number", temperature)
	}
	if prime == "" {
		if _, ok := m.Vocab.ID('\n'); ok {
			prime = "\n"
		} else {
			prime = string(m.Vocab.Rune(0))
		}
	}
	ids, err := m.Vocab.Encode(prime)
	if err != nil {
		return "", fmt.Errorf("charrnn: prime: %w", err)
	}
	r := m.replica()
	steps := make([][]int, len(ids))
	for t, id := range ids {
		steps[t] = []int{id}
	}
	logits := r.forward(steps)
	last := logits.RawRowView(len(ids) - 1)
	p := make([]float64, len(last))
	var out strings.Builder
	for i := 0; i < n; i++ {
		for j, z := range last {
			p[j] = z / temperature
		}
		nn.SoftmaxTo(p, p)
		next := draw(rng, p)
		out.WriteRune(m.Vocab.Rune(next))
		last = r.forward([][]int{{next}}).RawRowView(0)
	}
	return out.String(), nil
}

// draw returns an index drawn from the distribution p.
func draw(rng *rand.Rand, p []float64) int {
	u := rng.Float64()
	acc := 0.0
	for i, v := range p {
		acc += v
		if u < acc {
			return i
		}
	}
	// Rounding left u ≥ Σp: fall back to the most likely index.
	best := 0
	for i, v := range p {
		if v > p[best] || math.IsNaN(p[best]) {
			best = i
		}
	}
	return best
}
