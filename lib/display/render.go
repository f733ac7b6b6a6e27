package display

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
)

// MIME types of the entries of a Bundle.
const (
	MIMEText     = "text/plain"
	MIMEPNG      = "image/png"
	MIMESVG      = "image/svg+xml"
	MIMEHTML     = "text/html"
	MIMEMarkdown = "text/markdown"
)

// Bundle is one output in several MIME types, keyed by type: "text/plain",
// "image/png" (the raw bytes of a PNG file, not base64), "image/svg+xml",
// "text/html", "text/markdown". A front end shows the richest entry it can.
type Bundle map[string][]byte

// Types returns the bundle's MIME types, richest first: image/png,
// image/svg+xml, text/html, text/markdown, then any others in lexical order,
// and text/plain last.
func (b Bundle) Types() []string {
	types := make([]string, 0, len(b))
	for _, t := range richOrder {
		if _, ok := b[t]; ok {
			types = append(types, t)
		}
	}
	var other []string
	for t := range b {
		if t != MIMEText && rank(t) < 0 {
			other = append(other, t)
		}
	}
	sort.Strings(other)
	types = append(types, other...)
	if _, ok := b[MIMEText]; ok {
		types = append(types, MIMEText)
	}
	return types
}

// String describes the bundle on one line, for example
// "[image/png, 12345 bytes; text/plain, 9 bytes]".
func (b Bundle) String() string {
	var s strings.Builder
	s.WriteByte('[')
	for i, t := range b.Types() {
		if i > 0 {
			s.WriteString("; ")
		}
		fmt.Fprintf(&s, "%s, %d bytes", t, len(b[t]))
	}
	s.WriteByte(']')
	return s.String()
}

var richOrder = []string{MIMEPNG, MIMESVG, MIMEHTML, MIMEMarkdown}

func rank(t string) int {
	for i, r := range richOrder {
		if r == t {
			return i
		}
	}
	return -1
}

// PNGer is implemented by values that render as a PNG image. PNG returns the
// bytes of a PNG file.
type PNGer interface {
	PNG() []byte
}

// SVGer is implemented by values that render as an SVG document.
type SVGer interface {
	SVG() string
}

// HTMLer is implemented by values that render as an HTML fragment.
type HTMLer interface {
	HTML() string
}

// Markdowner is implemented by values that render as Markdown text.
type Markdowner interface {
	Markdown() string
}

// Render returns the rich representations of v: an entry for each of the
// methods PNG, SVG, HTML and Markdown that v has, plus "text/plain" with v
// formatted by fmt's %v (its String method when it has one). A method that
// returns nothing (a nil slice, an empty string) adds no entry. Render
// reports false, and a nil Bundle, when v has none of the rich methods.
//
// A figure — a value with both a PNG and an SVG method, as every figure of
// lib/plot — gets one image entry: image/png, or image/svg+xml after
// UseSVG(true). Each method is called once, so a figure is rendered once.
func Render(v any) (Bundle, bool) {
	b := Bundle{}
	rich := false
	pngV, isPNG := v.(PNGer)
	svgV, isSVG := v.(SVGer)
	if isPNG && isSVG {
		if useSVG.Load() {
			isPNG = false
		} else {
			isSVG = false
		}
		rich = true
	}
	if isPNG {
		rich = true
		if p := pngV.PNG(); len(p) > 0 {
			b[MIMEPNG] = p
		}
	}
	if isSVG {
		rich = true
		if s := svgV.SVG(); s != "" {
			b[MIMESVG] = []byte(s)
		}
	}
	if r, ok := v.(HTMLer); ok {
		rich = true
		if s := r.HTML(); s != "" {
			b[MIMEHTML] = []byte(s)
		}
	}
	if r, ok := v.(Markdowner); ok {
		rich = true
		if s := r.Markdown(); s != "" {
			b[MIMEMarkdown] = []byte(s)
		}
	}
	if !rich {
		return nil, false
	}
	b[MIMEText] = []byte(fmt.Sprint(v))
	return b, true
}

// useSVG is what UseSVG set.
var useSVG atomic.Bool

// UseSVG chooses the image type of figures (values with both a PNG and an
// SVG method) from now on: SVG when on, PNG when off, the default.
//
// PNG is the default because it shows everywhere a notebook is read:
// Jupyter Notebook, JupyterLab, VS Code, GitHub's notebook view, and HTML
// exported with `jupyter nbconvert --to html`, whose sanitizer (nbconvert
// 6.5, Debian's; jupyter/nbconvert#1849) strips gonum/plot's SVG down to
// bare text. Sending both is no better: every front end prefers SVG when it
// has both. matplotlib's inline backend sends PNG alone too. SVG stays
// sharp at any zoom and is the better choice for a notebook read only in
// Jupyter itself; display.SVG(fig.SVG()) shows one figure as SVG.
func UseSVG(on bool) { useSVG.Store(on) }

// bundleOf is Render for any value: a rich value's bundle, else v formatted
// with %v as text/plain. A Bundle passed in is used as it is.
func bundleOf(v any) Bundle {
	if b, ok := v.(Bundle); ok {
		return b
	}
	if b, ok := Render(v); ok {
		return b
	}
	return Bundle{MIMEText: []byte(fmt.Sprint(v))}
}
