package plot

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The default size of a figure: 16×10 cm at 96 dots per inch is a 605×378
// pixel PNG, which a notebook shows at full size with 10-point tick labels
// still readable.
const (
	DefaultWidth  = 16.0 // cm
	DefaultHeight = 10.0 // cm
	DefaultDPI    = 96
)

// Programming errors panic with one of these values (or with a message
// prefixed "plot: "), as gonum's mat panics with mat.ErrShape.
var (
	// ErrLength: slices that pair up (xs and ys, points and labels) have
	// different lengths.
	ErrLength = errors.New("plot: slices of different lengths")
	// ErrRange: an empty or non-finite range, such as xmin ≥ xmax.
	ErrRange = errors.New("plot: empty range")
)

// drawer is what every figure implements: it draws itself on a canvas of the
// size it asks for.
type drawer interface {
	draw(c draw.Canvas)
	size() (w, h vg.Length, dpi int)
}

// sizeOf turns a figure's Width and Height in centimetres and its DPI into
// canvas lengths, using the defaults for zero values.
func sizeOf(width, height float64, dpi int) (w, h vg.Length, d int) {
	if width == 0 {
		width = DefaultWidth
	}
	if height == 0 {
		height = DefaultHeight
	}
	if dpi == 0 {
		dpi = DefaultDPI
	}
	if !(width > 0 && height > 0 && dpi > 0) || math.IsInf(width, 0) || math.IsInf(height, 0) {
		panic(fmt.Sprintf("plot: invalid size %g×%g cm at %d dpi", width, height, dpi))
	}
	return vg.Length(width) * vg.Centimeter, vg.Length(height) * vg.Centimeter, dpi
}

// render draws f in format ("png", "svg" or "pdf") and returns the file's
// bytes.
func render(f drawer, format string) ([]byte, error) {
	w, h, dpi := f.size()
	var buf bytes.Buffer
	switch format {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
		f.draw(draw.New(img))
		if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
			return nil, err
		}
	case "svg":
		svg := vgsvg.New(w, h)
		f.draw(draw.New(svg))
		if _, err := svg.WriteTo(&buf); err != nil {
			return nil, err
		}
	case "pdf":
		pdf := vgpdf.New(w, h)
		f.draw(draw.New(pdf))
		if _, err := pdf.WriteTo(&buf); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("plot: unknown format %q (want png, svg or pdf)", format)
	}
	return buf.Bytes(), nil
}

// pngOf and svgOf render to memory, where only a bug can fail.
func pngOf(f drawer) []byte {
	b, err := render(f, "png")
	if err != nil {
		panic("plot: " + err.Error())
	}
	return b
}

func svgOf(f drawer) string {
	b, err := render(f, "svg")
	if err != nil {
		panic("plot: " + err.Error())
	}
	return string(b)
}

// save writes f to path in the format named by its extension.
func save(f drawer, path string) error {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case "png", "svg", "pdf":
	default:
		return fmt.Errorf("plot: cannot save %s: unknown extension %q (want .png, .svg or .pdf)", path, filepath.Ext(path))
	}
	b, err := render(f, ext)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return nil
}

// House style: Liberation Sans (embedded in gonum/plot, so rendering needs
// no system fonts), light grid lines, and the Tableau 10 colours that
// matplotlib uses by default, so series look as they do in the Python peers'
// figures.
var (
	// No bold: gonum's PDF canvas (v0.17.0) registers every font as
	// regular and then fails with "undefined font: liberationsans-bold B".
	sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

	colors = []color.Color{
		rgb(0x1f77b4), rgb(0xff7f0e), rgb(0x2ca02c), rgb(0xd62728), rgb(0x9467bd),
		rgb(0x8c564b), rgb(0xe377c2), rgb(0x7f7f7f), rgb(0xbcbd22), rgb(0x17becf),
	}
	gridColor = rgb(0xe0e0e0)
)

// rgb returns the opaque colour 0xRRGGBB.
func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

// colorAt returns series i's colour.
func colorAt(i int) color.Color { return colors[i%len(colors)] }

// withAlpha returns c with opacity a in [0, 1] (premultiplied, as
// color.RGBA requires).
func withAlpha(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	return color.RGBA{R: uint8(float64(r>>8) * a), G: uint8(float64(g>>8) * a), B: uint8(float64(b>>8) * a), A: uint8(255 * a)}
}

// newPlot returns a gonum plot in the house style.
func newPlot(title, xlabel, ylabel string) *gplot.Plot {
	p := gplot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 13)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.X.Tick.Marker = niceTicks{n: 6}
	p.Y.Tick.Marker = niceTicks{n: 5}
	for _, a := range []*gplot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 11)
		a.Tick.Label.Font = font.From(sans, 9.5)
		a.Tick.Length = vg.Points(4)
		a.Label.Padding = vg.Points(2)
	}
	p.Legend.TextStyle.Font = font.From(sans, 10)
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(2)
	return p
}

