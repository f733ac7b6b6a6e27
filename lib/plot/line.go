package plot

import (
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Line is a line plot of named series: loss curves, with one series for the
// training loss and one for the validation loss.
//
//	p := plot.NewLine("loss", "step", "nats/char")
//	p.Add("train", steps, trainLoss)
//	p.Add("val", valSteps, valLoss)
//	p.LogY = true
//	p.Save("loss.png")
//
// Points whose x or y is NaN or ±Inf — a loss that diverged — are left out,
// and so are points with y ≤ 0 when LogY is set: the curve goes on from the
// next drawable point instead of the figure failing. Text draws the plot
// with Unicode braille characters for a terminal.
type Line struct {
	Title, XLabel, YLabel string

	// LogY draws the y axis on a logarithmic scale.
	LogY bool

	// XNames, when set, name the points x = 0, 1, 2, …: the x axis shows
	// the names, slanted, instead of numbers (a value per layer, say). Text
	// keeps the numbers.
	XNames []string

	// Width and Height are the figure's size in centimetres and DPI the
	// resolution of its PNG; zero means DefaultWidth, DefaultHeight and
	// DefaultDPI.
	Width, Height float64
	DPI           int

	series []lineSeries
}

type lineSeries struct {
	name   string
	xs, ys []float64 // xs nil: 0, 1, 2, …
}

// NewLine returns an empty line plot with a title and axis labels, of the
// default size.
func NewLine(title, xlabel, ylabel string) *Line {
	return &Line{Title: title, XLabel: xlabel, YLabel: ylabel,
		Width: DefaultWidth, Height: DefaultHeight, DPI: DefaultDPI}
}

// Add adds the series name with the points (xs[i], ys[i]), or (i, ys[i])
// when xs is nil. It replaces an earlier series of the same name, so a
// training loop may Add its growing slices again before each redraw. The
// slices are copied. Add panics with ErrLength if xs is not nil and its
// length differs from ys's.
func (l *Line) Add(name string, xs, ys []float64) {
	checkPairs(xs, ys)
	s := lineSeries{name: name, xs: copyOf(xs), ys: copyOf(ys)}
	if s.ys == nil {
		s.ys = []float64{}
	}
	for i := range l.series {
		if l.series[i].name == name {
			l.series[i] = s
			return
		}
	}
	l.series = append(l.series, s)
}

// Append adds the point (x, y) at the end of the series name, creating the
// series if there is none of that name.
func (l *Line) Append(name string, x, y float64) {
	for i := range l.series {
		s := &l.series[i]
		if s.name != name {
			continue
		}
		if s.xs == nil { // an Add with nil xs: make its x values explicit
			s.xs = make([]float64, len(s.ys))
			for j := range s.xs {
				s.xs[j] = float64(j)
			}
		}
		s.xs = append(s.xs, x)
		s.ys = append(s.ys, y)
		return
	}
	l.series = append(l.series, lineSeries{name: name, xs: []float64{x}, ys: []float64{y}})
}

// Names returns the names of the series in the order they were added.
func (l *Line) Names() []string {
	names := make([]string, len(l.series))
	for i, s := range l.series {
		names[i] = s.name
	}
	return names
}

// Series returns a copy of the points of the series name, with xs filled in
// for a series added without x values; nil, nil if there is no such series.
func (l *Line) Series(name string) (xs, ys []float64) {
	for _, s := range l.series {
		if s.name != name {
			continue
		}
		xs = copyOf(s.xs)
		if xs == nil {
			xs = make([]float64, len(s.ys))
			for i := range xs {
				xs[i] = float64(i)
			}
		}
		return xs, copyOf(s.ys)
	}
	return nil, nil
}

// Bounds returns the range of the drawable points of all series (all NaN
// when there are none).
func (l *Line) Bounds() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range l.series {
		xy, _ := finite(s.xs, s.ys, l.LogY)
		for _, p := range xy {
			xmin, xmax = math.Min(xmin, p.X), math.Max(xmax, p.X)
			ymin, ymax = math.Min(ymin, p.Y), math.Max(ymax, p.Y)
		}
	}
	if xmin > xmax {
		nan := math.NaN()
		return nan, nan, nan, nan
	}
	return xmin, xmax, ymin, ymax
}

// Plot returns a new gonum plot of l, legend included, for changes beyond
// the fields of Line; draw or save it with gonum's API.
func (l *Line) Plot() *gplot.Plot {
	p, entries := l.build()
	for _, e := range entries {
		p.Legend.Add(e.name, e.thumbs...)
	}
	return p
}

