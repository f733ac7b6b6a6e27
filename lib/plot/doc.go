/*
Package plot draws the figures of the talk — loss curves, gradient-descent
paths on a loss surface, attention heat maps, word vectors, quantization
errors — as values that a notebook or the REPL shows by themselves:

	p := plot.NewLine("loss", "step", "nats/char")
	p.Add("train", steps, trainLoss)
	p.Add("val", valSteps, valLoss)
	p              // in a notebook cell: the figure is drawn inline
	p.Save("loss.png")

The figures are built on gonum.org/v1/plot. Each is a plain struct with
exported fields for its options (Title, axis labels, LogY, Width, ...) and
methods to add data; nothing is drawn until the figure is rendered, so a
training loop may add points and show the same figure again.

# Which figure for which part of the talk

	Line       loss curves: the char-RNN (section 2; tutorial chapter 02), any training run
	Contour    a loss surface with the paths of SGD, momentum, Adagrad and Adam (section 4; chapter 07)
	HeatMap    attention weights between source and target words (section 3, "visualize attention")
	Scatter    word vectors projected to 2-D, with their words as labels (section 4, word2vec)
	Histogram  quantization errors, weights before and after int8 (section 5, fast translation)
	Step       a signal, its quantized staircase, and the error (section 5)

# Rendering: duck typing

Every figure has the methods

	PNG() []byte              a PNG file of Width×Height cm at DPI dots per inch
	SVG() string              an SVG document of the same size
	Save(path string) error   PNG, SVG or PDF, chosen by the extension of path

PNG and SVG are the methods that the display package (and the evaluator
behind the REPL and the Jupyter kernel) looks for: a value with them is
shown as an image, without this package importing display or display
importing this one (gophernotes' convention; see package display). A
figure's String method gives the text a front end without images prints:
Line draws its curves with braille characters (Line.Text), the others
describe themselves on one line.

The default size, 16×10 cm at 96 dpi (605×378 pixels), is readable inline
in a notebook; set Width and Height (centimetres) and DPI for a slide or a
paper. Text uses the Liberation fonts that gonum/plot embeds, so figures
render the same on a machine without fonts. For anything the fields do not
offer, Plot (Plots for Step) returns the figure as a new *plot.Plot of
gonum's, to change and save with gonum's API.

# Errors

Programming errors panic, as in gonum: slices that pair up but differ in
length (ErrLength), an empty range (ErrRange), a nil function or matrix, a
bin count or size that is not positive; the panic values carry the prefix
"plot: ". Data does not panic: a NaN or infinite point — a loss that
diverged — is left out of the figure (and so are y ≤ 0 on a logarithmic
axis), so the curve ends or skips instead of the figure failing halfway
through a training run. A figure with no data draws empty axes. Save
returns an error for an unknown extension and for a file that cannot be
written.
*/
package plot
