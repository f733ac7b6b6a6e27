package training

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/seq2go/seq2go/lib/display"
)

// Bar draws a training's progress, one Progress at a time, where the
// training runs:
//
//   - NewBar: in a notebook or the REPL, through lib/display — one output
//     redrawn in place (text and an HTML <progress> bar), at most ten times
//     a second (once a second with the default sink, which prints each
//     redraw on a new line);
//   - NewTextBar on a terminal: a bar redrawn in place on one line, at most
//     ten times a second;
//   - NewTextBar elsewhere (a pipe, a log file, CI): the line of
//     Progress.String every N steps and at the last one.
//
// The last Progress of a run is always drawn. Its Update method is a report
// function for Loop.Run:
//
//	bar := training.NewBar()
//	err := trainer.Run(cell.Context(), 3000, bar.Update)
//	bar.Done()
//
// A Bar is not safe for concurrent use.
type Bar struct {
	w        io.Writer // nil: lib/display
	terminal bool
	every    int

	h       *display.Handle
	drawn   bool      // the terminal line shows the bar
	shown   time.Time // when it was last drawn
	last    Progress
	pending bool // an Update since the last drawing
	logged  int  // the last step logged, in units of every
	now     func() time.Time
}

// NewBar returns a bar drawn through lib/display: in place in a notebook or
// the REPL.
func NewBar() *Bar { return &Bar{now: time.Now} }

// NewTextBar returns a bar drawn on w: redrawn in place when w is a
// terminal, otherwise a line every every steps (every ≥ 1) and at the last.
func NewTextBar(w io.Writer, every int) *Bar {
	return &Bar{w: w, terminal: IsTerminal(w), every: max(every, 1), now: time.Now}
}

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Update records p and draws it unless the bar was drawn a moment ago.
func (b *Bar) Update(p Progress) {
	b.last, b.pending = p, true
	last := p.Step >= p.Steps
	switch {
	case b.w != nil && !b.terminal:
		if n := p.Step / b.every; n > b.logged || last {
			b.logged = n
			b.draw()
		}
	default:
		interval := 100 * time.Millisecond
		if b.w == nil && !display.Installed() {
			interval = time.Second
		}
		if b.h != nil || b.drawn {
			if !last && b.now().Sub(b.shown) < interval {
				return
			}
		}
		b.draw()
	}
}

// draw shows the last Progress.
func (b *Bar) draw() {
	p := b.last
	switch {
	case b.w == nil:
		if b.h == nil {
			b.h = display.Show(p)
		} else {
			b.h.Update(p)
		}
	case b.terminal:
		fmt.Fprintf(b.w, "\r\033[K%s %s", p.bar(), p)
		b.drawn = true
	default:
		fmt.Fprintln(b.w, p)
	}
	b.shown, b.pending = b.now(), false
}

// Clear takes a terminal bar off its line, so that other output can be
// printed; the next Update draws it again. Elsewhere it does nothing.
func (b *Bar) Clear() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
		b.drawn = false
	}
}

// Done draws the last Progress if it was not drawn (the run stopped between
// two drawings) and ends a terminal bar's line.
func (b *Bar) Done() {
	if b.pending && (b.w == nil || b.terminal) {
		b.draw()
	}
	if b.drawn {
		fmt.Fprintln(b.w)
		b.drawn = false
	}
}
