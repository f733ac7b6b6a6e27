package plot_test

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/plot"
	"gonum.org/v1/gonum/mat"
)

// figure is what every figure of the package offers.
type figure interface {
	PNG() []byte
	SVG() string
	Save(path string) error
	String() string
}

// sized sets a figure's size; tests draw small figures to stay fast.
func sized(f figure, width, height float64, dpi int) figure {
	switch f := f.(type) {
	case *plot.Line:
		f.Width, f.Height, f.DPI = width, height, dpi
	case *plot.Contour:
		f.Width, f.Height, f.DPI = width, height, dpi
	case *plot.HeatMap:
		f.Width, f.Height, f.DPI = width, height, dpi
	case *plot.Scatter:
		f.Width, f.Height, f.DPI = width, height, dpi
	case *plot.Histogram:
		f.Width, f.Height, f.DPI = width, height, dpi
	case *plot.Step:
		f.Width, f.Height, f.DPI = width, height, dpi
	case *plot.Timeline:
		f.Width, f.Height, f.DPI = width, height, dpi
	}
	return f
}

// figures returns one small example of each figure, with the texts its SVG
// must contain.
func figures() []struct {
	name  string
	f     figure
	texts []string
} {
	line := plot.NewLine("loss", "step", "nats/char")
	line.Add("train", []float64{0, 1, 2, 3}, []float64{4, 3, 2.5, 2.2})
	line.Add("val", nil, []float64{4.1, 3.2, 2.8})

	contour := plot.NewContour(func(x, y float64) float64 { return x*x + 4*y*y }, -2, 2, -1, 1)
	contour.Title = "bowl"
	contour.Samples = 30
	contour.AddPath("SGD", []float64{-1.5, -1, -0.5, 0}, []float64{0.8, -0.5, 0.3, 0})

	heat := plot.NewHeatMap(mat.NewDense(2, 3, []float64{0.7, 0.2, 0.1, 0.1, 0.3, 0.6}),
		[]string{"le", "chat"}, []string{"the", "cat", "sat"})
	heat.Title = "attention"
	heat.Annotate = true

	scatter := plot.NewScatter("words", "PC 1", "PC 2")
	scatter.Add("animals", []float64{0, 1, 2}, []float64{1, 0, 1}, []string{"cat", "dog", "cow"})

	hist := plot.NewHistogram("error", "q − w", 5)
	hist.Add("before", []float64{0, 1, 2, 3, 4})
	hist.Add("after", []float64{0, 0, 2, 4, 4})

	step := plot.NewStep("int8", nil, []float64{0, 0.3, 0.7, 1}, []float64{0, 0.5, 0.5, 1})

	timeline := plot.NewTimeline("pipeline", "time (ms)", "layer 1", "layer 2")
	timeline.Add("forward", 0, 0, 10, "t1")
	timeline.Add("forward", 1, 10, 20, "t1")
	timeline.Add("backward", 1, 20, 30, "t1")

	return []struct {
		name  string
		f     figure
		texts []string
	}{
		{"Line", line, []string{"loss", "step", "nats/char", "train", "val"}},
		{"Contour", contour, []string{"bowl", "SGD"}},
		{"HeatMap", heat, []string{"attention", "le", "chat", "the", "cat", "sat", "0.70"}},
		{"Scatter", scatter, []string{"words", "PC 1", "animals", "cat", "dog", "cow"}},
		{"Histogram", hist, []string{"error", "count", "before", "after"}},
		{"Step", step, []string{"int8", "signal", "quantized", "error"}},
		{"Timeline", timeline, []string{"pipeline", "time (ms)", "layer 1", "layer 2", "forward", "backward", "t1"}},
	}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	return img
}

func TestPNGSize(t *testing.T) {
	for _, test := range figures() {
		// 5×3 cm at 72 dpi: 5/2.54·72 = 141.7 → 142 and 3/2.54·72 = 85.0 → 85 pixels.
		img := decode(t, sized(test.f, 5, 3, 72).PNG())
		if got := img.Bounds().Size(); got != image.Pt(142, 85) {
			t.Errorf("%s: PNG is %v, want 142×85", test.name, got)
		}
	}
	// The default, 16×10 cm at 96 dpi: 604.7 → 605 and 377.95 → 378 pixels.
	l := plot.NewLine("", "", "")
	l.Add("", nil, []float64{1, 2})
	if got := decode(t, l.PNG()).Bounds().Size(); got != image.Pt(605, 378) {
		t.Errorf("default PNG is %v, want 605×378", got)
	}
}

