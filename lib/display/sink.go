package display

import (
	"errors"
	"io"
	"os"
	"strings"
	"sync"
)

// Sink receives the outputs of this package. The evaluator installs one with
// SetSink; see the package documentation.
//
// Display shows a new output. Update replaces the output that was shown with
// the same id, in place where the front end can (Jupyter's
// update_display_data), or shows it again below. The id is "" for an output
// that cannot be updated (PNG, Text, ...) and non-empty for one made by Show,
// whose later Updates carry the same id.
//
// A Sink's methods may be called from several goroutines.
type Sink interface {
	Display(b Bundle, id string)
	Update(b Bundle, id string)
}

// Inputter is implemented by a Sink that can ask the user for a line of
// text: a Jupyter kernel sends an input_request, a REPL reads from its
// terminal. password asks the front end not to echo what is typed.
type Inputter interface {
	Input(prompt string, password bool) (string, error)
}

var (
	mu   sync.RWMutex
	sink Sink // nil: the default sink
)

// SetSink installs s as the destination of all display output; nil restores
// the default sink, which prints to os.Stdout.
func SetSink(s Sink) {
	mu.Lock()
	sink = s
	mu.Unlock()
}

// current returns the installed sink, or the default one.
func current() Sink {
	mu.RLock()
	s := sink
	mu.RUnlock()
	if s == nil {
		return stdoutSink{}
	}
	return s
}

// Installed reports whether a sink other than the default one is installed:
// whether an update redraws an output in place (a notebook, the REPL) or
// prints it again below (a plain program). lib/training's Bar redraws less
// often when it does not.
func Installed() bool {
	mu.RLock()
	defer mu.RUnlock()
	return sink != nil
}

// stdoutSink is the default sink, for plain programs and tests: it writes the
// text/plain entry of a bundle, or the bundle's one-line description, to
// os.Stdout, read at each call so that a redirected os.Stdout is honoured.
// Update prints again: a log cannot be redrawn.
type stdoutSink struct{}

func (stdoutSink) Display(b Bundle, id string) { writeText(os.Stdout, b) }
func (stdoutSink) Update(b Bundle, id string)  { writeText(os.Stdout, b) }

// writeText writes b's text, ended by a newline, in one Write so that
// concurrent outputs do not interleave within a line.
func writeText(w io.Writer, b Bundle) {
	s, ok := b[MIMEText]
	text := string(s)
	if !ok {
		text = b.String()
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	io.WriteString(w, text)
}

// Input asks the user for a line of text after showing prompt, and returns
// it without its line ending. An installed sink that implements Inputter
// answers (a notebook shows an input box); otherwise prompt is written to
// os.Stdout and a line is read from os.Stdin. A last line without a newline
// is returned with a nil error; at the end of the input, with nothing read,
// Input returns "" and io.EOF.
func Input(prompt string) (string, error) {
	return input(prompt, false)
}

// Password is Input for a secret: a front end that can hides what is typed.
// The default sink cannot (the standard library has no portable way to turn
// off a terminal's echo), so there the text is echoed.
func Password(prompt string) (string, error) {
	return input(prompt, true)
}

func input(prompt string, password bool) (string, error) {
	if in, ok := current().(Inputter); ok {
		return in.Input(prompt, password)
	}
	io.WriteString(os.Stdout, prompt)
	return readLine(os.Stdin)
}

// readLine reads up to and including the next '\n' one byte at a time, so
// that nothing after the line is consumed from r (os.Stdin is shared with
// the rest of the program, which a buffered reader would starve).
func readLine(r io.Reader) (string, error) {
	var line []byte
	var c [1]byte
	for {
		n, err := r.Read(c[:])
		if n == 1 {
			if c[0] == '\n' {
				break
			}
			line = append(line, c[0])
			continue
		}
		if errors.Is(err, io.EOF) {
			if len(line) == 0 {
				return "", io.EOF
			}
			break
		}
		if err != nil {
			return string(line), err
		}
	}
	return strings.TrimSuffix(string(line), "\r"), nil
}
