package memnet

import (
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/nn"
)

// Encoder turns sentences, lists of word ids, into vectors: the sentence
// representation of the paper's section 4.1, a sum of word embeddings
// weighted by position, plus a vector for the sentence's place in time:
//
//	m_i = Σ_j l_j ⊙ E[x_ij] + T[t_i]             (1×d)
//	bag of words:       l_j = 1
//	position encoding:  l_kj = (1 − j/J) − (k/d)·(1 − 2j/J)     (j = 1…J, k = 1…d)
//
// where x_ij is the j-th of the sentence's J words, E the V×d embedding and
// T the temporal encoding (one row per age: 0 the most recent sentence),
// left out when T is nil. Bag of words cannot tell "the kitchen is north of
// the garden" from "the garden is north of the kitchen"; position encoding
// weighs the first and the last words apart.
//
// Backward adds ∂L/∂m_i into the rows the sentence read:
//
//	∂L/∂E[x_ij] += l_j ⊙ ∂L/∂m_i,    ∂L/∂T[t_i] += ∂L/∂m_i
//
// An empty sentence (nil) is a zero vector with no gradient: padding, the
// paper's null symbol, whose embedding is held at zero.
type Encoder struct {
	E  *nn.Param // V×d
	T  *nn.Param // ages×d; nil for no temporal encoding
	PE bool      // position encoding instead of a bag of words

	sents [][]int // the last Forward's sentences
	times []int
}

// Forward writes the encodings of sents into the rows of dst (len(sents)×d)
// and returns dst. times holds each sentence's age, a row of T; it is
// ignored (and may be nil) when T is nil. The encoder keeps sents and
// times, which the caller must not change before Backward.
func (e *Encoder) Forward(dst *mat.Dense, sents [][]int, times []int) *mat.Dense {
	_, d := e.E.Value.Dims()
	nn.MustDims(dst, len(sents), d)
	if e.T != nil && len(times) != len(sents) {
		panic(nn.ErrShape)
	}
	e.sents, e.times = sents, times
	for i, s := range sents {
		row := dst.RawRowView(i)
		clear(row)
		if len(s) == 0 {
			continue
		}
		for j, w := range s {
			emb := e.E.Value.RawRowView(w)
			if !e.PE {
				floats.Add(row, emb)
				continue
			}
			a, b := peCoefficients(j, len(s), d)
			for k, x := range emb {
				row[k] += (a - float64(k+1)*b) * x
			}
		}
		if e.T != nil {
			floats.Add(row, e.T.Value.RawRowView(times[i]))
		}
	}
	return dst
}

// Backward adds the gradients of the embedding (and of T) for dy, the
// gradient of the loss with respect to the last Forward's output.
func (e *Encoder) Backward(dy *mat.Dense) {
	_, d := e.E.Value.Dims()
	nn.MustDims(dy, len(e.sents), d)
	for i, s := range e.sents {
		if len(s) == 0 {
			continue
		}
		g := dy.RawRowView(i)
		for j, w := range s {
			grad := e.E.Grad.RawRowView(w)
			if !e.PE {
				floats.Add(grad, g)
				continue
			}
			a, b := peCoefficients(j, len(s), d)
			for k, x := range g {
				grad[k] += (a - float64(k+1)*b) * x
			}
		}
		if e.T != nil {
			floats.Add(e.T.Grad.RawRowView(e.times[i]), g)
		}
	}
}

// peCoefficients returns a and b of the position encoding of word j
// (0-based) of J, l_k = a − k·b for k = 1…d:
//
//	l_kj = (1 − j/J) − (k/d)(1 − 2j/J)     (j 1-based)
func peCoefficients(j, J, d int) (a, b float64) {
	jj, n := float64(j+1), float64(J)
	return 1 - jj/n, (1 - 2*jj/n) / float64(d)
}

// PositionWeights returns the J×d matrix of l_kj, word j's weights in row
// j: the picture of section 4.1's formula.
func PositionWeights(J, d int) *mat.Dense {
	l := mat.NewDense(J, d, nil)
	for j := 0; j < J; j++ {
		a, b := peCoefficients(j, J, d)
		for k := 0; k < d; k++ {
			l.Set(j, k, a-float64(k+1)*b)
		}
	}
	return l
}
