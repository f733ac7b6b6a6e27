//go:build !race

package word2vec

// raceEnabled is true in -race builds; see race_test.go.
const raceEnabled = false
