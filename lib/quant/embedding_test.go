package quant

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestEmbeddingBound checks the per-row error bound |W_vj − Ŵ_vj| ≤ s_v/254
// on the rows that Forward looks up (in any order, repeated), with a zero
// row and a row with an outlier among them, and the table's size.
func TestEmbeddingBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	w := randDense(rng, 50, 24, 0.3)
	for j := 0; j < 24; j++ {
		w.Set(7, j, 0)
	}
	w.Set(9, 3, 30)
	e := NewEmbedding(w)
	ids := []int{9, 7, 0, 49, 9, 13}
	got := e.Forward(ids)
	for i, id := range ids {
		s := e.Scales[id]
		for j := 0; j < 24; j++ {
			if d := math.Abs(w.At(id, j) - got.At(i, j)); d > s/254*(1+1e-12) {
				t.Errorf("row %d (id %d), column %d: |W − Ŵ| = %g > s/254 = %g", i, id, j, d, s/254)
			}
		}
	}
	if e.Scales[7] != 0 || got.At(1, 5) != 0 {
		t.Errorf("zero row: scale %v, value %v; want 0 and 0", e.Scales[7], got.At(1, 5))
	}
	if want := 50*24 + 8*50; e.Bytes() != want {
		t.Errorf("Bytes() = %d, want %d", e.Bytes(), want)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "id 50 out of range [0, 50)") {
			t.Errorf("Forward([50]) panicked with %v, want an out-of-range message", r)
		}
	}()
	e.Forward([]int{50})
}
