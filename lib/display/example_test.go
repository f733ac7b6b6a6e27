package display_test

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/display"
)

// Without an installed sink, output is printed to os.Stdout: text as it is,
// anything else described.
func Example() {
	display.Text("hello")
	display.PNG(make([]byte, 12345))
	display.HTML("<b>bold</b>")
	// Output:
	// hello
	// [image/png, 12345 bytes]
	// [text/html, 11 bytes]
}

// figure is a rich value: it has an SVG method, so Render shows it as an
// image, and a String method for text-only front ends.
type figure struct{ title string }

func (f figure) SVG() string {
	return `<svg xmlns="http://www.w3.org/2000/svg"><text>` + f.title + `</text></svg>`
}
func (f figure) String() string { return "figure " + f.title }

func ExampleRender() {
	b, ok := display.Render(figure{"loss"})
	fmt.Println(ok, b.Types())
	fmt.Println(string(b["text/plain"]))
	_, ok = display.Render(42)
	fmt.Println(ok)
	// Output:
	// true [image/svg+xml text/plain]
	// figure loss
	// false
}

// The default sink prints every update below the last one; a notebook
// replaces the output in place.
func ExampleHandle_Update() {
	h := display.Show("epoch 1: loss 2.31")
	h.Update("epoch 2: loss 1.87")
	// Output:
	// epoch 1: loss 2.31
	// epoch 2: loss 1.87
}

// printSink prints what it is asked to show, the way a front end would.
type printSink struct{}

func (printSink) Display(b display.Bundle, id string) {
	fmt.Printf("display %v updatable=%v\n", b.Types(), id != "")
}

func (printSink) Update(b display.Bundle, id string) {
	fmt.Printf("update %v\n", b.Types())
}

func ExampleSetSink() {
	display.SetSink(printSink{})
	defer display.SetSink(nil)

	display.Markdown("# Loss")
	h := display.Show(figure{"loss"})
	h.Update(figure{"loss after epoch 2"})
	// Output:
	// display [text/markdown text/plain] updatable=false
	// display [image/svg+xml text/plain] updatable=true
	// update [image/svg+xml text/plain]
}
