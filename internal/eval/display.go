package eval

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/seq2go/seq2go/lib/display"
	"gonum.org/v1/gonum/mat"
)

// render turns a cell's final value into a bundle: text/plain always, plus
// the rich types of display.Render. A matrix is formatted by mat.Formatted,
// squeezed, and cut to an excerpt when large. A panic in a value's String or
// rich method comes back as an error.
func render(v any) (b display.Bundle, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, &Error{Kind: "panic", Msg: "panic: " + panicText(r) + " (while showing the value)", off: -1}
		}
	}()
	if rb, ok := display.Render(v); ok {
		b = rb
	} else {
		b = display.Bundle{}
	}
	b[display.MIMEText] = []byte(text(v))
	return b, nil
}

// A matrix's elements are shown with six significant digits, as numpy
// shows about eight: enough to read, short enough to fit. Print with
// fmt and mat.Formatted for more.
//
// maxShown is the number of rows or columns above which a matrix is shown
// as an excerpt: its corners, three rows and columns each.
const maxShown = 12

// text formats v for text/plain.
func text(v any) string {
	if m, ok := v.(mat.Matrix); ok && !isNilPointer(m) {
		r, c := m.Dims()
		opts := []mat.FormatOption{mat.Squeeze()}
		if r > maxShown || c > maxShown {
			opts = append(opts, mat.Excerpt(3))
		}
		return fmt.Sprintf("%.6g", mat.Formatted(m, opts...))
	}
	// A string in Go syntax, as a Go REPL shows it: "" is not an empty
	// output, and "1" not the number 1. A value with a String or Error
	// method reads as that method says.
	switch v.(type) {
	case fmt.Stringer, error:
	default:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
			return strconv.Quote(rv.String())
		}
	}
	return fmt.Sprintf("%v", v)
}

func isNilPointer(m mat.Matrix) (isNil bool) {
	defer func() {
		if recover() != nil {
			isNil = true
		}
	}()
	m.Dims()
	return false
}

// sink is the display sink a session installs while its cells run. It
// makes sure the text a cell wrote before a display call reaches the front
// end before the display output does, then passes the output on to
// Options.Display, or writes its text to Stdout.
type sink struct{ s *Session }

// inputSink is a sink whose front end can read a line from the user.
type inputSink struct {
	sink
	in display.Inputter
}

func newSink(s *Session) display.Sink {
	if in, ok := s.opt.Display.(display.Inputter); ok {
		return inputSink{sink{s}, in}
	}
	return sink{s}
}

func (k sink) flush() {
	if k.s.out != nil {
		k.s.out.sync()
		k.s.errc.sync()
	}
}

func (k sink) Display(b display.Bundle, id string) {
	k.flush()
	if d := k.s.opt.Display; d != nil {
		d.Display(b, id)
		return
	}
	k.writeText(b)
}

func (k sink) Update(b display.Bundle, id string) {
	k.flush()
	if d := k.s.opt.Display; d != nil {
		d.Update(b, id)
		return
	}
	k.writeText(b)
}

// writeText writes b's text, or its description, to the session's Stdout,
// in order with the captured output.
func (k sink) writeText(b display.Bundle) {
	t, ok := b[display.MIMEText]
	s := string(t)
	if !ok {
		s = b.String()
	}
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	if k.s.out != nil {
		k.s.out.write([]byte(s))
		return
	}
	k.s.opt.Stdout.Write([]byte(s))
}

func (k inputSink) Input(prompt string, password bool) (string, error) {
	k.flush()
	return k.in.Input(prompt, password)
}
