package display_test

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/display"
)

// Rich values for the Render table, one per method set.
type (
	pngValue  struct{}
	svgValue  struct{}
	htmlValue struct{}
	mdValue   struct{}
	allValue  struct{}
	emptyPNG  struct{}
	plain     struct{ N int }
)

func (pngValue) PNG() []byte      { return []byte("\x89PNG") }
func (pngValue) String() string   { return "a png" }
func (svgValue) SVG() string      { return "<svg/>" }
func (htmlValue) HTML() string    { return "<b>hi</b>" }
func (mdValue) Markdown() string  { return "# hi" }
func (allValue) PNG() []byte      { return []byte("p") }
func (allValue) SVG() string      { return "s" }
func (allValue) HTML() string     { return "h" }
func (allValue) Markdown() string { return "m" }
func (allValue) String() string   { return "all" }
func (emptyPNG) PNG() []byte      { return nil }

func TestRender(t *testing.T) {
	for _, test := range []struct {
		name string
		v    any
		ok   bool
		want display.Bundle
	}{
		{"png", pngValue{}, true, display.Bundle{"image/png": []byte("\x89PNG"), "text/plain": []byte("a png")}},
		{"svg", svgValue{}, true, display.Bundle{"image/svg+xml": []byte("<svg/>"), "text/plain": []byte("{}")}},
		{"html", &htmlValue{}, true, display.Bundle{"text/html": []byte("<b>hi</b>"), "text/plain": []byte("&{}")}},
		{"markdown", mdValue{}, true, display.Bundle{"text/markdown": []byte("# hi"), "text/plain": []byte("{}")}},
		{"all: a figure is PNG only", allValue{}, true, display.Bundle{
			"image/png": []byte("p"), "text/html": []byte("h"),
			"text/markdown": []byte("m"), "text/plain": []byte("all"),
		}},
		{"empty png", emptyPNG{}, true, display.Bundle{"text/plain": []byte("{}")}},
		{"struct", plain{3}, false, nil},
		{"int", 42, false, nil},
		{"nil", nil, false, nil},
	} {
		got, ok := display.Render(test.v)
		if ok != test.ok || !reflect.DeepEqual(got, test.want) {
			t.Errorf("%s: Render = %v, %v; want %v, %v", test.name, got, ok, test.want, test.ok)
		}
	}
}

// TestUseSVG checks that UseSVG(true) turns figures into SVG, and only
// figures: a value with a PNG method alone stays PNG.
func TestUseSVG(t *testing.T) {
	display.UseSVG(true)
	defer display.UseSVG(false)
	b, _ := display.Render(allValue{})
	if _, ok := b["image/png"]; ok || string(b["image/svg+xml"]) != "s" {
		t.Errorf("with UseSVG(true), a figure renders as %v, want SVG only", b)
	}
	b, _ = display.Render(pngValue{})
	if string(b["image/png"]) != "\x89PNG" {
		t.Errorf("with UseSVG(true), a PNG-only value renders as %v, want PNG", b)
	}
}

func TestBundleTypes(t *testing.T) {
	b := display.Bundle{"text/plain": nil, "text/markdown": nil, "image/png": nil, "application/json": nil, "image/svg+xml": nil}
	got := b.Types()
	want := []string{"image/png", "image/svg+xml", "text/markdown", "application/json", "text/plain"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Types = %q, want %q", got, want)
	}
}

// event is one call on a recordSink.
type event struct {
	method string // "display" or "update"
	id     string
	b      display.Bundle
}

// recordSink records every call; input answers Input.
type recordSink struct {
	events []event
	input  func(prompt string, password bool) (string, error)
}

func (s *recordSink) Display(b display.Bundle, id string) {
	s.events = append(s.events, event{"display", id, b})
}

func (s *recordSink) Update(b display.Bundle, id string) {
	s.events = append(s.events, event{"update", id, b})
}

type inputSink struct {
	recordSink
	prompts []string
}

func (s *inputSink) Input(prompt string, password bool) (string, error) {
	s.prompts = append(s.prompts, prompt)
	if password {
		return "secret", nil
	}
	return "answer", nil
}

// install makes s the sink for the rest of the test.
func install(t *testing.T, s display.Sink) {
	t.Helper()
	display.SetSink(s)
	t.Cleanup(func() { display.SetSink(nil) })
}

