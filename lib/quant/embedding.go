package quant

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/blas"
	"gonum.org/v1/gonum/mat"
)

// Embedding is an embedding table W (V×E) quantized to int8 per row, one
// scale per word:
//
//	s_v = max_j |W_vj|,   Q_vj = round(127·W_vj / s_v),   Ŵ_vj = s_v·Q_vj / 127
//
// so that |W_vj − Ŵ_vj| ≤ s_v/254. A look-up is a copy, not a product, so
// int8 does not make it faster; it makes the table, most of a translation
// model's weights, an eighth of its float64 size. It is read-only once made
// and safe for concurrent use.
type Embedding struct {
	Words, Dim int       // V×E
	Q          []int8    // V×E, row-major
	Scales     []float64 // s_v, one per row
}

// NewEmbedding quantizes the table w (V×E). It copies what it needs.
func NewEmbedding(w *mat.Dense) *Embedding {
	v, e := w.Dims()
	t := &Embedding{Words: v, Dim: e, Q: make([]int8, v*e), Scales: make([]float64, v)}
	blas.QuantizeRows(t.Q, t.Scales, w)
	return t
}

// Forward returns the rows Ŵ_id of ids (len(ids)×E). It panics on an id out
// of range, as nn.Embedding does.
func (t *Embedding) Forward(ids []int) *mat.Dense {
	y := mat.NewDense(len(ids), t.Dim, nil)
	for i, id := range ids {
		if id < 0 || id >= t.Words {
			panic(fmt.Sprintf("quant: embedding id %d out of range [0, %d)", id, t.Words))
		}
		s := t.Scales[id] / 127
		row := y.RawRowView(i)
		for j, q := range t.Q[id*t.Dim : (id+1)*t.Dim] {
			row[j] = s * float64(q)
		}
	}
	return y
}

// Bytes is the table's size: a byte a weight, 8 a row scale.
func (t *Embedding) Bytes() int { return len(t.Q) + 8*len(t.Scales) }
