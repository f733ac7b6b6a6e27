package plot

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text draws the plot with Unicode characters in at most width columns and
// exactly height lines, for a terminal that cannot show images (the REPL
// prints it under a plot's PNG path). Every character of the plot area is a
// braille pattern of 2×4 dots, so the curves are drawn at twice the width
// and four times the height of the character grid:
//
//	loss: train, val
//	4.17 ┤⢣
//	     │ ⠣⡀
//	     │  ⠈⠢⣀
//	1.32 ┤     ⠉⠉⠒⠒⠒⠤⠤⠤⠤⠤
//	     └──────────────────
//	      0              3000
//
// The first line holds the title and the series' names; the labels show the
// y range (of the drawable points, on a log scale when LogY is set) and the
// x range. All series are drawn with the same dots. Text uses at least 16
// columns and 5 lines, whatever is asked.
func (l *Line) Text(width, height int) string {
	width, height = max(width, 16), max(height, 5)
	var b strings.Builder

	header := l.Title
	if names := strings.Join(l.namedSeries(), ", "); names != "" {
		if header != "" {
			header += ": "
		}
		header += names
	}
	b.WriteString(truncate(header, width) + "\n")

	xmin, xmax, ymin, ymax := l.Bounds()
	if math.IsNaN(xmin) {
		b.WriteString("(no data)")
		return b.String()
	}
	ty := func(y float64) float64 { return y }
	if l.LogY {
		ty = math.Log10
	}
	lo, hi := ty(ymin), ty(ymax)
	if lo == hi { // a flat series: centre it
		lo, hi = lo-1, hi+1
	}
	left, right := formatTick(xmin), formatTick(xmax)
	if xmin == xmax { // one x value: centre it
		xmin, xmax, right = xmin-1, xmax+1, ""
	}

	top, bottom := formatTick(ymax), formatTick(ymin)
	margin := max(utf8.RuneCountInString(top), utf8.RuneCountInString(bottom)) + 1
	rows, cols := height-3, width-margin-1
	dots := newBraille(cols, rows)
	dx := float64(2*cols-1) / (xmax - xmin)
	dy := float64(4*rows-1) / (hi - lo)
	for _, s := range l.series {
		xy, _ := finite(s.xs, s.ys, l.LogY)
		for i, p := range xy {
			c := int(math.Round((p.X - xmin) * dx))
			r := int(math.Round((hi - ty(p.Y)) * dy))
			if i == 0 {
				dots.set(c, r)
				continue
			}
			q := xy[i-1]
			dots.line(int(math.Round((q.X-xmin)*dx)), int(math.Round((hi-ty(q.Y))*dy)), c, r)
		}
	}
	for r, row := range dots.lines() {
		label, tick := "", "│"
		switch r {
		case 0:
			label, tick = top, "┤"
		case rows - 1:
			label, tick = bottom, "┤"
		}
		b.WriteString(strings.Repeat(" ", margin-1-utf8.RuneCountInString(label)) + label + " " + tick + row + "\n")
	}
	b.WriteString(strings.Repeat(" ", margin) + "└" + strings.Repeat("─", cols) + "\n")
	pad := max(cols-utf8.RuneCountInString(left)-utf8.RuneCountInString(right), 1)
	b.WriteString(strings.TrimRight(strings.Repeat(" ", margin+1)+left+strings.Repeat(" ", pad)+right, " "))
	return b.String()
}

// namedSeries returns the series' names that are not empty.
func (l *Line) namedSeries() []string {
	var names []string
	for _, s := range l.series {
		if s.name != "" {
			names = append(names, s.name)
		}
	}
	return names
}

// formatTick formats an axis label with four significant digits.
func formatTick(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// truncate cuts s to n runes, ending it with "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// braille is a grid of cols×rows braille characters, 2cols×4rows dots.
type braille struct {
	cols, rows int
	cells      []uint8 // the dot bits of each character, row-major
}

func newBraille(cols, rows int) *braille {
	return &braille{cols: cols, rows: rows, cells: make([]uint8, cols*rows)}
}

// dotBits[y][x] is the bit of the dot in column x (0, 1) and row y (0…3) of
// a braille character: dots 1-2-3-7 down the left, 4-5-6-8 down the right
// (Unicode's braille patterns start at U+2800, dot k is bit k-1).
var dotBits = [4][2]uint8{{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}}

// set turns on the dot at column c, row r counted from the top; dots
// outside the grid are ignored.
func (b *braille) set(c, r int) {
	if c < 0 || r < 0 || c >= 2*b.cols || r >= 4*b.rows {
		return
	}
	b.cells[(r/4)*b.cols+c/2] |= dotBits[r%4][c%2]
}

// line sets the dots of the segment from (c0, r0) to (c1, r1) (Bresenham's
// algorithm).
func (b *braille) line(c0, r0, c1, r1 int) {
	dc, dr := abs(c1-c0), -abs(r1-r0)
	sc, sr := sign(c1-c0), sign(r1-r0)
	e := dc + dr
	for {
		b.set(c0, r0)
		if c0 == c1 && r0 == r1 {
			return
		}
		e2 := 2 * e
		if e2 >= dr {
			e += dr
			c0 += sc
		}
		if e2 <= dc {
			e += dc
			r0 += sr
		}
	}
}

// lines returns the grid as strings, blank cells as spaces.
func (b *braille) lines() []string {
	out := make([]string, b.rows)
	for r := range out {
		var s strings.Builder
		for _, bits := range b.cells[r*b.cols : (r+1)*b.cols] {
			if bits == 0 {
				s.WriteByte(' ')
			} else {
				s.WriteRune(rune(0x2800) + rune(bits))
			}
		}
		out[r] = strings.TrimRight(s.String(), " ")
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