func TestSVGText(t *testing.T) {
	for _, test := range figures() {
		svg := sized(test.f, 8, 5, 72).SVG()
		if !strings.Contains(svg, "<svg") {
			t.Errorf("%s: SVG lacks <svg", test.name)
		}
		for _, s := range test.texts {
			if !strings.Contains(svg, ">"+s+"<") {
				t.Errorf("%s: SVG lacks the text %q", test.name, s)
			}
		}
	}
}

// TestFontsEmbedded checks that text is drawn without system fonts: a title
// puts dark pixels in the middle of the top rows of the PNG, which are white
// without one (an empty plot has only tick labels, on the left).
func TestFontsEmbedded(t *testing.T) {
	dark := func(title string) int {
		l := plot.NewLine(title, "", "")
		l.Width, l.Height = 6, 4
		img := decode(t, l.PNG())
		w := img.Bounds().Dx()
		n := 0
		for y := 0; y < 12; y++ {
			for x := w / 4; x < 3*w/4; x++ {
				if r, g, b, _ := img.At(x, y).RGBA(); r+g+b < 3*0x8000 {
					n++
				}
			}
		}
		return n
	}
	if n := dark(""); n != 0 {
		t.Errorf("%d dark pixels in the top rows without a title, want 0", n)
	}
	if n := dark("Loss"); n < 20 {
		t.Errorf("%d dark pixels in the top rows with a title, want the title's glyphs", n)
	}
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	magic := map[string]string{".png": "\x89PNG", ".svg": "<?xml", ".pdf": "%PDF"}
	for _, test := range figures() {
		f := sized(test.f, 5, 3, 72)
		for ext, want := range magic {
			path := filepath.Join(dir, test.name+ext)
			if err := f.Save(path); err != nil {
				t.Errorf("%s: Save(%s): %v", test.name, ext, err)
				continue
			}
			b, err := os.ReadFile(path)
			if err != nil || !bytes.HasPrefix(b, []byte(want)) {
				t.Errorf("%s: %s starts %q, want %q (%v)", test.name, ext, b[:min(len(b), 8)], want, err)
			}
		}
	}
	l := plot.NewLine("", "", "")
	for _, path := range []string{filepath.Join(dir, "loss.jpg"), filepath.Join(dir, "loss"), filepath.Join(dir, "missing", "loss.png")} {
		if err := l.Save(path); err == nil || !strings.HasPrefix(err.Error(), "plot: ") {
			t.Errorf("Save(%s) = %v, want an error prefixed plot:", path, err)
		}
	}
}

