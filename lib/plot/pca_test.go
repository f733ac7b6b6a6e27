package plot

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestPCA: points on a line in 3-D, shifted off the origin, project onto
// the first axis alone, at their distances along the line, centred.
func TestPCA(t *testing.T) {
	dir := []float64{2.0 / 3, 1.0 / 3, 2.0 / 3} // a unit vector
	at := []float64{-2, -1, 0, 1, 5}
	x := mat.NewDense(len(at), 3, nil)
	for i, a := range at {
		for j, d := range dir {
			x.Set(i, j, a*d+10)
		}
	}
	before := mat.DenseCopyOf(x)
	xs, ys, explained, err := PCA(x)
	if err != nil {
		t.Fatal(err)
	}
	mean := 0.6
	for i, a := range at {
		if math.Abs(xs[i]-(a-mean)) > 1e-9 || math.Abs(ys[i]) > 1e-9 {
			t.Errorf("point %d at (%v, %v), want (%v, 0)", i, xs[i], ys[i], a-mean)
		}
	}
	if math.Abs(explained[0]-1) > 1e-9 {
		t.Errorf("explained %v, want [1 0]", explained)
	}
	if !mat.Equal(x, before) {
		t.Error("PCA changed its input")
	}
	if _, _, _, err := PCA(mat.NewDense(1, 3, nil)); err == nil {
		t.Error("PCA of one row: no error")
	}
}
