package plot

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Contour draws the contour lines of a function of two variables — a loss
// surface — with the paths that optimizers take across it (the talk's
// gradient-descent picture in section 4, and tutorial chapter 07):
//
//	// Rosenbrock's banana valley, minimum at (1, 1).
//	f := func(x, y float64) float64 { return (1-x)*(1-x) + 100*(y-x*x)*(y-x*x) }
//	c := plot.NewContour(f, -2, 2, -1, 3)
//	c.AddPath("SGD", sgdX, sgdY)
//	c.AddPath("Adam", adamX, adamY)
//
// f is sampled on a Samples×Samples grid over the range given to NewContour,
// once, the first time the figure is drawn; the axes keep that range, and
// the parts of a path outside it (a diverging optimizer) are clipped.
// Non-finite values of f are holes in the contours.
type Contour struct {
	Title, XLabel, YLabel string

	// Levels are the heights of the contour lines. When nil, NLevels lines
	// are drawn at the quantiles (i/(NLevels+1))², i = 1…NLevels, of the
	// sampled values: quantiles follow the surface's detail wherever it is
	// (a steep wall gets no more lines than the flat floor of the same
	// area), and squaring them packs the lines towards the minimum, where
	// the paths end — Rosenbrock's narrow valley gets its own contours.
	Levels  []float64
	NLevels int

	// Samples is the number of grid points along each axis.
	Samples int

	// Width, Height and DPI are the figure's size, as in Line.
	Width, Height float64
	DPI           int

	f                      func(x, y float64) float64
	xmin, xmax, ymin, ymax float64
	grid                   *funcGrid // sampled f, nil until needed
	paths                  []lineSeries
}

// Defaults for NewContour.
const (
	DefaultLevels  = 14
	DefaultSamples = 200
)

// NewContour returns the contour plot of f over [xmin, xmax]×[ymin, ymax]
// with the axes labelled "x" and "y". It panics with ErrRange unless
// xmin < xmax and ymin < ymax, and if f is nil.
func NewContour(f func(x, y float64) float64, xmin, xmax, ymin, ymax float64) *Contour {
	if f == nil {
		panic("plot: NewContour with a nil function")
	}
	checkRange("x", xmin, xmax)
	checkRange("y", ymin, ymax)
	return &Contour{XLabel: "x", YLabel: "y", NLevels: DefaultLevels, Samples: DefaultSamples,
		Width: DefaultWidth, Height: DefaultHeight, DPI: DefaultDPI,
		f: f, xmin: xmin, xmax: xmax, ymin: ymin, ymax: ymax}
}

// AddPath adds an optimizer's path, the points (xs[i], ys[i]) in order,
// drawn as a line with a marker at every point and named in the legend.
// Non-finite points are left out. It panics with ErrLength if the slices
// differ in length; they are copied.
func (c *Contour) AddPath(name string, xs, ys []float64) {
	if len(xs) != len(ys) {
		panic(fmt.Errorf("%w: %d x values, %d y values", ErrLength, len(xs), len(ys)))
	}
	c.paths = append(c.paths, lineSeries{name: name, xs: copyOf(xs), ys: copyOf(ys)})
}

// Names returns the names of the paths in the order they were added.
func (c *Contour) Names() []string {
	names := make([]string, len(c.paths))
	for i, s := range c.paths {
		names[i] = s.name
	}
	return names
}

// Bounds returns the range of the plot, as given to NewContour.
func (c *Contour) Bounds() (xmin, xmax, ymin, ymax float64) {
	return c.xmin, c.xmax, c.ymin, c.ymax
}

// ContourLevels returns the heights the contour lines are drawn at: Levels,
// or the quantile levels computed from the sampled surface.
func (c *Contour) ContourLevels() []float64 {
	if c.Levels != nil {
		return append([]float64(nil), c.Levels...)
	}
	return quantiles(c.sample().finiteValues(), max(c.NLevels, 1))
}

// sample returns f sampled on the grid, sampling it if the grid is missing
// or Samples changed.
func (c *Contour) sample() *funcGrid {
	n := c.Samples
	if n < 2 {
		n = DefaultSamples
	}
	if c.grid == nil || c.grid.n != n {
		c.grid = newFuncGrid(c.f, n, c.xmin, c.xmax, c.ymin, c.ymax)
	}
	return c.grid
}

// Plot returns a new gonum plot of c, legend included.
func (c *Contour) Plot() *gplot.Plot {
	p, entries := c.build()
	for _, e := range entries {
		p.Legend.Add(e.name, e.thumbs...)
	}
	return p
}

