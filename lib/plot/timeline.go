package plot

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"github.com/seq2go/seq2go/lib/nn"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Timeline draws spans of time on rows — who worked on what, and when: the
// pipeline diagram of model parallelism (section 4, fast training), where
// each row is a layer on its own core and each bar the time step it worked
// on, so that the wavefront shows as a staircase.
//
//	tl := plot.NewTimeline("pipeline", "time (ms)", "layer 1", "layer 2")
//	tl.Add("forward", 0, 0.0, 1.1, "1")  // series, row, start, end, label
//	tl.Add("forward", 1, 1.1, 2.3, "1")
//	tl.Add("forward", 0, 1.1, 2.2, "2")
//
// Row 0 is drawn at the bottom, as the first layer of a stack. Each series
// has its own colour and legend entry; a bar's label is written inside it
// when it fits.
type Timeline struct {
	Title, XLabel string

	// Width, Height and DPI are the figure's size, as in Line.
	Width, Height float64
	DPI           int

	rows   []string
	series []string
	bars   []timeBar
}

type timeBar struct {
	series, row int
	start, end  float64
	label       string
}

// NewTimeline returns an empty timeline with the given rows, bottom first.
func NewTimeline(title, xlabel string, rows ...string) *Timeline {
	return &Timeline{Title: title, XLabel: xlabel, Width: DefaultWidth, Height: DefaultHeight, DPI: DefaultDPI,
		rows: append([]string(nil), rows...)}
}

// Add adds a bar from start to end on row (an index into the rows), in the
// colour of series, with label inside it. It panics if row is not one of
// the rows or with ErrRange unless start ≤ end, both finite.
func (tl *Timeline) Add(series string, row int, start, end float64, label string) {
	if row < 0 || row >= len(tl.rows) {
		panic(fmt.Sprintf("plot: timeline row %d out of %d rows", row, len(tl.rows)))
	}
	if !(start <= end) || math.IsInf(start, 0) || math.IsInf(end, 0) {
		panic(fmt.Errorf("%w: span [%g, %g]", ErrRange, start, end))
	}
	s := -1
	for i, name := range tl.series {
		if name == series {
			s = i
		}
	}
	if s < 0 {
		s = len(tl.series)
		tl.series = append(tl.series, series)
	}
	tl.bars = append(tl.bars, timeBar{series: s, row: row, start: start, end: end, label: label})
}

// Rows returns the row names, bottom first.
func (tl *Timeline) Rows() []string { return append([]string(nil), tl.rows...) }

// Names returns the names of the series in the order they were added.
func (tl *Timeline) Names() []string { return append([]string(nil), tl.series...) }

// Len returns the number of bars.
func (tl *Timeline) Len() int { return len(tl.bars) }

// Range returns the earliest start and the latest end of the bars; [0, 1]
// without bars.
func (tl *Timeline) Range() (min, max float64) {
	if len(tl.bars) == 0 {
		return 0, 1
	}
	min, max = math.Inf(1), math.Inf(-1)
	for _, b := range tl.bars {
		min, max = math.Min(min, b.start), math.Max(max, b.end)
	}
	if min == max {
		max = min + 1
	}
	return min, max
}

// Busy returns the fraction of [min, max] of Range during which row has a
// bar of series (all series when series is ""): how busy a worker was.
// Overlapping bars of one row count once.
func (tl *Timeline) Busy(row int, series string) float64 {
	lo, hi := tl.Range()
	var spans [][2]float64
	for _, b := range tl.bars {
		if b.row == row && (series == "" || tl.series[b.series] == series) {
			spans = append(spans, [2]float64{b.start, b.end})
		}
	}
	slices.SortFunc(spans, func(a, b [2]float64) int { return cmp.Compare(a[0], b[0]) })
	busy, end := 0.0, math.Inf(-1)
	for _, s := range spans {
		start := math.Max(s[0], end)
		if s[1] > start {
			busy += s[1] - start
		}
		end = math.Max(end, s[1])
	}
	return busy / (hi - lo)
}

// barHeight is the height of a bar, in rows.
const barHeight = 0.7

// Plot returns a new gonum plot of the bars, legend included.
func (tl *Timeline) Plot() *gplot.Plot {
	p, entries := tl.build()
	for _, e := range entries {
		p.Legend.Add(e.name, e.thumbs...)
	}
	return p
}