// panics returns the value f panics with, nil if it does not.
func panics(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func TestBadInputPanics(t *testing.T) {
	m := mat.NewDense(2, 3, nil)
	for _, test := range []struct {
		name string
		f    func()
		is   error // the sentinel the panic wraps; nil: any "plot: " message
	}{
		{"Line.Add lengths", func() { plot.NewLine("", "", "").Add("a", []float64{1, 2}, []float64{1}) }, plot.ErrLength},
		{"Contour range", func() { plot.NewContour(func(x, y float64) float64 { return 0 }, 1, 1, 0, 1) }, plot.ErrRange},
		{"Contour NaN range", func() { plot.NewContour(func(x, y float64) float64 { return 0 }, 0, 1, math.NaN(), 1) }, plot.ErrRange},
		{"Contour nil", func() { plot.NewContour(nil, 0, 1, 0, 1) }, nil},
		{"AddPath lengths", func() {
			plot.NewContour(func(x, y float64) float64 { return 0 }, 0, 1, 0, 1).AddPath("a", []float64{1}, nil)
		}, plot.ErrLength},
		{"HeatMap rows", func() { plot.NewHeatMap(m, []string{"a"}, nil) }, plot.ErrLength},
		{"HeatMap cols", func() { plot.NewHeatMap(m, nil, []string{"a", "b"}) }, plot.ErrLength},
		{"HeatMap nil", func() { plot.NewHeatMap(nil, nil, nil) }, nil},
		{"Scatter labels", func() { plot.NewScatter("", "", "").Add("", []float64{1}, []float64{1}, []string{}) }, plot.ErrLength},
		{"Scatter AddRows", func() { plot.NewScatter("", "", "").AddRows("", mat.NewDense(2, 1, nil), nil) }, nil},
		{"Histogram bins", func() { plot.NewHistogram("", "", 0) }, nil},
		{"Step lengths", func() { plot.NewStep("", nil, []float64{1, 2}, []float64{1}) }, plot.ErrLength},
		{"Timeline row", func() { plot.NewTimeline("", "", "a").Add("s", 1, 0, 1, "") }, nil},
		{"Timeline span", func() { plot.NewTimeline("", "", "a").Add("s", 0, 2, 1, "") }, plot.ErrRange},
		{"size", func() {
			l := plot.NewLine("", "", "")
			l.Width = -1
			l.PNG()
		}, nil},
	} {
		v := panics(test.f)
		var msg string
		switch v := v.(type) {
		case error:
			msg = v.Error()
			if test.is != nil && !errors.Is(v, test.is) {
				t.Errorf("%s: panic %v, want %v", test.name, v, test.is)
			}
		case string:
			msg = v
			if test.is != nil {
				t.Errorf("%s: panic %q, want %v", test.name, v, test.is)
			}
		default:
			t.Errorf("%s: panic value %#v, want an error or a message", test.name, v)
			continue
		}
		if !strings.HasPrefix(msg, "plot: ") {
			t.Errorf("%s: panic %q lacks the prefix plot:", test.name, msg)
		}
	}
}

// TestNonFinite checks that NaN and ±Inf are data, not errors: they are
// left out and every figure still renders.
func TestNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	l := plot.NewLine("", "", "")
	l.Add("loss", []float64{0, 1, 2, 3, 4}, []float64{3, 2, nan, inf, 1})
	if xmin, xmax, ymin, ymax := l.Bounds(); xmin != 0 || xmax != 4 || ymin != 1 || ymax != 3 {
		t.Errorf("Bounds = %v %v %v %v, want 0 4 1 3 (NaN and Inf left out)", xmin, xmax, ymin, ymax)
	}
	l.Add("all NaN", nil, []float64{nan, nan})
	l.LogY = true
	l.Add("zero", nil, []float64{0, -1, 10})
	if _, _, ymin, ymax := l.Bounds(); ymin != 1 || ymax != 10 {
		t.Errorf("log Bounds y = %v %v, want 1 10 (y ≤ 0 left out)", ymin, ymax)
	}

	c := plot.NewContour(func(x, y float64) float64 { return math.Log(x) + y }, -1, 1, -1, 1) // NaN and -Inf for x ≤ 0
	c.Samples = 20
	c.AddPath("diverged", []float64{0.5, 5, 1e300, nan}, []float64{0, 5, inf, 0})

	h := plot.NewHeatMap(mat.NewDense(2, 2, []float64{nan, 1, inf, 0}), nil, nil)
	h.Annotate = true

	s := plot.NewScatter("", "", "")
	s.Add("", []float64{nan, 1}, []float64{0, 1}, []string{"gone", "kept"})

	hist := plot.NewHistogram("", "", 3)
	hist.Add("a", []float64{nan, 0, 1, inf, 2})
	if got, want := hist.Counts("a"), []float64{1, 1, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Counts = %v, want %v", got, want)
	}

	st := plot.NewStep("", nil, []float64{0, nan, 1}, []float64{0, 0, 1})

	for _, f := range []figure{l, c, h, s, hist, st} {
		if v := panics(func() { decode(t, sized(f, 5, 3, 72).PNG()) }); v != nil {
			t.Errorf("%s: PNG panics: %v", f, v)
		}
	}
	if svg := s.SVG(); strings.Contains(svg, ">gone<") || !strings.Contains(svg, ">kept<") {
		t.Errorf("Scatter SVG: the NaN point's label should be left out, the other kept")
	}
}

