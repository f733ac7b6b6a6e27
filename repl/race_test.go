//go:build race

package repl_test

// raceEnabled reports whether the tests run under the race detector: the
// REPL they drive in a terminal is then built with it too.
const raceEnabled = true
