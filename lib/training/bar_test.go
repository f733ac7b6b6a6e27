package training

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/display"
)

// Away from a terminal a text bar logs a line every N steps and at the last.
func TestTextBarLogs(t *testing.T) {
	var b bytes.Buffer
	bar := NewTextBar(&b, 10)
	for step := 1; step <= 25; step++ {
		bar.Update(Progress{Step: step, Steps: 25, SmoothLoss: 1, Tokens: step, Elapsed: time.Second})
	}
	bar.Done()
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "step 10/25 (40%)") || !strings.HasPrefix(lines[2], "step 25/25 (100%)") {
		t.Fatalf("log:\n%s\nwant lines at steps 10, 20 and 25", b.String())
	}
}

// sink records what the bar shows.
type sink struct{ events []string }

func (s *sink) Display(b display.Bundle, id string) {
	s.events = append(s.events, "display "+string(b["text/plain"]))
}
func (s *sink) Update(b display.Bundle, id string) {
	s.events = append(s.events, "update "+string(b["text/plain"]))
}

// In a notebook the bar is one output, redrawn at most every 100 ms and at
// the last step; Done draws a step that was left undrawn.
func TestBarThrottles(t *testing.T) {
	s := &sink{}
	display.SetSink(s)
	defer display.SetSink(nil)
	clock := time.Unix(0, 0)
	bar := NewBar()
	bar.now = func() time.Time { return clock }
	// 100 steps 10 ms apart: the first, then steps 11, 21, …, 91, then the last.
	for step := 1; step <= 100; step++ {
		clock = clock.Add(10 * time.Millisecond)
		bar.Update(Progress{Step: step, Steps: 100, SmoothLoss: 2})
	}
	if len(s.events) != 11 || !strings.HasPrefix(s.events[0], "display step 1/100") || !strings.HasPrefix(s.events[10], "update step 100/100") {
		t.Fatalf("%d outputs: %q …; want a display and 10 updates", len(s.events), s.events[:min(2, len(s.events))])
	}
	bar.Update(Progress{Step: 101, Steps: 200, SmoothLoss: 2}) // throttled
	if len(s.events) != 11 {
		t.Fatalf("an update 0 ms after the last drawing was drawn")
	}
	bar.Done()
	bar.Done() // nothing new
	if len(s.events) != 12 || !strings.HasPrefix(s.events[11], "update step 101/200") {
		t.Fatalf("after Done: %q", s.events[len(s.events)-1])
	}
	if h := (Progress{Step: 3, Steps: 4}).HTML(); !strings.Contains(h, `<progress value="3" max="4"`) {
		t.Errorf("HTML %q lacks the progress element", h)
	}
}
