//go:build race

package kernel_test

// raceEnabled reports whether the tests (and so the kernels they start:
// this test binary) run under the race detector.
const raceEnabled = true
