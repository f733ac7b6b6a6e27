package tagger

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// Batches serves a training set in batches of sentences of similar length
// (so that little of a batch is padding), in an order that depends only on
// the seed and the epoch: a training resumed at Position p sees the same
// batches as one that never stopped. Each epoch shuffles the sentences,
// sorts each run of 20 batches' worth by length, cuts it into batches and
// shuffles the batches.
type Batches struct {
	examples []Example
	size     int
	seed     uint64
	pos      int     // batches served so far
	epoch    int     // the epoch order holds; −1: none yet
	order    [][]int // this epoch's batches, as indices into examples
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

// Position returns the number of batches served.
func (b *Batches) Position() int { return b.pos }

// SetPosition makes p the number of batches served: the next batch is the
// one a run that never stopped would serve after p.
func (b *Batches) SetPosition(p int) error {
	if p < 0 {
		return fmt.Errorf("tagger: batch position %d: want at least 0", p)
	}
	b.pos = p
	return nil
}

// Epoch returns the epoch of the next batch, from 0.
func (b *Batches) Epoch() int { return b.pos / b.PerEpoch() }

// Next returns the next batch. The examples are shared with the training
// set: do not change them.
func (b *Batches) Next() []Example {
	per := b.PerEpoch()
	if e := b.pos / per; e != b.epoch {
		b.shuffle(e)
	}
	idx := b.order[b.pos%per]
	b.pos++
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
