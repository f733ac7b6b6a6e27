//go:build race

package word2vec

// raceEnabled is true in -race builds, where the Hogwild tests with more
// than one goroutine are skipped: those goroutines race by design.
const raceEnabled = true
