package quant

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// tolGrid is the difference allowed between an int8 layer and its float
// twin when every weight and input lies on the int8 grid, so that
// quantization is exact and only float64 rounding differs (a sum of a few
// hundred products of magnitude ≤ 1 and the gates: well under 1e-12).
const tolGrid = 1e-12

// randDense returns an r×c matrix of N(0, std²) values.
func randDense(rng *rand.Rand, r, c int, std float64) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, std*rng.NormFloat64())
		}
	}
	return m
}

// gridDense returns an r×c matrix of values q/127 with integer q in
// [−127, 127] and |q| = 127 somewhere in every column (byRow false) or
// every row (byRow true): its int8 quantization along that axis has scale
// 1 and no error at all.
func gridDense(rng *rand.Rand, r, c int, byRow bool) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, float64(rng.IntN(255)-127)/127)
		}
	}
	if byRow {
		for i := 0; i < r; i++ {
			m.Set(i, rng.IntN(c), 1)
		}
	} else {
		for j := 0; j < c; j++ {
			m.Set(rng.IntN(r), j, -1)
		}
	}
	return m
}

// maxDiff returns max |a − b| over the elements of two matrices of the
// same shape.
func maxDiff(a, b *mat.Dense) float64 {
	r, c := a.Dims()
	d := 0.0
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			d = math.Max(d, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return d
}

// TestMatrixBound checks the round trip of weight quantization: every
// element within half a step of the original, |w − t_j·q/127| ≤ t_j/254,
// and columns of zeros quantized to exact zeros with scale 0.
func TestMatrixBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		name      string
		r, c      int
		std       float64
		zeroCols  []int
		outlierAt int // column with one weight 100× the others; −1 none
	}{
		{"1×1", 1, 1, 1, nil, -1},
		{"small", 3, 5, 0.1, nil, -1},
		{"zero column", 7, 4, 1, []int{2}, -1},
		{"all zero", 4, 3, 1, []int{0, 1, 2}, -1},
		{"outlier", 64, 16, 0.05, nil, 3},
		{"wide", 33, 130, 2, []int{0, 129}, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := randDense(rng, c.r, c.c, c.std)
			for _, j := range c.zeroCols {
				for i := 0; i < c.r; i++ {
					w.Set(i, j, 0)
				}
			}
			if c.outlierAt >= 0 {
				w.Set(0, c.outlierAt, 100*c.std)
			}
			q := NewMatrix(w)
			wq := q.Dequantize()
			for i := 0; i < c.r; i++ {
				for j := 0; j < c.c; j++ {
					tj := q.Scales[j]
					if d := math.Abs(w.At(i, j) - wq.At(i, j)); d > tj/254*(1+1e-12) {
						t.Fatalf("w[%d,%d] = %g off by %g > t/254 = %g", i, j, w.At(i, j), d, tj/254)
					}
				}
			}
			for _, j := range c.zeroCols {
				if q.Scales[j] != 0 {
					t.Errorf("zero column %d: scale %g", j, q.Scales[j])
				}
				for i := 0; i < c.r; i++ {
					if q.Q[i*c.c+j] != 0 || wq.At(i, j) != 0 {
						t.Errorf("zero column %d: q = %d, ŵ = %g", j, q.Q[i*c.c+j], wq.At(i, j))
					}
				}
			}
		})
	}
}

// naiveMul is the reference of Matrix.MulTo: loops over the int8 values
// of x (quantized per row by blas.QuantizeRows) and of the weights,
// summed in int64, then rescaled.
func naiveMul(x *mat.Dense, q *Matrix, bias []float64) *mat.Dense {
	b, in := x.Dims()
	qx, sx := make([]int8, b*in), make([]float64, b)
	blas.QuantizeRows(qx, sx, x)
	y := mat.NewDense(b, q.Cols, nil)
	for i := 0; i < b; i++ {
		for j := 0; j < q.Cols; j++ {
			var sum int64
			for p := 0; p < in; p++ {
				sum += int64(qx[i*in+p]) * int64(q.Q[p*q.Cols+j])
			}
			v := float64(sum) * sx[i] * q.Scales[j] / (127 * 127)
			if bias != nil {
				v += bias[j]
			}
			y.Set(i, j, v)
		}
	}
	return y
}

