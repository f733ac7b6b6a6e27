package plot_test

import (
	"fmt"
	"math"

	"github.com/seq2go/seq2go/lib/plot"
	"gonum.org/v1/gonum/mat"
)

// A loss curve. In a notebook the last line of a cell, p, draws the figure;
// here Text draws it in characters.
func ExampleLine() {
	p := plot.NewLine("loss", "step", "nats/char")
	var steps, loss []float64
	for step := 0; step <= 100; step += 10 {
		steps = append(steps, float64(step))
		loss = append(loss, 1+3*math.Exp(-float64(step)/20))
	}
	p.Add("train", steps, loss)
	p.Append("val", 100, 1.2)

	xmin, xmax, ymin, ymax := p.Bounds()
	fmt.Println(p.Names())
	fmt.Printf("x in [%g, %g], y in [%.3f, %.3f]\n", xmin, xmax, ymin, ymax)
	fmt.Println(p.Text(30, 7))
	// Output:
	// [train val]
	// x in [0, 100], y in [1.020, 4.000]
	// loss: train, val
	//    4 ┤⠑⢄
	//      │ ⠈⠢⡀
	//      │   ⠈⠢⢄⡀
	// 1.02 ┤      ⠈⠉⠑⠒⠒⠤⠤⠤⠤⢄⣀⣀⣀⣀⣀⣀⣀⣠
	//      └────────────────────────
	//       0                    100
}

// Gradient descent on an elongated bowl: plain SGD creeps along the long
// axis (x shrinks by 1-0.18 a step) and zigzags across the narrow one (y is
// multiplied by 1-1.8 = -0.8).
func ExampleContour() {
	f := func(x, y float64) float64 { return 0.5*x*x + 5*y*y }
	c := plot.NewContour(f, -4, 4, -2, 2)
	c.Title = "SGD on ½x² + 5y²"

	x, y, lr := -3.5, 1.5, 0.18
	xs, ys := []float64{x}, []float64{y}
	for step := 0; step < 20; step++ {
		x, y = x-lr*x, y-lr*10*y // ∇f = (x, 10y)
		xs, ys = append(xs, x), append(ys, y)
	}
	c.AddPath("SGD", xs, ys)

	fmt.Println(c)
	fmt.Println(len(c.ContourLevels()), "contour levels")
	fmt.Printf("SGD ends at (%.3f, %.3f)\n", x, y)
	// Output:
	// plot.Contour "SGD on ½x² + 5y²": [-4, 4]×[-2, 2], 1 paths
	// 14 contour levels
	// SGD ends at (-0.066, 0.017)
}

// Attention weights: each row (an output word) sums to 1 over the columns
// (the input words).
func ExampleHeatMap() {
	a := mat.NewDense(2, 3, []float64{
		0.8, 0.15, 0.05,
		0.1, 0.2, 0.7,
	})
	h := plot.NewHeatMap(a, []string{"le", "chat"}, []string{"the", "cat", "<end>"})
	h.Title = "attention"
	h.Annotate = true
	fmt.Println(h)
	r, c := h.Dims()
	fmt.Println(r, "rows,", c, "columns")
	// Output:
	// plot.HeatMap "attention": 2×3, values in [0.05, 0.8]
	// 2 rows, 3 columns
}

// Word vectors after a projection to two dimensions, one group per colour.
func ExampleScatter() {
	s := plot.NewScatter("word vectors", "PC 1", "PC 2")
	s.Add("countries", []float64{-1.2, -0.9}, []float64{0.8, 0.3}, []string{"France", "Italy"})
	xy := mat.NewDense(2, 2, []float64{
		0.9, 0.7, // Paris
		1.2, 0.2, // Rome
	})
	s.AddRows("capitals", xy, []string{"Paris", "Rome"})
	fmt.Println(s)
	xmin, xmax, ymin, ymax := s.Bounds()
	fmt.Println(xmin, xmax, ymin, ymax)
	// Output:
	// plot.Scatter "word vectors": 4 points in 2 groups
	// -1.2 1.2 0.2 0.8
}

// The error of rounding 0, 0.01, …, 0.99 to a grid of 0.5 is spread evenly
// over [-0.25, 0.25].
func ExampleHistogram() {
	var errs []float64
	for i := 0; i < 100; i++ {
		w := float64(i) / 100
		errs = append(errs, 0.5*math.Round(w/0.5)-w)
	}
	h := plot.NewHistogram("quantization error", "q − w", 4)
	h.Add("error", errs)
	fmt.Println(h)
	fmt.Printf("%.4f\n", h.Edges())
	fmt.Println(h.Counts("error"))
	// Output:
	// plot.Histogram "quantization error": 1 series, 4 bins over [-0.24, 0.25]
	// [-0.2400 -0.1175 0.0050 0.1275 0.2500]
	// [26 24 24 26]
}

// A sine and its staircase on a grid of 0.25: the error stays within ±0.125.
func ExampleStep() {
	var xs, signal, quantized []float64
	for i := 0; i <= 100; i++ {
		x := float64(i) / 100 * 2 * math.Pi
		v := math.Sin(x)
		xs = append(xs, x)
		signal = append(signal, v)
		quantized = append(quantized, 0.25*math.Round(v/0.25))
	}
	s := plot.NewStep("quantization", xs, signal, quantized)
	fmt.Printf("max |error| %.3f ≤ 0.125\n", s.MaxError())
	// Output:
	// max |error| 0.125 ≤ 0.125
}

// Two layers pipelined over three time steps: layer 2 starts step t when
// layer 1 has finished it, so each layer is busy 3 of the 4 time units.
func ExampleTimeline() {
	tl := plot.NewTimeline("pipeline", "time", "layer 1", "layer 2")
	for t := 0; t < 3; t++ {
		tl.Add("forward", 0, float64(t), float64(t+1), fmt.Sprint(t+1))
		tl.Add("forward", 1, float64(t+1), float64(t+2), fmt.Sprint(t+1))
	}
	fmt.Println(tl)
	fmt.Printf("busy: layer 1 %.2f, layer 2 %.2f\n", tl.Busy(0, ""), tl.Busy(1, ""))
	// Output:
	// plot.Timeline "pipeline": 2 rows, 1 series, 6 bars over [0, 4]
	// busy: layer 1 0.75, layer 2 0.75
}
