package forecast

import (
	"fmt"
	"math/rand/v2"
)

// Windows serves the training rows of a forecaster in batches, shuffled
// afresh every epoch: the windows of one epoch come in any order (each
// holds its own past), while every training row still precedes every
// validation and test row. At(step) is a pure function of the step, so a
// resumed training reads the batches one that never stopped would.
type Windows struct {
	rows  []int
	size  int
	seed  uint64
	epoch int // the epoch perm holds; −1: none yet
	perm  []int
}

// NewWindows returns the batches of size target rows over rows.
func NewWindows(rows []int, size int, seed uint64) (*Windows, error) {
	if size < 1 || len(rows) == 0 {
		return nil, fmt.Errorf("forecast: batches of %d over %d rows: want at least one of each", size, len(rows))
	}
	return &Windows{rows: rows, size: size, seed: seed, epoch: -1}, nil
}

// PerEpoch returns the number of batches in an epoch.
func (w *Windows) PerEpoch() int { return (len(w.rows) + w.size - 1) / w.size }

// At returns the target rows of the batch of step (from 0).
func (w *Windows) At(step int) []int {
	per := w.PerEpoch()
	if e := step / per; e != w.epoch {
		w.perm = rand.New(rand.NewPCG(w.seed, uint64(e)+1)).Perm(len(w.rows))
		w.epoch = e
	}
	k := step % per
	idx := w.perm[k*w.size : min((k+1)*w.size, len(w.rows))]
	out := make([]int, len(idx))
	for i, j := range idx {
		out[i] = w.rows[j]
	}
	return out
}