func TestShowUpdate(t *testing.T) {
	s := &recordSink{}
	install(t, s)

	h := display.Show(pngValue{})
	h.Update("step 2")
	h2 := display.Show(3)
	display.PNG([]byte{1, 2})
	display.Text("plain")

	if len(s.events) != 5 {
		t.Fatalf("got %d events, want 5: %v", len(s.events), s.events)
	}
	show, update := s.events[0], s.events[1]
	if show.method != "display" || update.method != "update" {
		t.Errorf("methods %q, %q; want display, update", show.method, update.method)
	}
	if show.id == "" || show.id != update.id || show.id != h.ID() {
		t.Errorf("ids %q, %q, handle %q: want one non-empty id", show.id, update.id, h.ID())
	}
	if string(show.b["image/png"]) != "\x89PNG" {
		t.Errorf("Show bundle %v lacks the PNG", show.b)
	}
	if got := string(update.b["text/plain"]); got != "step 2" {
		t.Errorf("Update text %q, want %q", got, "step 2")
	}
	if h2.ID() == h.ID() {
		t.Errorf("two Shows share the id %q", h.ID())
	}
	if got := string(s.events[2].b["text/plain"]); got != "3" {
		t.Errorf("Show(3) text %q, want 3", got)
	}
	for _, e := range s.events[3:] {
		if e.method != "display" || e.id != "" {
			t.Errorf("plain display %v: want method display and no id", e)
		}
	}
}

func TestDisplayFunctions(t *testing.T) {
	s := &recordSink{}
	install(t, s)
	display.PNG([]byte("png"))
	display.SVG("<svg/>")
	display.HTML("<p>")
	display.Markdown("*md*")
	display.Text("text")
	display.Show(display.Bundle{"application/json": []byte("{}")})
	want := []display.Bundle{
		{"image/png": []byte("png")},
		{"image/svg+xml": []byte("<svg/>")},
		{"text/html": []byte("<p>")},
		{"text/markdown": []byte("*md*"), "text/plain": []byte("*md*")},
		{"text/plain": []byte("text")},
		{"application/json": []byte("{}")},
	}
	for i, e := range s.events {
		if !reflect.DeepEqual(e.b, want[i]) {
			t.Errorf("output %d = %v, want %v", i, e.b, want[i])
		}
	}
}

// captureStdout returns what f writes to os.Stdout.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	tmp, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	saved := os.Stdout
	os.Stdout = tmp
	defer func() { os.Stdout = saved }()
	f()
	b, err := os.ReadFile(tmp.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDefaultSink(t *testing.T) {
	display.SetSink(&recordSink{})
	display.SetSink(nil) // restores the default sink
	got := captureStdout(t, func() {
		display.Text("hello")
		display.PNG(make([]byte, 12345))
		display.Markdown("# title\n")
		display.HTML("<b>x</b>")
		h := display.Show(pngValue{})
		h.Update(7)
	})
	want := "hello\n[image/png, 12345 bytes]\n# title\n[text/html, 8 bytes]\na png\n7\n"
	if got != want {
		t.Errorf("default sink wrote\n%q\nwant\n%q", got, want)
	}
}

func TestInputSink(t *testing.T) {
	s := &inputSink{}
	install(t, s)
	got, err := display.Input("name? ")
	if err != nil || got != "answer" {
		t.Errorf("Input = %q, %v; want answer, nil", got, err)
	}
	got, err = display.Password("password? ")
	if err != nil || got != "secret" {
		t.Errorf("Password = %q, %v; want secret, nil", got, err)
	}
	if want := []string{"name? ", "password? "}; !reflect.DeepEqual(s.prompts, want) {
		t.Errorf("prompts %q, want %q", s.prompts, want)
	}
}

func TestInputStdin(t *testing.T) {
	in, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	in.WriteString("first line\r\nsecond")
	in.Seek(0, io.SeekStart)
	saved := os.Stdin
	os.Stdin = in
	defer func() { os.Stdin = saved }()

	var lines []string
	out := captureStdout(t, func() {
		for {
			s, err := display.Input("> ")
			if err != nil {
				if !errors.Is(err, io.EOF) {
					t.Errorf("Input error %v, want io.EOF", err)
				}
				break
			}
			lines = append(lines, s)
		}
	})
	if want := []string{"first line", "second"}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %q, want %q", lines, want)
	}
	if out != "> > > " {
		t.Errorf("prompts written %q, want three", out)
	}
}

func TestReadLineStopsAtNewline(t *testing.T) {
	r := strings.NewReader("a\nb\n")
	if s, err := display.ReadLine(r); s != "a" || err != nil {
		t.Errorf("ReadLine = %q, %v; want a, nil", s, err)
	}
	if r.Len() != 2 {
		t.Errorf("ReadLine consumed past the line: %d bytes left, want 2", r.Len())
	}
}
