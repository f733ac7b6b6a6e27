package optim_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
)

// grads returns parameters whose gradients hold the given rows (one 1×n
// parameter per slice).
func grads(gs ...[]float64) []*nn.Param {
	var ps []*nn.Param
	for _, g := range gs {
		p := nn.NewParam("p", 1, len(g))
		p.Grad.SetRow(0, g)
		ps = append(ps, p)
	}
	return ps
}

// gradRows returns the gradients of ps as slices, for comparison.
func gradRows(ps []*nn.Param) [][]float64 {
	var out [][]float64
	for _, p := range ps {
		out = append(out, mat.Row(nil, 0, p.Grad))
	}
	return out
}

// sameFloats reports whether a and b are equal within tol, NaN matching NaN.
func sameFloats(a, b [][]float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			x, y := a[i][j], b[i][j]
			if math.IsNaN(x) && math.IsNaN(y) {
				continue
			}
			if x != y && math.Abs(x-y) > tol {
				return false
			}
		}
	}
	return true
}

func TestGlobalNorm(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		name  string
		grads [][]float64
		want  float64
	}{
		{"3-4-12", [][]float64{{3, 4}, {12}}, 13},           // √(9 + 16 + 144) = √169
		{"one param", [][]float64{{1, 1, 1, 1}}, 2},         // √4
		{"zero", [][]float64{{0, 0}}, 0},                    // no gradient
		{"no params", nil, 0},                               // empty sum
		{"overflow", [][]float64{{3e200}, {-4e200}}, 5e200}, // 3-4-5 at a scale whose squares overflow
		{"inf", [][]float64{{1, inf}}, inf},
		{"nan", [][]float64{{1, nan}}, nan},
	} {
		got := optim.GlobalNorm(grads(tc.grads...))
		if !(got == tc.want || math.Abs(got-tc.want) <= tolHand*tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("%s: GlobalNorm = %g, want %g", tc.name, got, tc.want)
		}
	}
}

func TestClipGlobalNorm(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		grads   [][]float64
		maxNorm float64
		norm    float64     // returned: the norm before clipping
		want    [][]float64 // the gradients after
	}{
		// ‖g‖ = 13 > 6.5: scale by 6.5/13 = 0.5
		{"halve", [][]float64{{3, 4}, {12}}, 6.5, 13, [][]float64{{1.5, 2}, {6}}},
		// ‖g‖ = 13 = maxNorm: not above, unchanged
		{"at limit", [][]float64{{3, 4}, {12}}, 13, 13, [][]float64{{3, 4}, {12}}},
		// ‖g‖ = 13 < 100: unchanged
		{"below", [][]float64{{3, 4}, {12}}, 100, 13, [][]float64{{3, 4}, {12}}},
		// ‖g‖ = 5 (3-4-5), scaled to 1: [0.6, −0.8]
		{"unit", [][]float64{{3, -4}}, 1, 5, [][]float64{{0.6, -0.8}}},
		// NaN: returned, gradients left for the caller to inspect
		{"nan", [][]float64{{3, nan}}, 1, nan, [][]float64{{3, nan}}},
	} {
		ps := grads(tc.grads...)
		norm := optim.ClipGlobalNorm(ps, tc.maxNorm)
		if !(norm == tc.norm || math.IsNaN(norm) && math.IsNaN(tc.norm)) {
			t.Errorf("%s: returned %g, want %g", tc.name, norm, tc.norm)
		}
		if got := gradRows(ps); !sameFloats(got, tc.want, tolHand) {
			t.Errorf("%s: gradients %v, want %v", tc.name, got, tc.want)
		}
		if after := optim.GlobalNorm(ps); after > tc.maxNorm*(1+tolHand) {
			t.Errorf("%s: norm after clipping %g > %g", tc.name, after, tc.maxNorm)
		}
	}
}

func TestClipValue(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name  string
		grads [][]float64
		limit float64
		want  [][]float64
	}{
		// min-char-rnn's np.clip(dparam, -5, 5)
		{"min-char-rnn", [][]float64{{-7, -5, 0.5, 5, 6}, {100}}, 5, [][]float64{{-5, -5, 0.5, 5, 5}, {5}}},
		{"zero limit", [][]float64{{-1, 2}}, 0, [][]float64{{0, 0}}},
		{"nan stays", [][]float64{{nan, 9}}, 1, [][]float64{{nan, 1}}},
	} {
		ps := grads(tc.grads...)
		optim.ClipValue(ps, tc.limit)
		if got := gradRows(ps); !sameFloats(got, tc.want, 0) {
			t.Errorf("%s: gradients %v, want %v", tc.name, got, tc.want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Errorf("ClipValue with a negative limit did not panic")
		}
	}()
	optim.ClipValue(grads([]float64{1}), -1)
}

// TestClipStrided checks the clipping functions on a gradient that is a
// view into a larger matrix: only the view is read and written.
func TestClipStrided(t *testing.T) {
	big := mat.NewDense(3, 3, []float64{
		9, 9, 9,
		9, 3, 4, // the view is the 2×2 block at (1, 1): 3, 4, 0, 12
		9, 0, 12,
	})
	g := big.Slice(1, 3, 1, 3).(*mat.Dense)
	ps := []*nn.Param{{Name: "g", Value: mat.NewDense(2, 2, nil), Grad: g}}
	if n := optim.GlobalNorm(ps); n != 13 { // √(9 + 16 + 0 + 144)
		t.Errorf("GlobalNorm of the view = %g, want 13", n)
	}
	optim.ClipGlobalNorm(ps, 6.5)
	optim.ClipValue(ps, 2) // [1.5 2; 0 6] → [1.5 2; 0 2]
	want := mat.NewDense(3, 3, []float64{
		9, 9, 9,
		9, 1.5, 2,
		9, 0, 2,
	})
	if !mat.EqualApprox(big, want, tolHand) {
		t.Errorf("after clipping the view:\n%v\nwant\n%v", mat.Formatted(big), mat.Formatted(want))
	}
}

func TestClipAllocs(t *testing.T) {
	ps := grads([]float64{3, 4}, []float64{12})
	if n := testing.AllocsPerRun(20, func() {
		optim.ClipGlobalNorm(ps, 1)
		optim.ClipValue(ps, 1)
	}); n != 0 {
		t.Errorf("clipping made %v allocations, want 0", n)
	}
}