// TestLinearBound checks the int8 Linear against the float one within the
// bound that half a step of rounding on each side gives,
//
//	|y − ŷ|_ij ≤ (s_i/254)·Σ_p |Ŵ_pj| + (t_j/254)·Σ_p |x_ip|
//
// (x̂·Ŵ − x·W = (x̂ − x)·Ŵ + x·(Ŵ − W), each factor of a difference at most
// half a step), and against the naive loop to float64 rounding.
func TestLinearBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, c := range []struct{ b, in, out int }{
		{1, 1, 1}, {1, 256, 4000 / 10}, {7, 33, 65}, {32, 128, 64}, {5, 300, 3},
	} {
		l := nn.NewLinear(rng, c.in, c.out)
		nn.InitNormal(rng, l.B.Value, 0.1)
		x := randDense(rng, c.b, c.in, 1)
		x.Set(0, 0, 0) // a zero element and, with b > 1, a zero row
		if c.b > 1 {
			for p := 0; p < c.in; p++ {
				x.Set(1, p, 0)
			}
		}
		q := NewLinear(l)
		got := q.Forward(x)
		want := l.Forward(x)
		if d := maxDiff(got, naiveMul(x, q.W, q.B)); d > 1e-12 {
			t.Errorf("%+v: MulTo differs from the naive loop by %g", c, d)
		}
		wq := q.W.Dequantize()
		for i := 0; i < c.b; i++ {
			var si, sumX float64
			for _, v := range x.RawRowView(i) {
				si, sumX = math.Max(si, math.Abs(v)), sumX+math.Abs(v)
			}
			for j := 0; j < c.out; j++ {
				var sumW float64
				for p := 0; p < c.in; p++ {
					sumW += math.Abs(wq.At(p, j))
				}
				bound := si/254*sumW + q.W.Scales[j]/254*sumX + 1e-12
				if d := math.Abs(got.At(i, j) - want.At(i, j)); d > bound {
					t.Fatalf("%+v: y[%d,%d] off by %g > bound %g", c, i, j, d, bound)
				}
			}
		}
	}
}

// TestCellsOnGrid pins the gate arithmetic of the int8 LSTM and GRU steps
// to nn.LSTM's and nn.GRU's: with weights and inputs on the int8 grid the
// products are exact, so the two steps agree to float64 rounding.
func TestCellsOnGrid(t *testing.T) {
	const b, d, hid = 3, 5, 4
	rng := rand.New(rand.NewPCG(3, 3))
	x, h := gridDense(rng, b, d, true), gridDense(rng, b, hid, true)
	c := randDense(rng, b, hid, 1)
	t.Run("lstm", func(t *testing.T) {
		l := nn.NewLSTM(rng, d, hid)
		l.Wx.Value.Copy(gridDense(rng, d, 4*hid, false))
		l.Wh.Value.Copy(gridDense(rng, hid, 4*hid, false))
		nn.InitNormal(rng, l.B.Value, 1)
		q := NewLSTM(l)
		for _, s := range []struct {
			name string
			h, c *mat.Dense
		}{{"zero state", nil, nil}, {"state", h, c}} {
			l.SetState(s.h, s.c)
			wantH := l.Step(x)
			_, wantC := l.State()
			gotH, gotC := q.Step(x, s.h, s.c)
			if dh, dc := maxDiff(gotH, wantH), maxDiff(gotC, wantC); dh > tolGrid || dc > tolGrid {
				t.Errorf("%s: h off by %g, c by %g", s.name, dh, dc)
			}
		}
	})
	t.Run("gru", func(t *testing.T) {
		l := nn.NewGRU(rng, d, hid)
		l.Wx.Value.Copy(gridDense(rng, d, 3*hid, false))
		l.Wh.Value.Copy(gridDense(rng, hid, 3*hid, false))
		nn.InitNormal(rng, l.B.Value, 1)
		nn.InitNormal(rng, l.Bhn.Value, 1)
		q := NewGRU(l)
		for _, s := range []struct {
			name string
			h    *mat.Dense
		}{{"zero state", nil}, {"state", h}} {
			l.SetState(s.h, nil)
			want := l.Step(x)
			got, gotC := q.Step(x, s.h, nil)
			if dh := maxDiff(got, want); dh > tolGrid || gotC != nil {
				t.Errorf("%s: h off by %g, c = %v", s.name, dh, gotC)
			}
		}
	})
}
