//go:build race

package nn_test

// raceEnabled: the race detector is on, and its sync.Pool drops pooled
// buffers at random, so allocation counts are not the program's.
const raceEnabled = true