func (c *Contour) build() (*gplot.Plot, []legendEntry) {
	p := newPlot(c.Title, c.XLabel, c.YLabel)
	g := c.sample()
	levels := c.ContourLevels()
	// Contour lines in the lower 85 % of viridis: dark purple for the lowest
	// level to green for the highest; viridis's pale yellow end would vanish
	// on white.
	p.Add(&contourLines{grid: g, levels: levels, colors: newRamp(viridis[:8], max(len(levels), 2)).colors,
		width: vg.Points(0.8)})

	var entries []legendEntry
	pathColors := []int{3, 1, 6, 0, 2, 4, 5, 7, 8, 9} // red, orange, pink first: they stand out from viridis
	for i, s := range c.paths {
		col := colorAt(pathColors[i%len(pathColors)])
		xy, _ := finite(s.xs, s.ys, false)
		line, err := plotter.NewLine(xy)
		if err != nil {
			panic("plot: " + err.Error())
		}
		line.Color = col
		line.Width = vg.Points(1.5)
		// Markers only inside the range: gonum pads the axes to fit every
		// glyph, and one far-away point would squash the whole figure.
		var inside plotter.XYs
		for _, q := range xy {
			if q.X >= c.xmin && q.X <= c.xmax && q.Y >= c.ymin && q.Y <= c.ymax {
				inside = append(inside, q)
			}
		}
		sc, err := plotter.NewScatter(inside)
		if err != nil {
			panic("plot: " + err.Error())
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
		p.Add(line, sc)
		entries = append(entries, legendEntry{s.name, []gplot.Thumbnailer{line, sc}})
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = c.xmin, c.xmax, c.ymin, c.ymax
	p.X.Padding, p.Y.Padding = 0, 0
	return p, entries
}

func (c *Contour) draw(dc draw.Canvas) {
	p, entries := c.build()
	p.Draw(dc)
	drawLegend(p, dc, entries, seriesPoints(c.paths, false))
}

func (c *Contour) size() (vg.Length, vg.Length, int) { return sizeOf(c.Width, c.Height, c.DPI) }

// PNG returns the plot as a PNG image.
func (c *Contour) PNG() []byte { return pngOf(c) }

// SVG returns the plot as an SVG document.
func (c *Contour) SVG() string { return svgOf(c) }

// Save writes the plot to path as PNG, SVG or PDF, chosen by the extension.
func (c *Contour) Save(path string) error { return save(c, path) }

// String describes the plot on one line.
func (c *Contour) String() string {
	return describe("Contour", c.Title, "[%g, %g]×[%g, %g], %d paths", c.xmin, c.xmax, c.ymin, c.ymax, len(c.paths))
}

// funcGrid is f sampled on an n×n grid; it implements plotter.GridXYZ with
// column c at x = xmin + c·dx and row r at y = ymin + r·dy.
type funcGrid struct {
	n      int
	x0, dx float64
	y0, dy float64
	z      []float64 // row-major: z[r*n+c] = f(X(c), Y(r)); NaN where f is not finite
}

func newFuncGrid(f func(x, y float64) float64, n int, xmin, xmax, ymin, ymax float64) *funcGrid {
	g := &funcGrid{n: n, x0: xmin, dx: (xmax - xmin) / float64(n-1), y0: ymin, dy: (ymax - ymin) / float64(n-1)}
	g.z = make([]float64, n*n)
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			v := f(g.X(c), g.Y(r))
			if math.IsInf(v, 0) {
				v = math.NaN() // gonum's contours skip NaN, not Inf
			}
			g.z[r*n+c] = v
		}
	}
	return g
}

func (g *funcGrid) Dims() (c, r int)   { return g.n, g.n }
func (g *funcGrid) Z(c, r int) float64 { return g.z[r*g.n+c] }
func (g *funcGrid) X(c int) float64    { return g.x0 + float64(c)*g.dx }
func (g *funcGrid) Y(r int) float64    { return g.y0 + float64(r)*g.dy }

// finiteValues returns the grid's values that are not NaN, sorted.
func (g *funcGrid) finiteValues() []float64 {
	v := make([]float64, 0, len(g.z))
	for _, z := range g.z {
		if !math.IsNaN(z) {
			v = append(v, z)
		}
	}
	sort.Float64s(v)
	return v
}

