package display

import (
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

// PNG displays b, the bytes of a PNG file.
func PNG(b []byte) { current().Display(Bundle{MIMEPNG: b}, "") }

// SVG displays s, an SVG document.
func SVG(s string) { current().Display(Bundle{MIMESVG: []byte(s)}, "") }

// HTML displays s, an HTML fragment.
func HTML(s string) { current().Display(Bundle{MIMEHTML: []byte(s)}, "") }

// Markdown displays s, Markdown text. The bundle carries s as text/plain too,
// since Markdown source reads well as it is on a terminal.
func Markdown(s string) {
	current().Display(Bundle{MIMEMarkdown: []byte(s), MIMEText: []byte(s)}, "")
}

// Text displays s as plain text.
func Text(s string) { current().Display(Bundle{MIMEText: []byte(s)}, "") }

// Handle refers to an output made by Show, so that it can be replaced.
type Handle struct {
	id string
}

// Show displays v and returns a handle to update the output later. A rich
// value (see Render) is shown in all its MIME types; a Bundle is shown as it
// is; any other value is shown as text, formatted with %v.
func Show(v any) *Handle {
	h := &Handle{id: newID()}
	current().Display(bundleOf(v), h.id)
	return h
}

// Update replaces the output of h with v, rendered as by Show. Each update
// redraws the whole output: to show a growing loss curve, update with the
// same figure after adding points to it.
func (h *Handle) Update(v any) {
	current().Update(bundleOf(v), h.id)
}

// ID returns the display id the sink sees for h.
func (h *Handle) ID() string { return h.id }

var (
	lastID atomic.Uint64
	// idPrefix makes ids unique beyond this process: a notebook keeps the
	// outputs of earlier kernels, and Jupyter updates every output whose
	// display id matches.
	idPrefix = "seq2go-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.Itoa(os.Getpid()) + "-"
)

func newID() string {
	return idPrefix + fmt.Sprint(lastID.Add(1))
}
