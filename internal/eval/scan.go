package eval

import (
	"io"
	"sync"
	"unicode/utf8"

	"github.com/seq2go/seq2go/lib/display"
)

// inputReader is the standard input of the interpreter when the session's
// Display implements display.Inputter (a Jupyter kernel, the REPL): fmt.Scan,
// fmt.Scanln and fmt.Scanf in a cell read from it, and it asks the front end
// for a line (an input box in a notebook) each time it has nothing left.
// yaegi gives Scan and friends the interpreter's own standard input
// (interp.Options.Stdin), so the shared stdlib.Symbols table is untouched.
// Without an Inputter they read os.Stdin, as before.
//
// It is an io.RuneScanner, so fmt reads from it without losing a rune
// between calls. What a cell leaves unread is dropped when the next cell
// starts (reset): each cell's input is its own.
type inputReader struct {
	in display.Inputter

	mu   sync.Mutex
	buf  []byte
	off  int
	last int // size of the last rune read, for UnreadRune; -1 after an UnreadRune
}

func newInputReader(in display.Inputter) *inputReader { return &inputReader{in: in, last: -1} }

// fill asks for a line when everything read so far has been consumed.
func (r *inputReader) fill() error {
	if r.off < len(r.buf) {
		return nil
	}
	l, err := r.in.Input("", false)
	if err != nil {
		return err
	}
	r.buf, r.off, r.last = append(r.buf[:0], l...), 0, -1
	r.buf = append(r.buf, '\n')
	return nil
}

func (r *inputReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fill(); err != nil {
		return 0, err
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	r.last = -1
	return n, nil
}

func (r *inputReader) ReadRune() (rune, int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fill(); err != nil {
		return 0, 0, err
	}
	c, n := utf8.DecodeRune(r.buf[r.off:])
	r.off += n
	r.last = n
	return c, n, nil
}

func (r *inputReader) UnreadRune() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last < 0 || r.last > r.off {
		return io.ErrNoProgress
	}
	r.off -= r.last
	r.last = -1
	return nil
}

// reset drops what is left of the last line.
func (r *inputReader) reset() {
	r.mu.Lock()
	r.buf, r.off, r.last = r.buf[:0], 0, -1
	r.mu.Unlock()
}
