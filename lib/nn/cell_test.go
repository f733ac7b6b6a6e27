package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLSTMCellGradAVX2 pins the assembly part of lstmCellGrad to the Go
// loop, bit for bit, over widths around its 4-element step, with and
// without the cell clip (some cells clipped, on both sides).
func TestLSTMCellGradAVX2(t *testing.T) {
	if !useCellAVX2 {
		t.Skip("no AVX2: lstmCellGrad is the Go loop")
	}
	rng := rand.New(rand.NewPCG(3, 3))
	vec := func(n int, lo, hi float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = lo + (hi-lo)*rng.Float64()
		}
		return v
	}
	for _, hid := range []int{1, 3, 4, 5, 8, 13, 64} {
		for _, clip := range []float64{0, 1.5} {
			gr, cp, tc := vec(4*hid, 0, 1), vec(hid, -2, 2), vec(hid, -1, 1)
			c, dh, dc := vec(hid, -2, 2), vec(hid, -1, 1), vec(hid, -1, 1)
			c[0] = math.NaN() // never clipped
			want, dcWant := make([]float64, 4*hid), slices.Clone(dc)
			lstmCellGradGo(gr, want, cp, tc, c, dh, dcWant, 0, clip)
			got, dcGot := make([]float64, 4*hid), slices.Clone(dc)
			lstmCellGrad(gr, got, cp, tc, c, dh, dcGot, clip)
			if !slices.Equal(got, want) || !slices.Equal(dcGot, dcWant) {
				t.Errorf("H=%d clip=%v: the AVX2 gradients differ from the Go loop's", hid, clip)
			}
		}
	}
}
