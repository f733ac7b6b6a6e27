package tutorial

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/seq2go/seq2go/internal/eval"
	"github.com/seq2go/seq2go/lib/display"
)

// A Result is what one code cell did.
type Result struct {
	Cell Cell
	// Output is the cell's transcript: what it wrote to stdout and stderr
	// and the text of the display outputs it made without an id
	// (display.Text, display.PNG, ...), in order, then the text of its
	// final value and a newline. Outputs made with display.Show, which a
	// cell may update (a progress line, a live plot), are left out: their
	// text changes from run to run.
	Output string
	// Value is the final value, with its rich types. Displays are the
	// outputs the cell made through package display, in the order they
	// first appeared, each in its final state (an update replaces the
	// output it updates, as in a notebook).
	Value    display.Bundle
	Displays []display.Bundle
	Err      error
}

// transcript collects a session's output and displays in order.
type transcript struct {
	mu       sync.Mutex
	b        strings.Builder
	displays []display.Bundle
	ids      map[string]int // display id → index in displays
}

func (t *transcript) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.Write(p)
}

func (t *transcript) Display(b display.Bundle, id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i, ok := t.ids[id]; ok && id != "" {
		t.displays[i] = b
		return
	}
	if id != "" {
		if t.ids == nil {
			t.ids = map[string]int{}
		}
		t.ids[id] = len(t.displays)
	} else {
		t.b.WriteString(text(b))
	}
	t.displays = append(t.displays, b)
}

func (t *transcript) Update(b display.Bundle, id string) { t.Display(b, id) }

// take returns what was collected and starts afresh.
func (t *transcript) take() (string, []display.Bundle) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, d := t.b.String(), t.displays
	t.b.Reset()
	t.displays, t.ids = nil, nil
	return s, d
}

// text is a bundle's text/plain entry (or its description) ending in a
// newline.
func text(b display.Bundle) string {
	s, ok := b[display.MIMEText]
	t := string(s)
	if !ok {
		t = b.String()
	}
	if !strings.HasSuffix(t, "\n") {
		t += "\n"
	}
	return t
}

// Run evaluates the chapter's code cells in order in a new session and
// returns what each did. It stops at the first cell that fails: the
// Result of that cell carries the error, which Run also returns, placed
// at the chapter's line ("01-feed-forward-and-rnn.md:42:3: undefined: x").
func Run(ctx context.Context, ch *Chapter) ([]Result, error) {
	t := &transcript{}
	s, err := eval.New(eval.Options{Stdout: t, Stderr: t, Display: t})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var results []Result
	for _, c := range ch.Code() {
		res, err := s.Eval(ctx, c.Text)
		out, displays := t.take()
		r := Result{Cell: c, Value: res.Value, Displays: displays, Err: err}
		if res.Value != nil {
			out += text(res.Value)
		}
		r.Output = out
		results = append(results, r)
		if err != nil {
			return results, fmt.Errorf("%s.md:%s", ch.Name, position(c, err))
		}
	}
	return results, nil
}

// position places an evaluation error at the chapter's line.
func position(c Cell, err error) string {
	if e, ok := err.(*eval.Error); ok && e.Line > 0 {
		return fmt.Sprintf("%d:%d: %s", c.Line+e.Line-1, e.Col, e.Msg)
	}
	return fmt.Sprintf("%d: %v", c.Line, err)
}

// Check runs the chapter and compares each code cell's output with its
// Output block, when it has one. Trailing spaces of each line and trailing
// blank lines do not count. It returns the first failure or mismatch.
func Check(ctx context.Context, ch *Chapter) error {
	results, err := Run(ctx, ch)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Cell.HasOutput && normalize(r.Output) != normalize(r.Cell.Output) {
			return fmt.Errorf("%s.md:%d: output differs\n--- got\n%s--- want\n%s", ch.Name, r.Cell.Line, r.Output, r.Cell.Output)
		}
	}
	return nil
}

func normalize(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}