// build returns the plot without its legend, and the legend's entries.
func (l *Line) build() (*gplot.Plot, []legendEntry) {
	p := newPlot(l.Title, l.XLabel, l.YLabel)
	addGrid(p)
	var entries []legendEntry
	for i, s := range l.series {
		xy, _ := finite(s.xs, s.ys, l.LogY)
		line, err := plotter.NewLine(xy)
		if err != nil {
			panic("plot: " + err.Error()) // finite has removed what NewLine rejects
		}
		line.Color = colorAt(i)
		line.Width = vg.Points(1.5)
		p.Add(line)
		thumbs := []gplot.Thumbnailer{line}
		if len(xy) == 1 { // a single point draws no line: mark it
			sc, _ := plotter.NewScatter(xy)
			sc.GlyphStyle = draw.GlyphStyle{Color: colorAt(i), Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
			p.Add(sc)
			thumbs = append(thumbs, sc)
		}
		if s.name != "" {
			entries = append(entries, legendEntry{s.name, thumbs})
		}
	}
	if l.XNames != nil {
		ticks := make([]gplot.Tick, len(l.XNames))
		for i, name := range l.XNames {
			ticks[i] = gplot.Tick{Value: float64(i), Label: name}
		}
		p.X.Tick.Marker = gplot.ConstantTicks(ticks)
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YTop
		// Half a step of room on either side, for the first name's slant.
		p.X.Min, p.X.Max = min(p.X.Min, -0.5), max(p.X.Max, float64(len(l.XNames))-0.5)
	}
	if l.LogY {
		p.Y.Scale = gplot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
		if !(p.Y.Min > 0) { // no positive data: an empty decade
			p.Y.Min, p.Y.Max = 1, 10
		}
	}
	return p, entries
}

func (l *Line) draw(c draw.Canvas) {
	p, entries := l.build()
	if l.LogY {
		c = drawYLabel(p, c)
	}
	p.Draw(c)
	drawLegend(p, c, entries, seriesPoints(l.series, l.LogY))
}

// drawYLabel draws p's y-axis label at the left of c, centred on the data
// area, as gonum draws it, and returns the rest of c, for p without its
// label. gonum (v0.17.0) reserves room above the axis for the label as if
// it were centred on the arithmetic mean of the axis range, which on a
// logarithmic axis lies high up (1.36 on an axis from 0.025 to 2.7): the
// plot got an empty band of about 60 pixels under the title.
func drawYLabel(p *gplot.Plot, c draw.Canvas) draw.Canvas {
	text := p.Y.Label.Text
	if text == "" {
		return c
	}
	style := p.Y.Label.TextStyle
	height, descent := style.Height(text), style.FontExtents().Descent
	p.Y.Label.Text = ""
	rest := draw.Crop(c, height+descent+p.Y.Label.Padding, 0, 0, 0)
	dc := p.DataCanvas(rest)
	style.Rotation += math.Pi / 2
	c.FillText(style, vg.Point{X: c.Min.X + height - descent, Y: dc.Center().Y}, text)
	return rest
}

// seriesPoints returns the drawable points of all series, for placing a
// legend where it hides the fewest.
func seriesPoints(series []lineSeries, positiveY bool) plotter.XYs {
	var pts plotter.XYs
	for _, s := range series {
		xy, _ := finite(s.xs, s.ys, positiveY)
		pts = append(pts, xy...)
	}
	return pts
}

func (l *Line) size() (vg.Length, vg.Length, int) { return sizeOf(l.Width, l.Height, l.DPI) }

// PNG returns the plot as a PNG image of Width×Height cm at DPI.
func (l *Line) PNG() []byte { return pngOf(l) }

// SVG returns the plot as an SVG document.
func (l *Line) SVG() string { return svgOf(l) }

// Save writes the plot to path as PNG, SVG or PDF, chosen by the extension
// (.png, .svg, .pdf).
func (l *Line) Save(path string) error { return save(l, path) }

// String returns the plot drawn in text, 60 columns by 12 lines (see Text):
// a front end that shows only text/plain still shows the curve's shape.
func (l *Line) String() string { return l.Text(60, 12) }

// logTicks labels a logarithmic axis: every decade, and inside the decades
// 1-2-5 when the axis spans at most two decades, or 1, 1.5, 2, 3, 4, 5, 6
// and 8 when it spans less than one, so that a loss curve from 4.2 down to
// 1.1 gets more than the single label that gonum's LogTicks would give it.
type logTicks struct{}

func (logTicks) Ticks(min, max float64) []gplot.Tick {
	if !(min > 0 && max > min) {
		return nil
	}
	span := math.Log10(max / min)
	mantissas := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	labelled := func(m float64) bool {
		switch {
		case span < 1:
			return m != 7 && m != 9
		case span <= 2:
			return m == 1 || m == 2 || m == 5
		}
		return m == 1
	}
	if span < 1 {
		mantissas = []float64{1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9}
	}
	var ticks []gplot.Tick
	for e := math.Floor(math.Log10(min)); math.Pow(10, e) <= max; e++ {
		for _, m := range mantissas {
			v := m * math.Pow(10, e)
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := gplot.Tick{Value: v}
			if labelled(m) {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}
