package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/gonum/mat"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatMap draws a matrix as a grid of coloured cells with a label for every
// row and column: an attention matrix, with the target words down the side
// and the source words along the bottom (the talk's section 3, "visualize
// attention").
//
//	// a is T_out×T_in: row i holds the weights of output word i over the input words.
//	h := plot.NewHeatMap(a, []string{"the", "cat", "sat"}, []string{"le", "chat", "assis"})
//	h.Annotate = true
//
// Row 0 is at the top, as the matrix is printed. A colour bar on the right
// gives the scale. Cells that are NaN are drawn light gray.
type HeatMap struct {
	Title, XLabel, YLabel string

	// Gray draws the cells from black (Min) to white (Max), as in Bahdanau
	// et al.'s attention figures, instead of viridis (dark purple to yellow).
	Gray bool

	// Annotate writes each cell's value in it, with Format.
	Annotate bool
	Format   string // default "%.2f"

	// Min and Max are the values at the two ends of the colour scale; when
	// both are zero the scale spans the matrix's finite values.
	Min, Max float64

	// Width, Height and DPI are the figure's size, as in Line.
	Width, Height float64
	DPI           int

	m                    *mat.Dense
	rowLabels, colLabels []string
}

// NewHeatMap returns the heat map of a copy of m. rowLabels and colLabels
// name the rows and the columns; nil numbers them from 0. It panics with
// ErrLength when a label slice is not nil and its length is not m's number
// of rows (columns).
func NewHeatMap(m *mat.Dense, rowLabels, colLabels []string) *HeatMap {
	if m == nil {
		panic("plot: NewHeatMap with a nil matrix")
	}
	r, c := m.Dims()
	rowLabels = labelsFor("row", rowLabels, r)
	colLabels = labelsFor("column", colLabels, c)
	return &HeatMap{Format: "%.2f", Width: DefaultWidth, Height: DefaultHeight, DPI: DefaultDPI,
		m: mat.DenseCopyOf(m), rowLabels: rowLabels, colLabels: colLabels}
}

// labelsFor checks labels against n, or numbers n labels from 0.
func labelsFor(what string, labels []string, n int) []string {
	if labels == nil {
		labels = make([]string, n)
		for i := range labels {
			labels[i] = fmt.Sprint(i)
		}
		return labels
	}
	if len(labels) != n {
		panic(fmt.Errorf("%w: %d %s labels for %d %ss", ErrLength, len(labels), what, n, what))
	}
	return append([]string(nil), labels...)
}

// Dims returns the numbers of rows and columns.
func (h *HeatMap) Dims() (r, c int) { return h.m.Dims() }

// Range returns the values at the two ends of the colour scale: Min and
// Max, or the range of the matrix's finite values when both are zero.
func (h *HeatMap) Range() (min, max float64) {
	if h.Min != 0 || h.Max != 0 {
		return h.Min, h.Max
	}
	min, max = math.Inf(1), math.Inf(-1)
	r, c := h.m.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := h.m.At(i, j); !math.IsNaN(v) && !math.IsInf(v, 0) {
				min, max = math.Min(min, v), math.Max(max, v)
			}
		}
	}
	if min > max { // no finite value
		return 0, 1
	}
	return min, max
}

// scale returns Range widened when it is a single value, so that every
// cell maps to a colour (gonum's HeatMap divides by Max-Min).
func (h *HeatMap) scale() (lo, hi float64) {
	lo, hi = h.Range()
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi
}

func (h *HeatMap) stops() []color.RGBA {
	if h.Gray {
		return grays
	}
	return viridis
}

// Plot returns a new gonum plot of the cells and labels, without the colour
// bar.
func (h *HeatMap) Plot() *gplot.Plot {
	p := newPlot(h.Title, h.XLabel, h.YLabel)
	rows, cols := h.m.Dims()
	lo, hi := h.scale()
	hm := plotter.NewHeatMap(matGrid{h.m}, newRamp(h.stops(), 256))
	hm.Min, hm.Max = lo, hi
	hm.Underflow, hm.Overflow = interpolate(h.stops(), 0), interpolate(h.stops(), 1)
	hm.NaN = rgb(0xdddddd)
	p.Add(hm)

	// Labels as ticks, without tick marks or axis lines: a matrix has no axis.
	xt := make(gplot.ConstantTicks, cols)
	for j, l := range h.colLabels {
		xt[j] = gplot.Tick{Value: float64(j), Label: l}
	}
	yt := make(gplot.ConstantTicks, rows)
	for i, l := range h.rowLabels {
		yt[i] = gplot.Tick{Value: float64(rows - 1 - i), Label: l}
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = xt, yt
	for _, a := range []*gplot.Axis{&p.X, &p.Y} {
		a.Tick.Length, a.Width, a.Padding = 0, 0, 0
		a.Tick.Label.Font = font.From(sans, 10)
	}
	p.X.Min, p.X.Max = -0.5, float64(cols)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5

	if h.Annotate {
		p.Add(h.annotations(lo, hi))
	}
	return p
}

// rotateColumnLabels turns the column labels vertical when the widest of
// them does not fit in a cell of the data area dc, and reports whether it
// did.
func (h *HeatMap) rotateColumnLabels(p *gplot.Plot, dc draw.Canvas) bool {
	_, cols := h.m.Dims()
	cell := (dc.Max.X - dc.Min.X) / vg.Length(cols)
	var widest vg.Length
	for _, l := range h.colLabels {
		widest = max(widest, p.X.Tick.Label.Width(l))
	}
	if widest > 0.9*cell {
		p.X.Tick.Label.Rotation = math.Pi / 2
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
		return true
	}
	return false
}

// annotations returns the cells' values as labels, white on dark cells and
// black on light ones.
func (h *HeatMap) annotations(lo, hi float64) *plotter.Labels {
	rows, cols := h.m.Dims()
	xyl := plotter.XYLabels{XYs: make(plotter.XYs, 0, rows*cols)}
	var styles []text.Style
	format := h.Format
	if format == "" {
		format = "%.2f"
	}
	base := text.Style{Font: font.From(sans, 8.5), XAlign: draw.XCenter, YAlign: draw.YCenter,
		Handler: gplot.DefaultTextHandler}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			v := h.m.At(i, j)
			xyl.XYs = append(xyl.XYs, plotter.XY{X: float64(j), Y: float64(rows - 1 - i)})
			xyl.Labels = append(xyl.Labels, fmt.Sprintf(format, v))
			s := base
			s.Color = color.Black
			if !math.IsNaN(v) && luminance(interpolate(h.stops(), (v-lo)/(hi-lo))) < 0.5 {
				s.Color = color.White
			}
			styles = append(styles, s)
		}
	}
	labels, err := plotter.NewLabels(xyl)
	if err != nil {
		panic("plot: " + err.Error())
	}
	labels.TextStyle = styles
	return labels
}