// TestEmpty checks that figures without data draw empty axes.
func TestEmpty(t *testing.T) {
	l := plot.NewLine("empty", "", "")
	ll := plot.NewLine("empty log", "", "")
	ll.LogY = true
	ll.Add("no points", nil, nil)
	for _, f := range []figure{
		l, ll,
		plot.NewContour(func(x, y float64) float64 { return 1 }, 0, 1, 0, 1), // flat: no contour lines
		plot.NewHeatMap(mat.NewDense(1, 1, []float64{5}), nil, nil),
		plot.NewScatter("", "", ""),
		plot.NewHistogram("", "", 10),
		plot.NewStep("", nil, nil, nil),
		plot.NewTimeline("", "", "idle"),
	} {
		if v := panics(func() { decode(t, sized(f, 5, 3, 72).PNG()) }); v != nil {
			t.Errorf("%s: PNG panics: %v", f, v)
		}
	}
	if got := l.Text(20, 5); got != "empty\n(no data)" {
		t.Errorf("empty Text = %q", got)
	}
}

func TestLineSeries(t *testing.T) {
	l := plot.NewLine("", "", "")
	xs := []float64{0, 1}
	l.Add("train", xs, []float64{5, 4})
	xs[0] = 99 // Add copied the slice
	l.Add("val", nil, []float64{6, 5, 4})
	l.Add("train", []float64{0, 1, 2}, []float64{5, 4, 3}) // replaces
	l.Append("val", 10, 2)
	l.Append("test", 3, 1)
	if got, want := l.Names(), []string{"train", "val", "test"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names = %q, want %q", got, want)
	}
	for _, test := range []struct {
		name   string
		xs, ys []float64
	}{
		{"train", []float64{0, 1, 2}, []float64{5, 4, 3}},
		{"val", []float64{0, 1, 2, 10}, []float64{6, 5, 4, 2}},
		{"test", []float64{3}, []float64{1}},
	} {
		xs, ys := l.Series(test.name)
		if !reflect.DeepEqual(xs, test.xs) || !reflect.DeepEqual(ys, test.ys) {
			t.Errorf("Series(%s) = %v, %v; want %v, %v", test.name, xs, ys, test.xs, test.ys)
		}
	}
	if xs, ys := l.Series("none"); xs != nil || ys != nil {
		t.Errorf("Series of a missing name = %v, %v; want nil", xs, ys)
	}
}

func TestLineText(t *testing.T) {
	l := plot.NewLine("loss", "", "")
	l.Add("", nil, []float64{3, 2, 1, 0}) // a straight line down
	// 20 columns: a 1-character label, a space and the axis leave 17
	// characters, 34 dots across; 6 lines less the title and the two axis
	// lines leave 3 rows, 12 dots down. The line falls 11 dots over 33 —
	// one dot down for every three across — from the top left corner to
	// the bottom right one.
	want := "" +
		"loss\n" +
		"3 ┤⠉⠒⠢⢄⣀\n" +
		"  │     ⠉⠑⠒⠢⠤⢄⣀\n" +
		"0 ┤            ⠉⠑⠢⠤⣀\n" +
		"  └─────────────────\n" +
		"   0               3"
	if got := l.Text(20, 6); got != want {
		t.Errorf("Text =\n%s\nwant\n%s", got, want)
	}
	if got := l.String(); len(strings.Split(got, "\n")) != 12 {
		t.Errorf("String has %d lines, want the 12 of Text(60, 12)", len(strings.Split(got, "\n")))
	}
}

