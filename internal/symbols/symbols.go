// Package symbols holds the yaegi symbol tables of the packages the seq2go
// evaluator offers beyond the standard library — every package under lib/,
// gonum's mat, floats and stat, and the gonum/plot packages — and their
// documentation.
//
// The tables are generated and checked in, as yaegi's own stdlib tables are:
//
//	go generate ./internal/symbols
//
// runs `go tool yaegi extract` (the extractor is pinned by go.mod's tool
// line) once per package listed below, then gendoc, which writes Docs from
// the same list. The tests fail when a package under lib/ has no line here,
// when a table lacks an exported symbol of its package (yaegi's extractor
// silently drops exported generic functions: keep lib free of them, STYLE
// §2.7), when an interface wrapper is stale, when Docs is out of date, and
// when a table differs from what go generate would write: a table whose
// package's API (as the extractor reads it) and file match the record in
// tables.sum is known fresh; any other is regenerated into a temporary
// directory and compared byte for byte.
//
// The evaluator loads the tables with
//
//	i.Use(stdlib.Symbols)   // yaegi's, up to Go 1.22
//	i.Use(symbols.Symbols)
package symbols

import "reflect"

// Symbols holds the generated tables, keyed "importpath/name" as yaegi's
// Interpreter.Use expects, for example "gonum.org/v1/gonum/mat/mat". The
// generated files fill it from their init functions.
var Symbols = map[string]map[string]reflect.Value{}

// The tables. One line per package: the doc generator (gendoc) and the
// staleness test read the package list from these lines, so adding a
// package to the interpreter is adding its line here and running
// `go generate ./internal/symbols`.
//
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/attention
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/blas
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/charrnn
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/checkpoint
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/data
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/datasets
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/dialog
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/display
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/forecast
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/gradcheck
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/memnet
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/metrics
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/mpi
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/nn
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/optim
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/paramserver
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/plot
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/quant
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/seq2seq
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/smartreply
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/tagger
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/tasks
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/training
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/translate
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/word2vec
//go:generate go tool yaegi extract -name symbols github.com/seq2go/seq2go/lib/wordpiece
//go:generate go tool yaegi extract -name symbols gonum.org/v1/gonum/floats
//go:generate go tool yaegi extract -name symbols gonum.org/v1/gonum/mat
//go:generate go tool yaegi extract -name symbols gonum.org/v1/gonum/stat
//go:generate go tool yaegi extract -name symbols gonum.org/v1/plot
//go:generate go tool yaegi extract -name symbols gonum.org/v1/plot/plotter
//go:generate go tool yaegi extract -name symbols gonum.org/v1/plot/vg
//go:generate go tool yaegi extract -name symbols gonum.org/v1/plot/vg/draw
//go:generate go run ./gendoc -o docs_gen.go -sums tables.sum
