package data

import (
	"fmt"
)

// StreamBatcher serves a language model's training batches from one long
// token stream, the way char-rnn's loader and PyTorch's word_language_model
// (batchify and get_batch) do.
//
// The stream is cut into B contiguous lanes of L = len(ids)/B tokens each (the
// last len(ids) mod B tokens are dropped). Lane b is ids[b·L : (b+1)·L]. Each
// call to Next reads the next T tokens of every lane, and the T tokens one
// further on as targets:
//
//	inputs[t][b]  = lane_b[k·T + t]       t = 0..T-1, b = 0..B-1   (T×B)
//	targets[t][b] = lane_b[k·T + t + 1]   the next token: what the model predicts
//
// for the k-th batch of the epoch. An epoch is BatchesPerEpoch() = (L-1)/T
// batches; then k starts again from 0. Within an epoch, batch k+1 of lane b
// continues exactly where batch k stopped, so a recurrent network may carry
// its hidden state from one batch to the next and backpropagate through the
// last T steps only (truncated BPTT); reset the state when a new epoch begins
// (Position() % BatchesPerEpoch() == 0).
//
// Position counts the batches served, so saving it with a checkpoint and
// calling SetPosition after loading resumes at the same batch of the same
// epoch. A StreamBatcher is not safe for concurrent use.
type StreamBatcher struct {
	ids      []int // the stream, not copied
	batch    int   // B, the number of lanes
	seq      int   // T, the time steps per batch
	lane     int   // L, tokens per lane
	perEpoch int   // batches per epoch, (L-1)/T
	pos      int   // batches served since the start
}

// NewStreamBatcher returns a batcher of B = batch lanes and T = seq steps over
// ids. It does not copy ids: do not change them while batching. It returns an
// error if batch or seq is not positive, or if the stream is too short to
// give each lane seq+1 tokens (one batch of inputs plus the last target),
// that is len(ids) < batch×(seq+1).
func NewStreamBatcher(ids []int, batch, seq int) (*StreamBatcher, error) {
	if batch <= 0 || seq <= 0 {
		return nil, fmt.Errorf("data: stream batcher needs a positive batch size and sequence length, got batch=%d seq=%d", batch, seq)
	}
	lane := len(ids) / batch
	if lane < seq+1 {
		return nil, fmt.Errorf("data: stream of %d tokens is too short for batch=%d × (seq=%d + 1) = %d tokens",
			len(ids), batch, seq, batch*(seq+1))
	}
	return &StreamBatcher{
		ids:      ids,
		batch:    batch,
		seq:      seq,
		lane:     lane,
		perEpoch: (lane - 1) / seq,
	}, nil
}

// Next returns the next batch: inputs and targets, both T×B (time-major,
// indexed [t][b]), with targets[t][b] the token after inputs[t][b] in lane b.
// After the last batch of an epoch it wraps around to the start of the lanes.
// The slices are new on every call and belong to the caller.
func (s *StreamBatcher) Next() (inputs, targets [][]int) {
	k := s.pos % s.perEpoch
	off := k * s.seq // offset of this batch within each lane
	inputs = newSteps(s.seq, s.batch)
	targets = newSteps(s.seq, s.batch)
	for b := 0; b < s.batch; b++ {
		lane := s.ids[b*s.lane+off : b*s.lane+off+s.seq+1] // T+1 tokens of lane b
		for t := 0; t < s.seq; t++ {
			inputs[t][b] = lane[t]
			targets[t][b] = lane[t+1]
		}
	}
	s.pos++
	return inputs, targets
}

// newSteps returns a T×B block of ids backed by one allocation.
func newSteps(T, B int) [][]int {
	flat := make([]int, T*B)
	steps := make([][]int, T)
	for t := range steps {
		steps[t] = flat[t*B : (t+1)*B : (t+1)*B]
	}
	return steps
}

// BatchesPerEpoch returns how many calls to Next make one pass over the
// lanes: (L-1)/T for lanes of L tokens. The last (L-1) mod T tokens of each
// lane are not used as inputs.
func (s *StreamBatcher) BatchesPerEpoch() int { return s.perEpoch }

// Epoch returns the number of completed passes over the lanes: 0 during the
// first epoch.
func (s *StreamBatcher) Epoch() int { return s.pos / s.perEpoch }

// Position returns the number of batches Next has returned since the start
// (or since SetPosition). Keep it in a checkpoint to resume at the same batch.
func (s *StreamBatcher) Position() int { return s.pos }

// SetPosition makes the next call to Next return the batch it would return
// after p calls from the start: batch p mod BatchesPerEpoch() of epoch
// p / BatchesPerEpoch(). It returns an error if p is negative. A position is
// only meaningful for a batcher built from the same ids, batch and seq.
func (s *StreamBatcher) SetPosition(p int) error {
	if p < 0 {
		return fmt.Errorf("data: stream batcher position %d is negative", p)
	}
	s.pos = p
	return nil
}

// PadBatch stacks sequences of different lengths into one time-major batch:
// steps is T×B, indexed [t][b], with T the length of the longest sequence and
// B = len(seqs), and steps[t][b] = seqs[b][t] for t < lengths[b] and pad
// after. lengths[b] = len(seqs[b]) tells a model where each sequence ends,
// for masking the loss or picking each sequence's last hidden state.
//
//	seqs = [[5 6 7] [8]]  pad = PadID
//	steps:  t=0 [5 8]
//	        t=1 [6 0]
//	        t=2 [7 0]
//	lengths:    [3 1]
//
// seqs is not changed. With no sequences, or only empty ones, steps has no
// rows.
func PadBatch(seqs [][]int, pad int) (steps [][]int, lengths []int) {
	lengths = make([]int, len(seqs))
	T := 0
	for b, s := range seqs {
		lengths[b] = len(s)
		T = max(T, len(s))
	}
	steps = newSteps(T, len(seqs))
	for t := 0; t < T; t++ {
		for b, s := range seqs {
			if t < len(s) {
				steps[t][b] = s[t]
			} else {
				steps[t][b] = pad
			}
		}
	}
	return steps, lengths
}