func (h *HeatMap) draw(c draw.Canvas) {
	p := h.Plot()
	// The colour bar takes the right 1.6 cm; the map the rest.
	const barWidth = 1.6 * vg.Centimeter
	mapC := draw.Crop(c, 0, -barWidth, 0, 0)
	if h.rotateColumnLabels(p, p.DataCanvas(mapC)) {
		// gonum draws a vertical tick label a little above the space it
		// reserves for it, so that the cells would cover the label's last
		// letters: move the cells up by that much.
		p.X.Padding = p.X.Tick.Label.FontExtents().Descent + vg.Points(3)
	}
	dc := p.DataCanvas(mapC)
	p.Draw(mapC)
	h.drawColorBar(c, vg.Rectangle{
		Min: vg.Point{X: c.Max.X - barWidth + 0.3*vg.Centimeter, Y: dc.Min.Y},
		Max: vg.Point{X: c.Max.X - barWidth + 0.65*vg.Centimeter, Y: dc.Max.Y},
	})
}

// drawColorBar draws the colour scale in the strip r, low values at the
// bottom, with tick labels to its right.
func (h *HeatMap) drawColorBar(c draw.Canvas, r vg.Rectangle) {
	lo, hi := h.scale()
	const n = 128 // colour steps
	step := (r.Max.Y - r.Min.Y) / n
	for i := 0; i < n; i++ {
		cell := vg.Rectangle{
			Min: vg.Point{X: r.Min.X, Y: r.Min.Y + vg.Length(i)*step},
			Max: vg.Point{X: r.Max.X, Y: r.Min.Y + vg.Length(i+1)*step + 0.2}, // overlap: no hairline gaps
		}
		c.SetColor(interpolate(h.stops(), (float64(i)+0.5)/n))
		c.Fill(cell.Path())
	}
	line := draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}
	c.SetLineStyle(line)
	c.Stroke(r.Path())
	sty := text.Style{Color: color.Black, Font: font.From(sans, 9), XAlign: draw.XLeft, YAlign: draw.YCenter,
		Handler: gplot.DefaultTextHandler}
	for _, t := range (niceTicks{n: 5}).Ticks(lo, hi) {
		y := r.Min.Y + vg.Length((t.Value-lo)/(hi-lo))*(r.Max.Y-r.Min.Y)
		c.StrokeLine2(line, r.Max.X, y, r.Max.X+vg.Points(2), y)
		if t.Label != "" {
			c.FillText(sty, vg.Point{X: r.Max.X + vg.Points(4), Y: y}, t.Label)
		}
	}
}

func (h *HeatMap) size() (vg.Length, vg.Length, int) { return sizeOf(h.Width, h.Height, h.DPI) }

// PNG returns the heat map as a PNG image.
func (h *HeatMap) PNG() []byte { return pngOf(h) }

// SVG returns the heat map as an SVG document.
func (h *HeatMap) SVG() string { return svgOf(h) }

// Save writes the heat map to path as PNG, SVG or PDF, chosen by the
// extension.
func (h *HeatMap) Save(path string) error { return save(h, path) }

// String describes the heat map on one line.
func (h *HeatMap) String() string {
	r, c := h.m.Dims()
	lo, hi := h.Range()
	return describe("HeatMap", h.Title, "%d×%d, values in [%.4g, %.4g]", r, c, lo, hi)
}

// matGrid is a matrix as a plotter.GridXYZ: column j at x = j, row i at
// y = rows-1-i, so that row 0 is drawn at the top.
type matGrid struct{ m *mat.Dense }

func (g matGrid) Dims() (c, r int) {
	r, c = g.m.Dims()
	return c, r
}

func (g matGrid) Z(c, r int) float64 {
	rows, _ := g.m.Dims()
	return g.m.At(rows-1-r, c)
}

func (g matGrid) X(c int) float64 { return float64(c) }
func (g matGrid) Y(r int) float64 { return float64(r) }
