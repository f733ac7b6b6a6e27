package data

import (
	"fmt"
	"testing"
)

// stream returns the stream 0, 1, ..., n-1, so that a token's value is its
// position and a batch shows where it was cut from.
func stream(n int) []int {
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i
	}
	return ids
}

// TestStreamBatcherCovers runs one epoch and checks, lane by lane, that the
// inputs are the lane's tokens in order, each exactly once, and that every
// target is the input's successor in the stream.
func TestStreamBatcherCovers(t *testing.T) {
	for _, test := range []struct {
		n, batch, seq int
		perEpoch      int // (L-1)/T with L = n/B
	}{
		{n: 13, batch: 3, seq: 1, perEpoch: 3},  // L=4
		{n: 13, batch: 1, seq: 3, perEpoch: 4},  // L=13: 12 inputs, all used
		{n: 26, batch: 2, seq: 4, perEpoch: 3},  // L=13, 12/4
		{n: 29, batch: 2, seq: 4, perEpoch: 3},  // L=14: tail of 1 token per lane unused
		{n: 8, batch: 4, seq: 1, perEpoch: 1},   // the shortest stream: B×(T+1)
		{n: 100, batch: 7, seq: 5, perEpoch: 2}, // L=14, 13/5
	} {
		t.Run(fmt.Sprintf("n=%d/B=%d/T=%d", test.n, test.batch, test.seq), func(t *testing.T) {
			s, err := NewStreamBatcher(stream(test.n), test.batch, test.seq)
			if err != nil {
				t.Fatal(err)
			}
			if s.BatchesPerEpoch() != test.perEpoch {
				t.Fatalf("BatchesPerEpoch() = %d, want %d", s.BatchesPerEpoch(), test.perEpoch)
			}
			L := test.n / test.batch
			next := make([]int, test.batch) // next expected input of each lane
			for b := range next {
				next[b] = b * L
			}
			for k := 0; k < test.perEpoch; k++ {
				if s.Epoch() != 0 || s.Position() != k {
					t.Fatalf("before batch %d: Epoch=%d Position=%d", k, s.Epoch(), s.Position())
				}
				x, y := s.Next()
				if len(x) != test.seq || len(y) != test.seq {
					t.Fatalf("batch %d: %d and %d steps, want T=%d", k, len(x), len(y), test.seq)
				}
				for t0 := 0; t0 < test.seq; t0++ {
					if len(x[t0]) != test.batch || len(y[t0]) != test.batch {
						t.Fatalf("batch %d step %d: width %d and %d, want B=%d", k, t0, len(x[t0]), len(y[t0]), test.batch)
					}
					for b := 0; b < test.batch; b++ {
						if x[t0][b] != next[b] {
							t.Fatalf("batch %d: x[%d][%d] = %d, want %d", k, t0, b, x[t0][b], next[b])
						}
						if y[t0][b] != x[t0][b]+1 {
							t.Fatalf("batch %d: y[%d][%d] = %d, want x+1 = %d", k, t0, b, y[t0][b], x[t0][b]+1)
						}
						next[b]++
					}
				}
			}
			// Each lane's inputs were read once, in order, up to the unused tail.
			for b := range next {
				if used := next[b] - b*L; used != test.perEpoch*test.seq || used > L-1 {
					t.Errorf("lane %d: %d inputs used, want %d", b, used, test.perEpoch*test.seq)
				}
			}
			// The next batch wraps to the start of the lanes in epoch 1.
			if s.Epoch() != 1 {
				t.Errorf("after one epoch: Epoch() = %d", s.Epoch())
			}
			x, _ := s.Next()
			for b := 0; b < test.batch; b++ {
				if x[0][b] != b*L {
					t.Errorf("after wrap: x[0][%d] = %d, want %d", b, x[0][b], b*L)
				}
			}
		})
	}
}

