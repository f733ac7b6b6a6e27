package plot

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Histogram counts values in equal bins: the distribution of quantization
// errors, or of weights before and after int8 quantization overlaid in two
// translucent colours (the talk's section 5, fast translation).
//
//	h := plot.NewHistogram("quantization error", "error", 40)
//	h.Add("before", w)
//	h.Add("after", wq)
//
// All series share the same bins, Bins equal intervals over the range of all
// their values, so that overlaid bars compare. Non-finite values are left
// out.
type Histogram struct {
	Title, XLabel, YLabel string

	// Bins is the number of bins.
	Bins int

	// Width, Height and DPI are the figure's size, as in Line.
	Width, Height float64
	DPI           int

	series []histSeries
}

type histSeries struct {
	name   string
	values []float64
}

// NewHistogram returns an empty histogram of bins bins with a title and an
// x-axis label; the y axis is labelled "count". It panics if bins < 1.
func NewHistogram(title, xlabel string, bins int) *Histogram {
	h := &Histogram{Title: title, XLabel: xlabel, YLabel: "count", Bins: bins,
		Width: DefaultWidth, Height: DefaultHeight, DPI: DefaultDPI}
	h.bins()
	return h
}

// Add adds the series name of values, copied.
func (h *Histogram) Add(name string, values []float64) {
	h.series = append(h.series, histSeries{name: name, values: copyOf(values)})
}

// Names returns the names of the series in the order they were added.
func (h *Histogram) Names() []string {
	names := make([]string, len(h.series))
	for i, s := range h.series {
		names[i] = s.name
	}
	return names
}

func (h *Histogram) bins() int {
	if h.Bins < 1 {
		panic(fmt.Sprintf("plot: a histogram needs at least 1 bin, got %d", h.Bins))
	}
	return h.Bins
}

// Range returns the smallest and largest finite value of all series; the
// bins span it. A single value v gives [v-½, v+½], no values [0, 1].
func (h *Histogram) Range() (min, max float64) {
	min, max = math.Inf(1), math.Inf(-1)
	for _, s := range h.series {
		for _, v := range s.values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				min, max = math.Min(min, v), math.Max(max, v)
			}
		}
	}
	switch {
	case min > max:
		return 0, 1
	case min == max:
		return min - 0.5, max + 0.5
	}
	return min, max
}

// Edges returns the Bins+1 bin edges: bin i holds the values in
// [edges[i], edges[i+1]), the last bin also its upper edge.
func (h *Histogram) Edges() []float64 {
	n := h.bins()
	lo, hi := h.Range()
	edges := make([]float64, n+1)
	for i := range edges {
		edges[i] = lo + float64(i)/float64(n)*(hi-lo)
	}
	edges[n] = hi
	return edges
}

// Counts returns the number of finite values of the series name in each
// bin; nil if there is no such series.
func (h *Histogram) Counts(name string) []float64 {
	for _, s := range h.series {
		if s.name == name {
			return h.count(s.values)
		}
	}
	return nil
}

func (h *Histogram) count(values []float64) []float64 {
	n := h.bins()
	lo, hi := h.Range()
	counts := make([]float64, n)
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		i := int((v - lo) / (hi - lo) * float64(n))
		counts[min(max(i, 0), n-1)]++ // the maximum falls in the last bin
	}
	return counts
}

// Plot returns a new gonum plot of h, legend included.
func (h *Histogram) Plot() *gplot.Plot {
	p, entries := h.build()
	for _, e := range entries {
		p.Legend.Add(e.name, e.thumbs...)
	}
	return p
}

func (h *Histogram) build() (*gplot.Plot, []legendEntry) {
	p := newPlot(h.Title, h.XLabel, h.YLabel)
	addGrid(p)
	edges := h.Edges()
	alpha := 1.0
	if len(h.series) > 1 {
		alpha = 0.5 // overlaid series show through each other
	}
	var entries []legendEntry
	for i, s := range h.series {
		counts := h.count(s.values)
		bins := make([]plotter.HistogramBin, len(counts))
		for j, c := range counts {
			bins[j] = plotter.HistogramBin{Min: edges[j], Max: edges[j+1], Weight: c}
		}
		bar := &plotter.Histogram{
			Bins:      bins,
			Width:     edges[1] - edges[0],
			FillColor: withAlpha(colorAt(i), alpha),
			LineStyle: draw.LineStyle{Color: darken(colorAt(i)), Width: vg.Points(0.5)},
		}
		p.Add(bar)
		if s.name != "" {
			entries = append(entries, legendEntry{s.name, []gplot.Thumbnailer{bar}})
		}
	}
	p.Y.Min = 0
	if len(entries) > 0 {
		p.Y.Max *= 1.15 // headroom above the highest bar for the legend
	}
	return p, entries
}

func (h *Histogram) draw(c draw.Canvas) {
	p, entries := h.build()
	p.Draw(c)
	// The bars, as points up each bin's middle, for placing the legend.
	var pts plotter.XYs
	edges := h.Edges()
	for _, s := range h.series {
		for i, n := range h.count(s.values) {
			for k := 1; k <= 4; k++ {
				pts = append(pts, plotter.XY{X: (edges[i] + edges[i+1]) / 2, Y: n * float64(k) / 4})
			}
		}
	}
	drawLegend(p, c, entries, pts)
}

func (h *Histogram) size() (vg.Length, vg.Length, int) { return sizeOf(h.Width, h.Height, h.DPI) }

// PNG returns the histogram as a PNG image.
func (h *Histogram) PNG() []byte { return pngOf(h) }

// SVG returns the histogram as an SVG document.
func (h *Histogram) SVG() string { return svgOf(h) }

// Save writes the histogram to path as PNG, SVG or PDF, chosen by the
// extension.
func (h *Histogram) Save(path string) error { return save(h, path) }

// String describes the histogram on one line.
func (h *Histogram) String() string {
	lo, hi := h.Range()
	return describe("Histogram", h.Title, "%d series, %d bins over [%.4g, %.4g]", len(h.series), h.bins(), lo, hi)
}