func (tl *Timeline) build() (*gplot.Plot, []legendEntry) {
	p := newPlot(tl.Title, tl.XLabel, "")
	addGrid(p)
	p.Add(&timeBars{tl})
	yt := make(gplot.ConstantTicks, len(tl.rows))
	for i, r := range tl.rows {
		yt[i] = gplot.Tick{Value: float64(i), Label: r}
	}
	p.Y.Tick.Marker = yt
	p.Y.Tick.Length, p.Y.Width = 0, 0
	lo, hi := tl.Range()
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = -0.5, float64(len(tl.rows))-0.5
	var entries []legendEntry
	for i, name := range tl.series {
		entries = append(entries, legendEntry{name, []gplot.Thumbnailer{swatch{colorAt(i)}}})
	}
	if len(entries) > 0 {
		p.Y.Max += 0.25 * float64(len(entries)) // headroom for the legend above the top row
	}
	return p, entries
}

// timeBars is the plotter of a Timeline's bars.
type timeBars struct{ tl *Timeline }

// Plot draws every bar as a filled rectangle with a thin darker outline,
// and its label when the label fits.
func (tb *timeBars) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	style := text.Style{Font: font.From(sans, 7), XAlign: draw.XCenter, YAlign: draw.YCenter,
		Handler: gplot.DefaultTextHandler, Color: color.White}
	for _, b := range tb.tl.bars {
		col := colorAt(b.series)
		r := vg.Rectangle{
			Min: vg.Point{X: trX(b.start), Y: trY(float64(b.row) - barHeight/2)},
			Max: vg.Point{X: trX(b.end), Y: trY(float64(b.row) + barHeight/2)},
		}
		c.SetColor(col)
		c.Fill(r.Path())
		c.SetLineStyle(draw.LineStyle{Color: darken(col), Width: vg.Points(0.3)})
		c.Stroke(r.Path())
		if b.label != "" && style.Width(b.label) < 0.9*(r.Max.X-r.Min.X) {
			c.FillText(style, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, b.label)
		}
	}
}

// DataRange returns the time span of the bars and the rows' band.
func (tb *timeBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = tb.tl.Range()
	return xmin, xmax, -0.5, float64(len(tb.tl.rows)) - 0.5
}

// swatch is a legend thumbnail: a square of one colour.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	c.SetColor(s.c)
	c.Fill(c.Rectangle.Path())
}

func (tl *Timeline) draw(c draw.Canvas) {
	p, entries := tl.build()
	c = draw.Crop(c, vg.Points(4), 0, 0, 0) // gonum puts the row names flush with the left edge
	p.Draw(c)
	// The bars' middles, for placing the legend where it hides none.
	var pts plotter.XYs
	for _, b := range tl.bars {
		pts = append(pts, plotter.XY{X: (b.start + b.end) / 2, Y: float64(b.row)})
	}
	drawLegend(p, c, entries, pts)
}

func (tl *Timeline) size() (vg.Length, vg.Length, int) { return sizeOf(tl.Width, tl.Height, tl.DPI) }

// PNG returns the timeline as a PNG image.
func (tl *Timeline) PNG() []byte { return pngOf(tl) }

// SVG returns the timeline as an SVG document.
func (tl *Timeline) SVG() string { return svgOf(tl) }

// Save writes the timeline to path as PNG, SVG or PDF, chosen by the
// extension.
func (tl *Timeline) Save(path string) error { return save(tl, path) }

// String describes the timeline on one line.
func (tl *Timeline) String() string {
	lo, hi := tl.Range()
	return describe("Timeline", tl.Title, "%d rows, %d series, %d bars over [%.4g, %.4g]", len(tl.rows), len(tl.series), len(tl.bars), lo, hi)
}

// PipelineDiagram draws the spans of an nn.Pipeline's pass (its Spans) as
// the pipeline diagram of GNMT's model parallelism: a row per layer, a bar
// per time step labelled with the step (1-based), forward, backward and the
// weight-gradient products that end a layer's backward pass (dW) in three
// colours, the time in milliseconds from the pass's start.
func PipelineDiagram(spans []nn.Span, layers int) *Timeline {
	rows := make([]string, layers)
	for k := range rows {
		rows[k] = fmt.Sprintf("layer %d", k+1)
	}
	tl := NewTimeline("pipeline", "time (ms)", rows...)
	for _, s := range spans {
		series, label := "forward", "all"
		switch {
		case s.Weights:
			series, label = "weight gradients", "dW"
		case s.Backward:
			series = "backward"
		}
		if s.Step >= 0 {
			label = strconv.Itoa(s.Step + 1)
		}
		tl.Add(series, s.Layer, s.Start.Seconds()*1e3, s.End.Seconds()*1e3, label)
	}
	return tl
}