func TestStreamBatcherPosition(t *testing.T) {
	ids := stream(1000)
	a, _ := NewStreamBatcher(ids, 4, 10) // L=250, 24 batches an epoch
	for i := 0; i < 37; i++ {            // into the second epoch
		a.Next()
	}
	saved := a.Position()
	b, _ := NewStreamBatcher(ids, 4, 10)
	if err := b.SetPosition(saved); err != nil {
		t.Fatal(err)
	}
	if b.Epoch() != 1 || a.Epoch() != 1 {
		t.Errorf("Epoch: resumed %d, original %d, want 1 (37 batches, 24 an epoch)", b.Epoch(), a.Epoch())
	}
	for i := 0; i < 30; i++ {
		xa, ya := a.Next()
		xb, yb := b.Next()
		if fmt.Sprint(xa, ya) != fmt.Sprint(xb, yb) {
			t.Fatalf("batch %d after resume differs", i)
		}
	}
	if a.Position() != b.Position() || a.Position() != 67 {
		t.Errorf("Position: %d and %d, want 67", a.Position(), b.Position())
	}
	if err := b.SetPosition(-1); err == nil {
		t.Error("SetPosition(-1): no error")
	}
	if err := b.SetPosition(0); err != nil || b.Epoch() != 0 {
		t.Errorf("SetPosition(0): %v, Epoch %d", err, b.Epoch())
	}
}

func TestStreamBatcherFreshSlices(t *testing.T) {
	ids := stream(20)
	s, _ := NewStreamBatcher(ids, 2, 3)
	x, _ := s.Next()
	x[0][0] = -1
	if ids[0] != 0 {
		t.Error("writing to a batch changed the stream")
	}
	x2, _ := s.Next()
	if &x2[0][0] == &x[0][0] {
		t.Error("Next reused the previous batch's memory")
	}
}

func TestNewStreamBatcherErrors(t *testing.T) {
	for _, test := range []struct {
		n, batch, seq int
		want          string
	}{
		{n: 7, batch: 4, seq: 1, want: "data: stream of 7 tokens is too short for batch=4 × (seq=1 + 1) = 8 tokens"},
		{n: 0, batch: 1, seq: 1, want: "data: stream of 0 tokens is too short for batch=1 × (seq=1 + 1) = 2 tokens"},
		{n: 100, batch: 10, seq: 10, want: "data: stream of 100 tokens is too short for batch=10 × (seq=10 + 1) = 110 tokens"},
		{n: 100, batch: 0, seq: 10, want: "data: stream batcher needs a positive batch size and sequence length, got batch=0 seq=10"},
		{n: 100, batch: 2, seq: -1, want: "data: stream batcher needs a positive batch size and sequence length, got batch=2 seq=-1"},
	} {
		_, err := NewStreamBatcher(stream(test.n), test.batch, test.seq)
		if err == nil || err.Error() != test.want {
			t.Errorf("NewStreamBatcher(n=%d, %d, %d): %v\nwant %s", test.n, test.batch, test.seq, err, test.want)
		}
	}
}

func TestPadBatch(t *testing.T) {
	for _, test := range []struct {
		name    string
		seqs    [][]int
		steps   string // fmt of the T×B result
		lengths string
	}{
		{name: "none", seqs: nil, steps: "[]", lengths: "[]"},
		{name: "all empty", seqs: [][]int{{}, nil}, steps: "[]", lengths: "[0 0]"},
		{name: "one", seqs: [][]int{{5, 6}}, steps: "[[5] [6]]", lengths: "[2]"},
		{name: "doc example", seqs: [][]int{{5, 6, 7}, {8}}, steps: "[[5 8] [6 0] [7 0]]", lengths: "[3 1]"},
		{name: "longest last", seqs: [][]int{{1}, {}, {2, 3}}, steps: "[[1 0 2] [0 0 3]]", lengths: "[1 0 2]"},
		{name: "equal lengths", seqs: [][]int{{1, 2}, {3, 4}}, steps: "[[1 3] [2 4]]", lengths: "[2 2]"},
	} {
		t.Run(test.name, func(t *testing.T) {
			steps, lengths := PadBatch(test.seqs, PadID)
			if got := fmt.Sprint(steps); got != test.steps {
				t.Errorf("steps = %s, want %s", got, test.steps)
			}
			if got := fmt.Sprint(lengths); got != test.lengths {
				t.Errorf("lengths = %s, want %s", got, test.lengths)
			}
		})
	}
	// Another pad value, and the input is left alone.
	seqs := [][]int{{1, 2, 3}, {4}}
	steps, _ := PadBatch(seqs, -1)
	if fmt.Sprint(steps) != "[[1 4] [2 -1] [3 -1]]" || fmt.Sprint(seqs) != "[[1 2 3] [4]]" {
		t.Errorf("pad -1: steps %v, seqs %v", steps, seqs)
	}
}

func BenchmarkStreamBatcher(b *testing.B) {
	s, err := NewStreamBatcher(stream(1<<20), 32, 64)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Next()
	}
	b.ReportMetric(float64(b.N*32*64)/b.Elapsed().Seconds(), "tokens/s")
}
