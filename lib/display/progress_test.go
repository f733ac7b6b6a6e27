package display_test

import (
	"strings"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/display"
)

// clock is a fake time source that the test advances.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestProgressThrottle(t *testing.T) {
	s := &recordSink{}
	install(t, s)
	c := &clock{t: time.Unix(0, 0)}
	p := display.NewProgressClock(100, c.now)

	// 100 steps 10 ms apart take 1 s: the first step is drawn, then one
	// update per 100 ms (steps 11, 21, ..., 91), then the last step.
	for step := 1; step <= 100; step++ {
		c.advance(10 * time.Millisecond)
		p.Set(step, "loss 1.00")
	}
	if n := len(s.events); n != 11 {
		t.Fatalf("%d outputs, want 11 (first, 9 throttled updates, last)", n)
	}
	if s.events[0].method != "display" {
		t.Errorf("first output is %s, want display", s.events[0].method)
	}
	for _, e := range s.events[1:] {
		if e.method != "update" || e.id != s.events[0].id {
			t.Errorf("output %s id %q: want update of %q", e.method, e.id, s.events[0].id)
		}
	}
	last := s.events[len(s.events)-1].b
	// 100/100, 1 s elapsed, 100 steps per second.
	want := "100/100 100% |" + strings.Repeat("█", 25) + "| 0:01 100 it/s  loss 1.00"
	if got := string(last["text/plain"]); got != want {
		t.Errorf("last line\n%q\nwant\n%q", got, want)
	}
	if h := string(last["text/html"]); !strings.Contains(h, `<progress value="100" max="100"`) {
		t.Errorf("html %q lacks the progress element", h)
	}
}

func TestProgressLine(t *testing.T) {
	s := &recordSink{}
	install(t, s)
	c := &clock{t: time.Unix(0, 0)}
	p := display.NewProgressClock(1000, c.now)
	c.advance(12 * time.Second)
	p.Set(120, "loss <2.31>")
	// 120 steps in 12 s: 10 it/s, 880 steps left take 88 s = 1:28; 12% of 25
	// characters rounds to 3.
	want := " 120/1000  12% |███░░░░░░░░░░░░░░░░░░░░░░| 0:12<1:28 10 it/s  loss <2.31>"
	b := s.events[0].b
	if got := string(b["text/plain"]); got != want {
		t.Errorf("line\n%q\nwant\n%q", got, want)
	}
	if got := string(b["text/html"]); !strings.Contains(got, " 120/1000  12% 0:12&lt;1:28 10 it/s  loss &lt;2.31&gt;</div>") {
		t.Errorf("html %q: want the escaped line without the bar", got)
	}
	if p.String() != want {
		t.Errorf("String = %q, want %q", p.String(), want)
	}
}

func TestProgressDone(t *testing.T) {
	s := &recordSink{}
	install(t, s)
	c := &clock{t: time.Unix(0, 0)}
	p := display.NewProgressClock(0, c.now) // unknown total
	p.Set(1, "")
	p.Set(2, "") // throttled: no time has passed
	if len(s.events) != 1 {
		t.Fatalf("%d outputs before Done, want 1", len(s.events))
	}
	c.advance(4 * time.Second)
	p.Done()
	p.Done() // nothing new to draw
	if len(s.events) != 2 {
		t.Fatalf("%d outputs after Done, want 2", len(s.events))
	}
	// Two steps in 4 s: 2 s per step.
	if got, want := string(s.events[1].b["text/plain"]), "2 steps 0:04 2 s/it"; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
	if got := string(s.events[1].b["text/html"]); !strings.Contains(got, `<progress style=`) {
		t.Errorf("html %q: want an indeterminate progress element", got)
	}
}
