package repl

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/seq2go/seq2go/lib/display"
)

// A counter counts the bytes written to the terminal, so that the sink
// knows whether anything came after an output it may redraw.
type counter struct {
	mu sync.Mutex
	n  int64
}

func (c *counter) get() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

type countingWriter struct {
	w io.Writer
	c *counter
}

func (cw countingWriter) Write(b []byte) (int, error) {
	cw.c.mu.Lock()
	cw.c.n += int64(len(b))
	cw.c.mu.Unlock()
	return cw.w.Write(b)
}

// termSink shows display outputs and cell values on a terminal or in a
// log: text as it is; images, SVG and HTML written to files whose paths
// are printed, and images drawn inline where the terminal can.
type termSink struct {
	mu     sync.Mutex
	c      *counter
	w      countingWriter
	dir    string
	term   bool   // a terminal: updates redraw in place
	inline string // "kitty", "iterm" or "": the terminal's image protocol
	input  func(prompt string) (string, error)

	nfile  int
	files  map[string]string // display id + extension → file
	lastID string            // the output written last, and the count after it
	lastN  int64
	lastNL int // lines it took

	pending map[string]display.Bundle // updates held back off a terminal
	updated map[string]time.Time
}

func newTermSink(w io.Writer, dir string, term bool, input func(string) (string, error)) *termSink {
	c := &counter{}
	s := &termSink{c: c, w: countingWriter{w, c}, dir: dir, term: term, input: input,
		files: map[string]string{}, pending: map[string]display.Bundle{}, updated: map[string]time.Time{}}
	if term {
		s.inline = inlineProtocol()
	}
	return s
}

// counted wraps w so that its writes count as terminal output.
func (s *termSink) counted(w io.Writer) io.Writer { return countingWriter{w, s.c} }

// inlineProtocol detects a terminal that draws images.
func inlineProtocol() string {
	if os.Getenv("TERM") == "xterm-kitty" || os.Getenv("KITTY_WINDOW_ID") != "" {
		return "kitty"
	}
	switch os.Getenv("TERM_PROGRAM") {
	case "iTerm.app", "WezTerm":
		return "iterm"
	}
	if os.Getenv("LC_TERMINAL") == "iTerm2" {
		return "iterm"
	}
	return ""
}

func (s *termSink) Display(b display.Bundle, id string) { s.show(b, id, false) }
func (s *termSink) Update(b display.Bundle, id string)  { s.show(b, id, true) }

func (s *termSink) Input(prompt string, password bool) (string, error) { return s.input(prompt) }

// updateEvery is how often an output is redrawn in a log, where every
// update is a new line.
const updateEvery = time.Second

// show writes an output. An update of the output written last, with
// nothing after it, is redrawn in place on a terminal (a progress line, a
// line plot's text); off a terminal,
// updates of an output are held back to one a second (the last one is
// written when the cell ends).
func (s *termSink) show(b display.Bundle, id string, update bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if update && !s.term {
		if time.Since(s.updated[id]) < updateEvery {
			s.pending[id] = b
			return
		}
		delete(s.pending, id)
	}
	s.updated[id] = time.Now()
	text, img := s.render(b, id)
	nl := strings.Count(text, "\n")
	if update && s.term && id != "" && id == s.lastID && s.c.get() == s.lastN && img == nil && s.lastNL > 0 && s.lastNL < 50 {
		// Up to the start of the old output, and clear to the end of the
		// screen.
		text = fmt.Sprintf("\x1b[%dA\r\x1b[J", s.lastNL) + text
	}
	io.WriteString(s.w, text)
	if img != nil {
		s.drawInline(img)
	}
	s.lastID, s.lastN, s.lastNL = id, s.c.get(), nl
}

// endCell writes the updates held back during the cell.
func (s *termSink) endCell() {
	s.mu.Lock()
	pending := s.pending
	s.pending = map[string]display.Bundle{}
	s.mu.Unlock()
	for id, b := range pending {
		s.show(b, id, false)
	}
}

// render returns the text to print for b, and the PNG to draw inline.
func (s *termSink) render(b display.Bundle, id string) (string, []byte) {
	var text strings.Builder
	var img []byte
	switch {
	case b[display.MIMEPNG] != nil:
		img = b[display.MIMEPNG]
		path := s.write(id, ".png", img)
		size := ""
		if cfg, err := png.DecodeConfig(bytes.NewReader(img)); err == nil {
			size = fmt.Sprintf(" %d×%d", cfg.Width, cfg.Height)
		}
		fmt.Fprintf(&text, "[image%s: %s]\n", size, path)
		if svg := b[display.MIMESVG]; svg != nil {
			s.write(id, ".svg", svg)
		}
		if !s.term || s.inline == "" {
			// No image on this terminal: the figure's text, which for a
			// line plot is a drawing in braille characters.
			img = nil
			if t := b[display.MIMEText]; len(t) > 0 {
				text.WriteString(withNewline(string(t)))
			}
		}
	case b[display.MIMESVG] != nil:
		fmt.Fprintf(&text, "[svg: %s]\n", s.write(id, ".svg", b[display.MIMESVG]))
	case b[display.MIMEHTML] != nil && b[display.MIMEText] == nil:
		// HTML with no text (a progress line has both: its text serves).
		fmt.Fprintf(&text, "[html: %s]\n", s.write(id, ".html", b[display.MIMEHTML]))
	default:
		t, ok := b[display.MIMEText]
		if !ok {
			t = b[display.MIMEMarkdown]
		}
		if t == nil {
			t = []byte(b.String())
		}
		text.WriteString(withNewline(string(t)))
	}
	return text.String(), img
}

func withNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// write saves data under dir and returns the path: the same file for every
// update of an output, a new one for each other output.
func (s *termSink) write(id, ext string, data []byte) string {
	path, ok := s.files[id+ext]
	if !ok || id == "" {
		s.nfile++
		path = filepath.Join(s.dir, fmt.Sprintf("out-%d%s", s.nfile, ext))
		if id != "" {
			s.files[id+ext] = path
		}
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return fmt.Sprintf("(not written: %v)", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Sprintf("(not written: %v)", err)
	}
	return path
}

// drawInline draws a PNG with the terminal's image protocol.
func (s *termSink) drawInline(img []byte) {
	enc := base64.StdEncoding.EncodeToString(img)
	var b strings.Builder
	switch s.inline {
	case "kitty":
		// Chunks of at most 4096 bytes of base64; m=1 on all but the last.
		for i := 0; i < len(enc); i += 4096 {
			chunk := enc[i:min(i+4096, len(enc))]
			more := 0
			if i+4096 < len(enc) {
				more = 1
			}
			if i == 0 {
				fmt.Fprintf(&b, "\x1b_Ga=T,f=100,m=%d;%s\x1b\\", more, chunk)
			} else {
				fmt.Fprintf(&b, "\x1b_Gm=%d;%s\x1b\\", more, chunk)
			}
		}
		b.WriteString("\n")
	case "iterm":
		fmt.Fprintf(&b, "\x1b]1337;File=inline=1;size=%d;preserveAspectRatio=1:%s\a\n", len(img), enc)
	default:
		return
	}
	io.WriteString(s.w, b.String())
}
