package plot

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Step draws a signal, its quantized staircase and the quantization error:
// the talk's picture of 8-bit quantization in GNMT (section 5).
// The upper panel overlays the smooth signal and the staircase; the lower
// panel, on its own scale, shows the error quantized − signal, which for
// rounding to a grid of step s stays within ±s/2.
//
//	xs, x, q := ... // q[i] = scale·round(x[i]/scale)
//	s := plot.NewStep("int8 quantization", xs, x, q)
//
// Points with a non-finite value are left out of the series they spoil.
type Step struct {
	Title, XLabel, YLabel string

	// Width, Height and DPI are the figure's size, as in Line.
	Width, Height float64
	DPI           int

	xs, signal, quantized []float64
}

// NewStep returns the figure of signal and quantized sampled at xs (nil:
// 0, 1, 2, …). It panics with ErrLength unless the slices have the same
// length; they are copied.
func NewStep(title string, xs, signal, quantized []float64) *Step {
	checkPairs(xs, signal)
	if len(signal) != len(quantized) {
		panic(fmt.Errorf("%w: %d signal values, %d quantized values", ErrLength, len(signal), len(quantized)))
	}
	return &Step{Title: title, XLabel: "x", YLabel: "value",
		Width: DefaultWidth, Height: DefaultHeight, DPI: DefaultDPI,
		xs: copyOf(xs), signal: copyOf(signal), quantized: copyOf(quantized)}
}

// Errors returns the error series quantized − signal, element by element.
func (s *Step) Errors() []float64 {
	e := make([]float64, len(s.signal))
	for i := range e {
		e[i] = s.quantized[i] - s.signal[i]
	}
	return e
}

// MaxError returns the largest |quantized − signal| over the finite values.
func (s *Step) MaxError() float64 {
	m := 0.0
	for _, e := range s.Errors() {
		if !math.IsNaN(e) && !math.IsInf(e, 0) {
			m = math.Max(m, math.Abs(e))
		}
	}
	return m
}

// Plots returns new gonum plots of the two panels: the signal with its
// staircase, and the error.
func (s *Step) Plots() (signal, errPlot *gplot.Plot) {
	signal, entries := s.build()
	for _, e := range entries {
		signal.Legend.Add(e.name, e.thumbs...)
	}
	return signal, s.errorPlot()
}

func (s *Step) build() (*gplot.Plot, []legendEntry) {
	p := newPlot(s.Title, "", s.YLabel)
	addGrid(p)
	sig := s.line(s.signal, 0, plotter.NoStep)
	q := s.line(s.quantized, 3, plotter.MidStep)
	p.Add(sig, q)
	return p, []legendEntry{{"signal", []gplot.Thumbnailer{sig}}, {"quantized", []gplot.Thumbnailer{q}}}
}

func (s *Step) errorPlot() *gplot.Plot {
	p := newPlot("", s.XLabel, "error")
	p.Y.Tick.Marker = niceTicks{n: 3}
	addGrid(p)
	zero := plotter.NewFunction(func(float64) float64 { return 0 })
	zero.Color, zero.Width = gridColor, vg.Points(1)
	e := s.line(s.Errors(), 7, plotter.MidStep)
	e.Width = vg.Points(1)
	p.Add(zero, e)
	// The error's range, symmetric about zero, so that zero is in the middle.
	m := s.MaxError()
	if m == 0 {
		m = 1
	}
	p.Y.Min, p.Y.Max = -1.1*m, 1.1*m
	return p
}

// line returns ys against s.xs as a line in colour i with the given steps.
func (s *Step) line(ys []float64, i int, kind plotter.StepKind) *plotter.Line {
	xy, _ := finite(s.xs, ys, false)
	l, err := plotter.NewLine(xy)
	if err != nil {
		panic("plot: " + err.Error())
	}
	l.Color, l.Width, l.StepStyle = colorAt(i), vg.Points(1.5), kind
	return l
}

// draw puts the signal panel in the upper 65 % and the error panel below,
// with their data areas aligned left and right.
func (s *Step) draw(c draw.Canvas) {
	top, entries := s.build()
	bottom := s.errorPlot()
	split := c.Min.Y + 0.35*(c.Max.Y-c.Min.Y)
	topC, botC := c, c
	topC.Min.Y, botC.Max.Y = split, split
	dt, db := top.DataCanvas(topC), bottom.DataCanvas(botC)
	left := max(dt.Min.X, db.Min.X)
	right := min(dt.Max.X, db.Max.X)
	topC = draw.Crop(topC, left-dt.Min.X, right-dt.Max.X, 0, 0)
	botC = draw.Crop(botC, left-db.Min.X, right-db.Max.X, 0, 0)
	top.Draw(topC)
	drawLegend(top, topC, entries, seriesPoints([]lineSeries{{xs: s.xs, ys: s.signal}, {xs: s.xs, ys: s.quantized}}, false))
	bottom.Draw(botC)
}

func (s *Step) size() (vg.Length, vg.Length, int) { return sizeOf(s.Width, s.Height, s.DPI) }

// PNG returns the figure as a PNG image.
func (s *Step) PNG() []byte { return pngOf(s) }

// SVG returns the figure as an SVG document.
func (s *Step) SVG() string { return svgOf(s) }

// Save writes the figure to path as PNG, SVG or PDF, chosen by the
// extension.
func (s *Step) Save(path string) error { return save(s, path) }

// String describes the figure on one line.
func (s *Step) String() string {
	return describe("Step", s.Title, "%d points, max |error| %.4g", len(s.signal), s.MaxError())
}