// quantiles returns n levels at the quantiles (i/(n+1))², i = 1…n, of
// the sorted values, without repeats (a flat region gives one level); nil
// for no values.
func quantiles(sorted []float64, n int) []float64 {
	var levels []float64
	if len(sorted) == 0 {
		return nil
	}
	for i := 1; i <= n; i++ {
		q := float64(i) / float64(n+1)
		h := q * q * float64(len(sorted)-1)
		lo := int(h)
		v := sorted[lo]
		if lo+1 < len(sorted) {
			v += (h - float64(lo)) * (sorted[lo+1] - sorted[lo])
		}
		if len(levels) == 0 || v > levels[len(levels)-1] {
			levels = append(levels, v)
		}
	}
	return levels
}

// contourLines draws the contour lines of a grid by marching squares, one
// straight segment per cell and level.
//
// gonum has plotter.Contour (CONREC, then joining the segments into paths),
// but its path joining loops forever on some grids — seen with x²+4y² on a
// symmetric 30×30 grid, where contour levels equal grid values — and a hang
// in compiled code cannot be interrupted from the REPL. Segments need no
// joining: at this line width their joints do not show.
type contourLines struct {
	grid   *funcGrid
	levels []float64
	colors []color.Color // colors[i*(len-1)/(levels-1)] for level i
	width  vg.Length
}

// Plot implements gplot.Plotter.
func (cl *contourLines) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	g := cl.grid
	for i, level := range cl.levels {
		var path vg.Path
		for r := 0; r+1 < g.n; r++ {
			for col := 0; col+1 < g.n; col++ {
				for _, s := range cellSegments(g, col, r, level) {
					path.Move(vg.Point{X: trX(s[0]), Y: trY(s[1])})
					path.Line(vg.Point{X: trX(s[2]), Y: trY(s[3])})
				}
			}
		}
		if len(path) == 0 {
			continue
		}
		k := 0
		if len(cl.levels) > 1 {
			k = i * (len(cl.colors) - 1) / (len(cl.levels) - 1)
		}
		c.SetLineStyle(draw.LineStyle{Color: cl.colors[k], Width: cl.width})
		c.Stroke(path)
	}
}

// cellSegments returns the pieces of the contour at level inside the grid
// cell whose lower left corner is (col, r), as x0, y0, x1, y1 in data
// coordinates: none, one, or two at a saddle. A corner counts as above the
// level when its value is greater, so a corner exactly at the level is below
// and every crossing lies strictly inside an edge's span or at its upper
// end: no case is degenerate. Cells with a NaN corner have no contour.
func cellSegments(g *funcGrid, col, r int, level float64) [][4]float64 {
	// Corners counterclockwise from the lower left.
	cx := [4]int{col, col + 1, col + 1, col}
	cy := [4]int{r, r, r + 1, r + 1}
	var z [4]float64
	var above [4]bool
	for k := range z {
		z[k] = g.Z(cx[k], cy[k])
		if math.IsNaN(z[k]) {
			return nil
		}
		above[k] = z[k] > level
	}
	// crossing returns where the contour crosses the edge from corner a to
	// corner b (which lie on opposite sides of the level).
	crossing := func(a, b int) [2]float64 {
		t := (level - z[a]) / (z[b] - z[a])
		return [2]float64{
			g.X(cx[a]) + t*(g.X(cx[b])-g.X(cx[a])),
			g.Y(cy[a]) + t*(g.Y(cy[b])-g.Y(cy[a])),
		}
	}
	var pts [][2]float64 // crossings in edge order: bottom, right, top, left
	for k := 0; k < 4; k++ {
		if above[k] != above[(k+1)%4] {
			pts = append(pts, crossing(k, (k+1)%4))
		}
	}
	seg := func(a, b [2]float64) [4]float64 { return [4]float64{a[0], a[1], b[0], b[1]} }
	switch len(pts) {
	case 2:
		return [][4]float64{seg(pts[0], pts[1])}
	case 4:
		// A saddle: opposite corners are above. The mean of the corners
		// decides whether the above corners connect through the centre.
		centreAbove := (z[0]+z[1]+z[2]+z[3])/4 > level
		if centreAbove == above[0] {
			// Corner 0's region joins corner 2's: cut off corners 1 and 3.
			return [][4]float64{seg(pts[0], pts[1]), seg(pts[2], pts[3])}
		}
		// Cut off corners 0 and 2.
		return [][4]float64{seg(pts[3], pts[0]), seg(pts[1], pts[2])}
	}
	return nil
}
