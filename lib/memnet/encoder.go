package memnet

import (
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/nn"
)

// Encoder turns sentences, lists of word ids, into vectors: the sentence
// representation of the paper's section 4.1, a sum of word embeddings
// weighted by position:
//
//	m_i = Σ_j l_j ⊙ E[x_ij]                                     (1×d)
//	bag of words:       l_j = 1
//	position encoding:  l_kj = (1 − j/J) − (k/d)·(1 − 2j/J)     (j = 1…J, k = 1…d)
//
// where x_ij is the j-th of the sentence's J words and E the V×d
// embedding. Bag of words cannot tell "the kitchen is north of the garden"
// from "the garden is north of the kitchen"; position encoding weighs the
// first and the last words apart. Backward adds ∂L/∂m_i into the rows the
// sentence read:
//
//	∂L/∂E[x_ij] += l_j ⊙ ∂L/∂m_i
//
// An empty sentence is a zero vector with no gradient, as if it were made
// of the paper's null symbol, whose embedding is held at zero.
type Encoder struct {
	E  *nn.Param // V×d
	PE bool      // position encoding instead of a bag of words

	sents [][]int     // the last Forward's sentences
	pe    [][]float64 // pe[J]: the J×d weights l_kj, row j after row, made on first use
}

// Forward writes the encodings of sents into the rows of dst (len(sents)×d)
// and returns dst. The encoder keeps sents, which the caller must not
// change before Backward.
func (e *Encoder) Forward(dst *mat.Dense, sents [][]int) *mat.Dense {
	_, d := e.E.Value.Dims()
	nn.MustDims(dst, len(sents), d)
	e.sents = sents
	dst.Zero()
	e.eachWord(d, func(i, w int, l []float64) { weightedAdd(dst.RawRowView(i), l, e.E.Value.RawRowView(w)) })
	return dst
}

// Backward adds the gradient of the embedding for dy, the gradient of the
// loss with respect to the last Forward's output.
func (e *Encoder) Backward(dy *mat.Dense) {
	_, d := e.E.Value.Dims()
	nn.MustDims(dy, len(e.sents), d)
	e.eachWord(d, func(i, w int, l []float64) { weightedAdd(e.E.Grad.RawRowView(w), l, dy.RawRowView(i)) })
}

// eachWord calls f for every word of the last Forward's sentences: the
// sentence i, the word's id w and its position weights l (d wide; nil for
// a bag of words).
func (e *Encoder) eachWord(d int, f func(i, w int, l []float64)) {
	for i, s := range e.sents {
		pe := e.weights(len(s), d)
		for j, w := range s {
			var l []float64
			if pe != nil {
				l = pe[j*d : (j+1)*d]
			}
			f(i, w, l)
		}
	}
}

// weights returns the position encoding of a sentence of J words, J×d
// (nil for a bag of words).
func (e *Encoder) weights(J, d int) []float64 {
	if !e.PE {
		return nil
	}
	for len(e.pe) <= J {
		e.pe = append(e.pe, nil)
	}
	if e.pe[J] == nil {
		e.pe[J] = PositionWeights(J, d).RawMatrix().Data
	}
	return e.pe[J]
}

// weightedAdd adds l ⊙ x into dst, or x when l is nil.
func weightedAdd(dst, l, x []float64) {
	if l == nil {
		floats.Add(dst, x)
		return
	}
	l, x = l[:len(dst)], x[:len(dst)]
	for k := range dst {
		dst[k] += l[k] * x[k]
	}
}

// PositionWeights returns the J×d matrix of the position encoding's
// weights, word j's in row j: section 4.1's formula (1-based j and k)
//
//	l_kj = (1 − j/J) − (k/d)·(1 − 2j/J)
func PositionWeights(J, d int) *mat.Dense {
	l := mat.NewDense(max(J, 1), d, nil)
	n := float64(J)
	for j := 1; j <= J; j++ {
		for k := 1; k <= d; k++ {
			l.Set(j-1, k-1, (1-float64(j)/n)-(float64(k)/float64(d))*(1-2*float64(j)/n))
		}
	}
	return l
}