func TestTicks(t *testing.T) {
	for _, test := range []struct {
		min, max float64
		n        int
		want     []float64
	}{
		{1.1, 4.27, 5, []float64{1.5, 2, 2.5, 3, 3.5, 4}},             // step 0.5: 6 labels; step 1: 3
		{0, 3000, 5, []float64{0, 1000, 2000, 3000}},                  // step 1000: 4 labels; step 500: 7
		{0, 3000, 6, []float64{0, 500, 1000, 1500, 2000, 2500, 3000}}, // the other way round
		{-1, 1, 5, []float64{-1, -0.5, 0, 0.5, 1}},
		{0.0123, 0.0161, 5, []float64{0.013, 0.014, 0.015, 0.016}},
	} {
		if got := plot.NiceTickLabels(test.min, test.max, test.n); !floatsNear(got, test.want, 1e-12) {
			t.Errorf("ticks [%g, %g] = %v, want %v", test.min, test.max, got, test.want)
		}
	}
	for _, test := range []struct {
		min, max float64
		want     []string
	}{
		{0.0123, 0.0161, []string{"0.013", "0.014", "0.015", "0.016"}},
		{-0.3, 0.3, []string{"-0.25", "0.00", "0.25"}}, // no "-0.00"
		{0, 1, []string{"0.00", "0.25", "0.50", "0.75", "1.00"}},
		{0, 2e7, []string{"0", "5e+06", "1e+07", "1.5e+07", "2e+07"}},
	} {
		if got := plot.NiceTickText(test.min, test.max, 5); !reflect.DeepEqual(got, test.want) {
			t.Errorf("tick labels [%g, %g] = %q, want %q", test.min, test.max, got, test.want)
		}
	}
	for _, test := range []struct {
		min, max float64
		want     []string
	}{
		{1.1, 4.2, []string{"1.5", "2", "3", "4"}},                      // less than a decade: every digit
		{0.9, 30, []string{"1", "2", "5", "10", "20"}},                  // up to two decades: 1-2-5
		{0.01, 1000, []string{"0.01", "0.1", "1", "10", "100", "1000"}}, // decades
	} {
		if got := plot.LogTickLabels(test.min, test.max); !reflect.DeepEqual(got, test.want) {
			t.Errorf("log ticks [%g, %g] = %q, want %q", test.min, test.max, got, test.want)
		}
	}
}

func TestHeatMapRowsTopDown(t *testing.T) {
	m := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	h := plot.NewHeatMap(m, nil, nil)
	m.Set(0, 0, 100) // NewHeatMap copied m
	// gonum counts rows from the bottom: row 1 of the grid is row 0 of m.
	if got := h.CellZ(0, 1); got != 1 {
		t.Errorf("top-left cell = %v, want m[0,0] = 1", got)
	}
	if got := h.CellZ(2, 0); got != 6 {
		t.Errorf("bottom-right cell = %v, want m[1,2] = 6", got)
	}
	if lo, hi := h.Range(); lo != 1 || hi != 6 {
		t.Errorf("Range = %v, %v; want 1, 6", lo, hi)
	}
	h.Min, h.Max = 0, 1
	if lo, hi := h.Range(); lo != 0 || hi != 1 {
		t.Errorf("Range with Min, Max set = %v, %v; want 0, 1", lo, hi)
	}
}

func TestContourLevels(t *testing.T) {
	// 0…99 sorted; n = 4 levels at the quantiles (i/5)², i = 1…4: 0.04, 0.16,
	// 0.36, 0.64 of the way through 99 values.
	v := make([]float64, 100)
	for i := range v {
		v[i] = float64(i)
	}
	if got, want := plot.Quantiles(v, 4), []float64{3.96, 15.84, 35.64, 63.36}; !floatsNear(got, want, 1e-9) {
		t.Errorf("quantiles = %v, want %v", got, want)
	}
	if got := plot.Quantiles([]float64{2, 2, 2}, 3); !reflect.DeepEqual(got, []float64{2}) {
		t.Errorf("quantiles of a flat surface = %v, want one level", got)
	}
	c := plot.NewContour(func(x, y float64) float64 { return x + y }, 0, 1, 0, 1)
	c.Samples, c.NLevels = 11, 6
	levels := c.ContourLevels()
	if len(levels) != 6 || levels[0] <= 0 || levels[5] >= 2 {
		t.Errorf("levels %v: want 6 inside (0, 2)", levels)
	}
	c.Levels = []float64{0.5, 1}
	if got := c.ContourLevels(); !reflect.DeepEqual(got, []float64{0.5, 1}) {
		t.Errorf("explicit levels = %v", got)
	}
}

func floatsNear(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return true
}

