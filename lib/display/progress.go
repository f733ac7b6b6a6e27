package display

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// Progress is a progress line for a loop of a known number of steps, drawn
// in one output that is updated in place:
//
//	120/1000  12% |███░░░░░░░░░░░░░░░░░░░░░░| 0:12<1:28 9.8 it/s  loss 2.31
//
// The output carries that line as text/plain and as an HTML <progress> bar.
// Set may be called on every step: the output is redrawn at most ten times a
// second (once a second with the default sink, whose updates are new lines),
// and always for the first step shown and for the last one (step ≥ total).
// The time left and the speed appear once a second has passed.
//
//	p := display.NewProgress(steps)
//	for step := 1; step <= steps; step++ {
//		loss := trainer.TrainStep()
//		p.Set(step, fmt.Sprintf("loss %.3f", loss))
//	}
//
// A Progress is not safe for concurrent use.
type Progress struct {
	total   int
	h       *Handle
	start   time.Time
	shown   time.Time // when the output was last drawn
	step    int
	text    string
	pending bool // Set was called since the output was last drawn
	now     func() time.Time
}

// NewProgress returns a progress line for total steps, started now. A total
// of zero or less means the number of steps is unknown: the line shows the
// step count and the speed without a bar.
func NewProgress(total int) *Progress {
	return newProgress(total, time.Now)
}

func newProgress(total int, now func() time.Time) *Progress {
	return &Progress{total: total, start: now(), now: now}
}

// Set records that step steps are done, with text (a loss, say) shown after
// the bar, and redraws the output unless it was redrawn less than the
// throttle interval ago.
func (p *Progress) Set(step int, text string) {
	p.step, p.text, p.pending = step, text, true
	now := p.now()
	interval := 100 * time.Millisecond
	if !installed() {
		interval = time.Second
	}
	last := p.total > 0 && step >= p.total
	if p.h != nil && !last && now.Sub(p.shown) < interval {
		return
	}
	p.draw(now)
}

// Done draws the latest state if Set has recorded one that was not drawn
// (the loop stopped early, between two redraws).
func (p *Progress) Done() {
	if p.pending {
		p.draw(p.now())
	}
}

// String returns the progress line as text.
func (p *Progress) String() string {
	return p.line(p.now())
}

func (p *Progress) draw(now time.Time) {
	b := Bundle{
		MIMEText: []byte(p.line(now)),
		MIMEHTML: []byte(p.html(now)),
	}
	if p.h == nil {
		p.h = &Handle{id: newID()}
		current().Display(b, p.h.id)
	} else {
		current().Update(b, p.h.id)
	}
	p.shown, p.pending = now, false
}

const barWidth = 25 // characters in the text bar

// line formats the text form of the progress line.
func (p *Progress) line(now time.Time) string {
	head, bar, tail := p.parts(now)
	if bar == "" {
		return head + tail
	}
	return head + " |" + bar + "|" + tail
}

// parts returns the pieces of the progress line: the count and percentage,
// the character bar (empty when the total is unknown), and the times, speed
// and text.
func (p *Progress) parts(now time.Time) (head, bar, tail string) {
	elapsed := now.Sub(p.start)
	var t strings.Builder
	t.WriteString(" " + clock(elapsed))
	if p.total > 0 {
		frac := min(max(float64(p.step)/float64(p.total), 0), 1)
		full := int(frac*barWidth + 0.5)
		head = fmt.Sprintf("%*d/%d %3.0f%%", len(fmt.Sprint(p.total)), p.step, p.total, 100*frac)
		bar = strings.Repeat("█", full) + strings.Repeat("░", barWidth-full)
		if p.step > 0 && p.step < p.total && elapsed >= time.Second {
			left := time.Duration(float64(elapsed) / float64(p.step) * float64(p.total-p.step))
			t.WriteString("<" + clock(left))
		}
	} else {
		head = fmt.Sprintf("%d steps", p.step)
	}
	if p.step > 0 && elapsed >= time.Second { // earlier, the estimates are noise
		rate := float64(p.step) / elapsed.Seconds()
		if rate >= 1 {
			fmt.Fprintf(&t, " %.3g it/s", rate)
		} else {
			fmt.Fprintf(&t, " %.3g s/it", 1/rate)
		}
	}
	if p.text != "" {
		t.WriteString("  " + p.text)
	}
	return head, bar, t.String()
}

// html formats the HTML form: a native <progress> bar (indeterminate when
// the total is unknown) followed by the text line without its character bar.
func (p *Progress) html(now time.Time) string {
	bar := `<progress style="width:20em;vertical-align:middle"></progress>`
	if p.total > 0 {
		bar = fmt.Sprintf(`<progress value="%d" max="%d" style="width:20em;vertical-align:middle"></progress>`,
			min(max(p.step, 0), p.total), p.total)
	}
	head, _, tail := p.parts(now)
	return `<div style="font-family:monospace">` + bar + " " + html.EscapeString(head+tail) + "</div>"
}

// clock formats d as m:ss, or h:mm:ss from an hour on.
func clock(d time.Duration) string {
	sec := int(d.Round(time.Second) / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}
