package tagger

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// Batches serves a training set in batches of sentences of similar length
// (so that little of a batch is padding), in an order that depends only on
// the seed and the step: At(step) is a pure function of step, so a training
// resumed at step s reads the batches one that never stopped would. Each
// epoch shuffles the sentences, sorts each run of 20 batches' worth by
// length, cuts it into batches and shuffles the batches.
type Batches struct {
	examples []Example
	size     int
	seed     uint64
	epoch    int     // the epoch order holds; −1: none yet
	order    [][]int // that epoch's batches, as indices into examples
}

// sortRun is the number of batches whose sentences are sorted by length
// together: enough to find neighbours of similar length, few enough that
// the batches of an epoch still mix short and long sentences.
const sortRun = 20

// NewBatches returns the batches of size sentences over examples.
func NewBatches(examples []Example, size int, seed uint64) (*Batches, error) {
	if size < 1 {
		return nil, fmt.Errorf("tagger: batch size %d: want at least 1", size)
	}
	var keep []Example
	for _, e := range examples {
		if e.Len() > 0 && e.Tags != nil {
			keep = append(keep, e)
		}
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("tagger: no tagged sentence to train on")
	}
	return &Batches{examples: keep, size: size, seed: seed, epoch: -1}, nil
}

// PerEpoch returns the number of batches in an epoch.
func (b *Batches) PerEpoch() int { return (len(b.examples) + b.size - 1) / b.size }

// At returns the batch of step (from 0): batch step mod PerEpoch of epoch
// step / PerEpoch. The examples are shared with the training set: do not
// change them.
func (b *Batches) At(step int) []Example {
	if step < 0 {
		panic("tagger: negative step")
	}
	per := b.PerEpoch()
	if e := step / per; e != b.epoch {
		b.shuffle(e)
	}
	idx := b.order[step%per]
	out := make([]Example, len(idx))
	for i, k := range idx {
		out[i] = b.examples[k]
	}
	return out
}

// shuffle sets the order of epoch e.
func (b *Batches) shuffle(e int) {
	rng := rand.New(rand.NewPCG(b.seed, uint64(e)+1))
	perm := rng.Perm(len(b.examples))
	b.order = b.order[:0]
	run := sortRun * b.size
	for lo := 0; lo < len(perm); lo += run {
		part := perm[lo:min(lo+run, len(perm))]
		sort.SliceStable(part, func(i, j int) bool { return b.examples[part[i]].Len() < b.examples[part[j]].Len() })
		for k := 0; k < len(part); k += b.size {
			b.order = append(b.order, part[k:min(k+b.size, len(part))])
		}
	}
	rng.Shuffle(len(b.order), func(i, j int) { b.order[i], b.order[j] = b.order[j], b.order[i] })
	b.epoch = e
}