func TestHistogramBins(t *testing.T) {
	h := plot.NewHistogram("", "", 5)
	h.Add("a", []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	h.Add("b", []float64{10})
	// Range [0, 10] in 5 bins of width 2; 10, the maximum, goes in the last.
	if got, want := h.Edges(), []float64{0, 2, 4, 6, 8, 10}; !reflect.DeepEqual(got, want) {
		t.Errorf("Edges = %v, want %v", got, want)
	}
	if got, want := h.Counts("a"), []float64{2, 2, 2, 2, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("Counts(a) = %v, want %v", got, want)
	}
	if got, want := h.Counts("b"), []float64{0, 0, 0, 0, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Counts(b) = %v, want %v", got, want)
	}
}

func TestStepErrors(t *testing.T) {
	s := plot.NewStep("", []float64{0, 1, 2}, []float64{0, 0.3, 0.9}, []float64{0, 0.5, 1})
	// quantized − signal: 0, 0.5−0.3, 1−0.9.
	if got, want := s.Errors(), []float64{0, 0.2, 0.1}; !floatsNear(got, want, 1e-15) {
		t.Errorf("Errors = %v, want %v", got, want)
	}
	if got := s.MaxError(); math.Abs(got-0.2) > 1e-15 {
		t.Errorf("MaxError = %v, want 0.2", got)
	}
	signal, errPlot := s.Plots()
	if signal == nil || errPlot == nil || errPlot.Y.Label.Text != "error" {
		t.Errorf("Plots: want the signal panel and the error panel")
	}
}

func TestHeatMapZeroFormat(t *testing.T) {
	// A struct literal leaves Format empty: annotations use "%.2f".
	h := plot.NewHeatMap(mat.NewDense(1, 1, []float64{0.5}), nil, nil)
	h.Format, h.Annotate = "", true
	if svg := sized(h, 5, 3, 72).SVG(); !strings.Contains(svg, ">0.50<") {
		t.Errorf("SVG lacks the annotation 0.50")
	}
}

// TestLineXNames checks that a line plot with XNames writes the names on
// its x axis instead of the numbers.
func TestLineXNames(t *testing.T) {
	l := plot.NewLine("error per layer", "layer", "error")
	l.Add("rel", nil, []float64{0.1, 0.2, 0.15})
	l.XNames = []string{"enc.Wx", "dec.Wh", "out.W"}
	svg := l.SVG()
	for _, name := range l.XNames {
		if !strings.Contains(svg, ">"+name+"<") {
			t.Errorf("SVG lacks the x name %q", name)
		}
	}
	if strings.Contains(svg, ">1.5<") || strings.Contains(svg, ">0.5<") {
		t.Error("SVG still has numeric x ticks")
	}
}

// Busy is the union of a row's bars over the timeline's range: [0, 10] and
// [5, 15] overlap, so row 0 is busy 15 of the 20 time units.
func TestTimelineBusy(t *testing.T) {
	tl := plot.NewTimeline("", "", "a", "b")
	tl.Add("forward", 0, 0, 10, "")
	tl.Add("backward", 0, 5, 15, "")
	tl.Add("forward", 1, 15, 20, "")
	for _, tc := range []struct {
		row    int
		series string
		want   float64
	}{{0, "", 0.75}, {0, "forward", 0.5}, {0, "backward", 0.5}, {1, "", 0.25}, {1, "backward", 0}} {
		if got := tl.Busy(tc.row, tc.series); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("Busy(%d, %q) = %v, want %v", tc.row, tc.series, got, tc.want)
		}
	}
	if got, want := tl.Names(), []string{"forward", "backward"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names = %v, want %v", got, want)
	}
}

// TestLogYNoBand checks that a line plot on a logarithmic axis starts its
// data area right under the title, as on a linear axis: the first row of
// pixels that the curve reaches (its maximum, at the top of the data area)
// is the same in both. gonum alone left an empty band of about 60 pixels
// there on a log axis (see drawYLabel). The label is still drawn.
func TestLogYNoBand(t *testing.T) {
	firstRow := func(l *plot.Line) int {
		img, err := png.Decode(bytes.NewReader(l.PNG()))
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 == 0x1f && g>>8 == 0x77 && bl>>8 == 0xb4 { // the first series' colour
					return y
				}
			}
		}
		t.Fatal("the curve is not drawn")
		return 0
	}
	var xs, ys []float64
	for i := 0; i <= 700; i += 10 {
		xs = append(xs, float64(i))
		ys = append(ys, 2.7*math.Exp(-float64(i)/150)) // a loss from ln 15 down to 0.025
	}
	l := plot.NewLine("date normalisation", "step", "loss (nats per character)")
	l.Add("", xs, ys)
	linear := firstRow(l)
	l.LogY = true
	if logY := firstRow(l); logY-linear > 2 {
		t.Errorf("the curve starts at row %d on a log axis, %d on a linear one: an empty band of %d pixels", logY, linear, logY-linear)
	}
	if !strings.Contains(l.SVG(), ">loss (nats per character)<") {
		t.Error("the log axis lost its label")
	}
}
