/*
Package repl is seq2go's read-eval-print loop: Go at a prompt, with the whole
library loaded, over the one evaluator (internal/eval).

	$ seq2go
	seq2go — deep learning for NLP, in Go, at a prompt.
	...
	>>> x := mat.NewDense(1, 3, []float64{1, 2, 3})
	>>> l := nn.NewLinear(rand.New(rand.NewPCG(1, 1)), 3, 2)
	>>> l.Forward(x)
	[0.947767  5.29132]

[Interactive] is the REPL on a terminal: line editing and Tab completion
(github.com/chzyer/readline), a continuation prompt while a cell is open
(eval.IsComplete decides),
history in ~/.seq2go_history, Ctrl-C to interrupt a running cell (or clear
the line at the prompt), Ctrl-D to quit, and the commands

	:help            this list
	:doc SYMBOL      the go doc of a symbol: :doc nn.Linear, :doc l.Forward
	:type EXPR       the type of an expression (it is evaluated)
	:vars            the session's variables and their types
	:load FILE.go    run a file as one cell
	:save FILE.go    write the cells that ran without error to a file
	:reset           start a fresh session
	:time STMT       run a cell and print how long it took
	:tutorial [N]    list the tutorials, or walk chapter N cell by cell
	:quit            quit (Ctrl-D does too)

Rich values (figures: anything with a PNG or SVG method) are written to a
file whose path is printed, and drawn inline on terminals that show images
(kitty, iTerm2, WezTerm). Outputs that a cell updates in place
(display.Show(...).Update, training.Bar) are redrawn in place.

Without a terminal, [Pipe] reads cells from its input as the prompt would
(echo 'fmt.Println(1)' | seq2go), [File] runs a file (seq2go run FILE.go),
and [Tutorial] runs a chapter through.
*/
package repl
