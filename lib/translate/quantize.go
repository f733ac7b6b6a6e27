package translate

import (
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/quant"
)

// Quantize returns the translator with int8 products (see lib/quant): the
// same vocabularies and API, a model that shares the float one's
// embeddings and attention.
func (t *Translator) Quantize() (*Translator, error) {
	q, err := quant.Quantize(t.Model)
	if err != nil {
		return nil, err
	}
	c := *t
	c.Model = q
	return &c, nil
}

// Bytes is the size of the model's weights: 8 bytes a float64 parameter,
// or, for an int8 model, what its Inference reports (int8 weights with
// their scales, and the parts that stay float).
func (t *Translator) Bytes() int {
	if s, ok := t.Model.Infer.(interface{ Bytes() int }); ok {
		return s.Bytes()
	}
	return 8 * nn.CountParams(t.Model.Params())
}