// addGrid adds light grid lines behind the data.
func addGrid(p *gplot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = gridColor
	g.Horizontal.Color = gridColor
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
}

// legendEntry is a name and its thumbnails, kept by a figure so that it can
// measure its legend.
type legendEntry struct {
	name   string
	thumbs []gplot.Thumbnailer
}

// drawLegend draws entries in the corner of p's data area that covers the
// fewest of pts (data coordinates; ties go to top right, top left, bottom
// right, bottom left), on a white, slightly transparent box, so that the
// legend hides little data and stays readable over contour and grid lines.
// (gonum's Legend has one fixed corner and no background.)
func drawLegend(p *gplot.Plot, c draw.Canvas, entries []legendEntry, pts plotter.XYs) {
	if len(entries) == 0 {
		return
	}
	l := gplot.NewLegend()
	l.TextStyle = p.Legend.TextStyle
	l.Padding = p.Legend.Padding
	var width, entryHeight vg.Length
	for _, e := range entries {
		l.Add(e.name, e.thumbs...)
		width = max(width, l.ThumbnailWidth+l.TextStyle.Rectangle(" "+e.name).Max.X)
		entryHeight = max(entryHeight, l.TextStyle.Rectangle(e.name).Max.Y)
	}
	n := vg.Length(len(entries))
	height := n*entryHeight + (n-1)*l.Padding + l.TextStyle.FontExtents().Descent
	const (
		margin = 3 // points of box around the entries
		inset  = 8 // points from the box to the data area's edges
	)
	dc := p.DataCanvas(c)
	trX, trY := p.Transforms(&dc)
	best, bestCount := vg.Rectangle{}, -1
	for _, corner := range []struct{ top, left bool }{{true, false}, {true, true}, {false, false}, {false, true}} {
		var box vg.Rectangle
		if corner.left {
			box.Min.X = dc.Min.X + inset
			box.Max.X = box.Min.X + width + 2*margin
		} else {
			box.Max.X = dc.Max.X - inset
			box.Min.X = box.Max.X - width - 2*margin
		}
		if corner.top {
			box.Max.Y = dc.Max.Y - inset
			box.Min.Y = box.Max.Y - height - 2*margin
		} else {
			box.Min.Y = dc.Min.Y + inset
			box.Max.Y = box.Min.Y + height + 2*margin
		}
		count := 0
		for _, q := range pts {
			x, y := trX(q.X), trY(q.Y)
			if x >= box.Min.X && x <= box.Max.X && y >= box.Min.Y && y <= box.Max.Y {
				count++
			}
		}
		if bestCount < 0 || count < bestCount {
			best, bestCount = box, count
		}
	}
	dc.SetColor(withAlpha(color.White, 0.85))
	dc.Fill(best.Path())
	dc.SetLineStyle(draw.LineStyle{Color: rgb(0xcccccc), Width: vg.Points(0.5)})
	dc.Stroke(best.Path())
	// Legend.Draw puts the entries in the top right corner of its canvas,
	// right-aligned: give it the box less the margin.
	l.Top = true
	inner := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: best.Min.X + margin, Y: best.Min.Y + margin},
		Max: vg.Point{X: best.Max.X - margin, Y: best.Max.Y - margin},
	}}
	l.Draw(inner)
}

// finite returns the points (xs[i], ys[i]) whose coordinates are both
// finite (and ys[i] > 0 when positiveY), and the indices they came from.
// xs nil means 0, 1, 2, ….
func finite(xs, ys []float64, positiveY bool) (plotter.XYs, []int) {
	xy := make(plotter.XYs, 0, len(ys))
	idx := make([]int, 0, len(ys))
	for i, y := range ys {
		x := float64(i)
		if xs != nil {
			x = xs[i]
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) || (positiveY && y <= 0) {
			continue
		}
		xy = append(xy, plotter.XY{X: x, Y: y})
		idx = append(idx, i)
	}
	return xy, idx
}

// checkPairs panics with ErrLength unless xs is nil or as long as ys.
func checkPairs(xs, ys []float64) {
	if xs != nil && len(xs) != len(ys) {
		panic(fmt.Errorf("%w: %d x values, %d y values", ErrLength, len(xs), len(ys)))
	}
}

// checkRange panics with ErrRange unless lo < hi, both finite.
func checkRange(what string, lo, hi float64) {
	if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		panic(fmt.Errorf("%w: %s [%g, %g]", ErrRange, what, lo, hi))
	}
}

// copyOf returns a copy of s, nil for nil.
func copyOf(s []float64) []float64 {
	if s == nil {
		return nil
	}
	return append([]float64(nil), s...)
}

// describe is the one-line String of the figures other than Line.
func describe(kind, title string, format string, args ...any) string {
	return fmt.Sprintf("plot.%s %q: %s", kind, title, fmt.Sprintf(format, args...))
}
