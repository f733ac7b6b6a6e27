package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/gonum/mat"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Scatter draws points with a text label beside each: word vectors
// projected to two dimensions, where the words of a group (countries and
// their capitals, male and female forms) get their own colour and legend
// entry (the 2-D picture of the embedding space in the talk's section 4).
//
//	s := plot.NewScatter("word vectors (PCA)", "PC 1", "PC 2")
//	s.AddRows("countries", xy, []string{"France", "Italy", "Spain"}) // xy is 3×2
//
// Points with a non-finite coordinate are left out, with their labels.
type Scatter struct {
	Title, XLabel, YLabel string

	// Width, Height and DPI are the figure's size, as in Line.
	Width, Height float64
	DPI           int

	groups []scatterGroup
}

type scatterGroup struct {
	name   string
	xs, ys []float64
	labels []string // nil: no labels
}

// NewScatter returns an empty scatter plot with a title and axis labels.
func NewScatter(title, xlabel, ylabel string) *Scatter {
	return &Scatter{Title: title, XLabel: xlabel, YLabel: ylabel,
		Width: DefaultWidth, Height: DefaultHeight, DPI: DefaultDPI}
}

// Add adds a group of points (xs[i], ys[i]) named name, with labels[i] next
// to point i; labels may be nil. It panics with ErrLength unless the slices
// (labels, when given) have the same length. The slices are copied.
func (s *Scatter) Add(name string, xs, ys []float64, labels []string) {
	if len(xs) != len(ys) || (labels != nil && len(labels) != len(xs)) {
		panic(fmt.Errorf("%w: %d x values, %d y values, %d labels", ErrLength, len(xs), len(ys), len(labels)))
	}
	var ls []string
	if labels != nil {
		ls = append([]string{}, labels...)
	}
	s.groups = append(s.groups, scatterGroup{name: name, xs: copyOf(xs), ys: copyOf(ys), labels: ls})
}

// AddRows adds a group whose points are the rows of xy: x from column 0, y
// from column 1 (further columns are ignored), as a projection to two
// dimensions returns them (N×2, one word a row). It panics if xy has fewer
// than two columns, and with ErrLength if labels is not nil and not one per
// row.
func (s *Scatter) AddRows(name string, xy *mat.Dense, labels []string) {
	r, c := xy.Dims()
	if c < 2 {
		panic(fmt.Sprintf("plot: AddRows needs at least 2 columns, got %d×%d", r, c))
	}
	s.Add(name, mat.Col(nil, 0, xy), mat.Col(nil, 1, xy), labels)
}

// Len returns the number of points in all groups.
func (s *Scatter) Len() int {
	n := 0
	for _, g := range s.groups {
		n += len(g.xs)
	}
	return n
}

// Bounds returns the range of the drawable points (all NaN when there are
// none).
func (s *Scatter) Bounds() (xmin, xmax, ymin, ymax float64) {
	l := Line{}
	for _, g := range s.groups {
		l.series = append(l.series, lineSeries{xs: g.xs, ys: g.ys})
	}
	return l.Bounds()
}

// Plot returns a new gonum plot of s, legend included.
func (s *Scatter) Plot() *gplot.Plot {
	p, entries := s.build()
	for _, e := range entries {
		p.Legend.Add(e.name, e.thumbs...)
	}
	return p
}

func (s *Scatter) build() (*gplot.Plot, []legendEntry) {
	p := newPlot(s.Title, s.XLabel, s.YLabel)
	addGrid(p)
	var entries []legendEntry
	for i, g := range s.groups {
		col := colorAt(i)
		xy, idx := finite(g.xs, g.ys, false)
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			panic("plot: " + err.Error())
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		if g.labels != nil && len(xy) > 0 {
			text := make([]string, len(idx))
			for j, k := range idx {
				text[j] = g.labels[k]
			}
			labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: text})
			if err != nil {
				panic("plot: " + err.Error())
			}
			for j := range labels.TextStyle {
				labels.TextStyle[j].Font = font.From(sans, 9)
				labels.TextStyle[j].Color = darken(col)
				labels.TextStyle[j].YAlign = draw.YCenter
			}
			labels.Offset = vg.Point{X: vg.Points(5)} // right of the marker
			p.Add(labels)
		}
		if g.name != "" {
			entries = append(entries, legendEntry{g.name, []gplot.Thumbnailer{sc}})
		}
	}
	return p, entries
}

// darken returns c at 60 % brightness, so a label reads as belonging to
// its marker while staying legible on white.
func darken(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	f := func(v uint32) uint8 { return uint8(math.Round(float64(v>>8) * 0.6)) }
	return color.RGBA{R: f(r), G: f(g), B: f(b), A: 255}
}

func (s *Scatter) draw(c draw.Canvas) {
	p, entries := s.build()
	p.Draw(c)
	var pts plotter.XYs
	for _, g := range s.groups {
		xy, _ := finite(g.xs, g.ys, false)
		pts = append(pts, xy...)
	}
	drawLegend(p, c, entries, pts)
}

func (s *Scatter) size() (vg.Length, vg.Length, int) { return sizeOf(s.Width, s.Height, s.DPI) }

// PNG returns the plot as a PNG image.
func (s *Scatter) PNG() []byte { return pngOf(s) }

// SVG returns the plot as an SVG document.
func (s *Scatter) SVG() string { return svgOf(s) }

// Save writes the plot to path as PNG, SVG or PDF, chosen by the extension.
func (s *Scatter) Save(path string) error { return save(s, path) }

// String describes the plot on one line.
func (s *Scatter) String() string {
	return describe("Scatter", s.Title, "%d points in %d groups", s.Len(), len(s.groups))
}
