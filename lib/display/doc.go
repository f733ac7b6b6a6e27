/*
Package display shows rich output — images, HTML, Markdown, text — from Go
code running in the seq2go REPL, in a Jupyter notebook, or in a plain
program, and updates an output in place:

	display.Markdown("## Training")
	h := display.Show(lossPlot) // a *plot.Line: shown as PNG, with text as a fallback
	for step := 0; step < 1000; step++ {
		// ... train, lossPlot.Append("train", float64(step), loss) ...
		if step%100 == 0 {
			h.Update(lossPlot) // the same output is redrawn, not appended
		}
	}

# Duck typing

A value is rich when it has one of the methods

	PNG() []byte         image/png, the raw bytes of a PNG file (not base64)
	SVG() string         image/svg+xml
	HTML() string        text/html
	Markdown() string    text/markdown

(the interfaces PNGer, SVGer, HTMLer and Markdowner). A library makes its
values displayable by giving them these methods; it never imports display,
and display never imports it. This is gophernotes' convention, and
lib/plot's figures follow it. Render turns a value into a Bundle: one entry
per rich method it has, plus "text/plain" from fmt's %v (which uses the
value's String method when it has one), so a front end that cannot show an
image still has text to print. The front end picks the richest type it can
show. A figure, with both PNG and SVG, is one image: PNG, which every
notebook viewer and exporter shows, unless UseSVG(true) asks for SVG.

# Sinks

Output goes to a Sink. The evaluator behind the REPL and the Jupyter kernel
installs its own with SetSink: the kernel turns Display into a
display_data message and Update into update_display_data; the REPL writes
images to files and redraws or appends text. Without an installed sink
(a plain Go program, a test) the default sink prints the text/plain entry to
os.Stdout, or a one-line description such as "[image/png, 12345 bytes]" for
a bundle without text, and prints an updated output again below the old one.

Every Show returns a Handle whose output can be updated; its id is unique in
the process and carries the process's start time, so a notebook that keeps
the outputs of an earlier kernel never sees an id reused. The plain
functions PNG, SVG, HTML, Markdown and Text display with no id.

Input asks the user for a line of text: a front end that implements Inputter
answers (a notebook shows an input box), otherwise it is read from os.Stdin.

A training's progress bar is built on Show and Update too: lib/training's
Bar, which draws lib/training's Progress values.

# Conventions

The package uses only the standard library. The functions may be called from
any goroutine; a Sink must therefore be safe for concurrent use. A panic in a
value's rich method propagates to the caller of Render or Show, where the
evaluator reports it like any other panic.
*/
package display

// BUG(seq2go): In the yaegi interpreter (v0.16.1), a value of a type declared
// in the session loses its methods when it is passed as an `any` to compiled
// code, so Show(v) and Render(v) see no PNG method and show v as text. A
// variable of one of this package's interface types keeps them:
//
//	var p display.PNGer = v
//	display.Show(p)
//
// Values of compiled types, such as lib/plot's figures, are not affected.
