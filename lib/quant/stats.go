package quant

import (
	"fmt"
	"math"

	"github.com/seq2go/seq2go/lib/plot"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"gonum.org/v1/gonum/mat"
)

// LayerStats is what int8 quantization does to one weight matrix W (in×out)
// with column scales t_j and dequantized Ŵ:
//
//	MaxAbsErr = max_pj |W_pj − Ŵ_pj|            ≤ max_j t_j / 254
//	RMSErr    = √(Σ_pj (W_pj − Ŵ_pj)² / (in·out))
//	RelErr    = ‖W − Ŵ‖_F / ‖W‖_F               (0 for W = 0)
type LayerStats struct {
	Name               string
	Rows, Cols         int
	MinScale, MaxScale float64 // the smallest and largest t_j
	MaxAbsErr, RMSErr  float64
	RelErr             float64
}

// String formats the statistics on one line.
func (s LayerStats) String() string {
	return fmt.Sprintf("%s %d×%d scale [%.3g, %.3g] max|err| %.3g rms %.3g rel %.3g",
		s.Name, s.Rows, s.Cols, s.MinScale, s.MaxScale, s.MaxAbsErr, s.RMSErr, s.RelErr)
}

// MatrixStats quantizes w as Quantize would and measures the error.
func MatrixStats(name string, w *mat.Dense) LayerStats {
	q := NewMatrix(w)
	wq := q.Dequantize()
	s := LayerStats{Name: name, Rows: q.Rows, Cols: q.Cols, MinScale: math.Inf(1)}
	for _, t := range q.Scales {
		s.MinScale, s.MaxScale = math.Min(s.MinScale, t), math.Max(s.MaxScale, t)
	}
	var se, sw float64
	for p := 0; p < q.Rows; p++ {
		for j, v := range w.RawRowView(p) {
			d := v - wq.At(p, j)
			s.MaxAbsErr = math.Max(s.MaxAbsErr, math.Abs(d))
			se += d * d
			sw += v * v
		}
	}
	if n := q.Rows * q.Cols; n > 0 {
		s.RMSErr = math.Sqrt(se / float64(n))
	} else {
		s.MinScale = 0
	}
	if sw > 0 {
		s.RelErr = math.Sqrt(se / sw)
	}
	return s
}

// Stats returns the statistics of every weight matrix that Quantize turns
// into int8, bottom up: the encoder's, the decoder's, Combine's and Out's,
// named by their parameters. A layer that Quantize would refuse is an
// error.
func Stats(m *seq2seq.Model) ([]LayerStats, error) {
	ws, err := weights(m)
	if err != nil {
		return nil, err
	}
	stats := make([]LayerStats, len(ws))
	for i, w := range ws {
		stats[i] = MatrixStats(w.name, w.w)
	}
	return stats, nil
}

// StaircasePlot quantizes signal symmetrically to bits bits (2 to 8; 8 is
// int8) with the scale s = max|signal| and returns the figure of the
// signal, its staircase and the error, which stays within half a step:
//
//	L = 2^(bits−1) − 1   (127 for int8),   x̂ = s·round(L·x/s)/L,   |x − x̂| ≤ s/(2L)
//
// xs are the sample positions (nil: 0, 1, 2, …). Few bits show the stairs;
// 8 bits show how small GNMT's error is. It panics if bits is out of range
// or xs and signal differ in length.
func StaircasePlot(title string, xs, signal []float64, bits int) *plot.Step {
	if bits < 2 || bits > 8 {
		panic(fmt.Sprintf("quant: StaircasePlot: %d bits, want 2 to 8", bits))
	}
	levels := float64(int(1)<<(bits-1) - 1)
	var s float64
	for _, v := range signal {
		s = math.Max(s, math.Abs(v))
	}
	q := make([]float64, len(signal))
	if s > 0 {
		for i, v := range signal {
			q[i] = s * math.Round(levels*v/s) / levels
		}
	}
	p := plot.NewStep(title, xs, signal, q)
	p.YLabel = fmt.Sprintf("value (%d bits: step %.3g)", bits, s/levels)
	return p
}

// WeightHistogram returns the histogram of the values of w ("float64")
// over that of Ŵ, its int8 quantization ("int8"), on the same bins: Ŵ
// takes at most 255 values per column, so with enough bins the int8 bars
// show the grid the weights were rounded to.
func WeightHistogram(title string, w *mat.Dense, bins int) *plot.Histogram {
	h := plot.NewHistogram(title, "weight", bins)
	h.Add("float64", flatten(w))
	h.Add("int8", flatten(NewMatrix(w).Dequantize()))
	return h
}

// flatten returns the elements of m row by row.
func flatten(m *mat.Dense) []float64 {
	r, c := m.Dims()
	v := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		v = append(v, m.RawRowView(i)...)
	}
	return v
}

// ErrorPlot returns the line of the relative error ‖W − Ŵ‖/‖W‖ of each
// weight matrix against its index in stats (Stats's order, bottom up), on
// a logarithmic axis, with the maximum absolute error scaled by the
// largest column scale beside it: the first is about 0.4 % for Xavier
// (uniform) weights and grows for heavy-tailed ones, whose largest weight
// stretches the grid; the second stays within 1/254.
func ErrorPlot(stats []LayerStats) *plot.Line {
	p := plot.NewLine("int8 quantization error per weight matrix", "weight matrix (bottom up)", "error")
	p.LogY = true
	xs := make([]float64, len(stats))
	rel, abs := make([]float64, len(stats)), make([]float64, len(stats))
	p.XNames = make([]string, len(stats))
	for i, s := range stats {
		xs[i], rel[i], p.XNames[i] = float64(i), s.RelErr, s.Name
		if s.MaxScale > 0 {
			abs[i] = s.MaxAbsErr / s.MaxScale
		}
	}
	p.Add("‖W − Ŵ‖/‖W‖", xs, rel)
	p.Add("max|W − Ŵ| / max t_j", xs, abs)
	return p
}
