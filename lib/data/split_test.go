package data

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSplitTail(t *testing.T) {
	for _, test := range []struct {
		n          int
		f          float64
		train, val int
	}{
		{n: 10, f: 0.1, train: 9, val: 1},
		{n: 10, f: 0, train: 10, val: 0},
		{n: 10, f: 1, train: 0, val: 10},
		{n: 10, f: 0.25, train: 7, val: 3}, // int(10*0.75) = 7
		{n: 0, f: 0.1, train: 0, val: 0},
		{n: 5, f: 0.1, train: 4, val: 1}, // int(4.5) = 4: a tiny set still holds one out
		// tinyshakespeare: nanoGPT's prepare.py reports
		// "train has 1,003,854 tokens, val has 111,540 tokens".
		{n: 1115394, f: 0.1, train: 1003854, val: 111540},
	} {
		ids := make([]int, test.n)
		for i := range ids {
			ids[i] = i
		}
		train, val := SplitTail(ids, test.f)
		if len(train) != test.train || len(val) != test.val {
			t.Errorf("SplitTail(n=%d, %v): %d + %d, want %d + %d", test.n, test.f, len(train), len(val), test.train, test.val)
			continue
		}
		for i, id := range append(append([]int(nil), train...), val...) {
			if id != i {
				t.Errorf("SplitTail(n=%d, %v): train+val is not the stream in order at %d", test.n, test.f, i)
				break
			}
		}
		if len(val) > 0 {
			_ = append(train, -1) // must not overwrite val[0]
			if val[0] != test.train {
				t.Errorf("appending to train overwrote val")
			}
		}
	}
}

func TestSplitPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, f := range []float64{-0.1, 1.5, math.NaN(), math.Inf(1)} {
		mustPanic(t, "SplitTail", func() { SplitTail([]int{1, 2}, f) })
		mustPanic(t, "SplitIndices", func() { SplitIndices(2, f, rng) })
	}
	mustPanic(t, "SplitIndices(-1)", func() { SplitIndices(-1, 0.1, rng) })
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

func TestSplitIndices(t *testing.T) {
	for _, test := range []struct {
		n          int
		f          float64
		train, val int
	}{
		{n: 100, f: 0.1, train: 90, val: 10},
		{n: 7, f: 0.5, train: 3, val: 4}, // int(7*0.5) = 3
		{n: 0, f: 0.5, train: 0, val: 0},
		{n: 3, f: 0, train: 3, val: 0},
	} {
		train, val := SplitIndices(test.n, test.f, rand.New(rand.NewPCG(1, 1)))
		if len(train) != test.train || len(val) != test.val {
			t.Errorf("SplitIndices(%d, %v): %d + %d, want %d + %d", test.n, test.f, len(train), len(val), test.train, test.val)
			continue
		}
		// Every index lands in exactly one set, and each set is sorted.
		seen := make([]int, test.n)
		for _, set := range [][]int{train, val} {
			for i, x := range set {
				seen[x]++
				if i > 0 && set[i-1] >= x {
					t.Errorf("SplitIndices(%d, %v): set not increasing: %v", test.n, test.f, set)
					break
				}
			}
		}
		for i, c := range seen {
			if c != 1 {
				t.Errorf("SplitIndices(%d, %v): index %d in %d sets", test.n, test.f, i, c)
			}
		}
	}

	// The same seed gives the same split; another seed a different one.
	_, a := SplitIndices(1000, 0.1, rand.New(rand.NewPCG(1, 1)))
	_, b := SplitIndices(1000, 0.1, rand.New(rand.NewPCG(1, 1)))
	_, c := SplitIndices(1000, 0.1, rand.New(rand.NewPCG(2, 2)))
	if !equalInts(a, b) {
		t.Error("same seed, different split")
	}
	if equalInts(a, c) {
		t.Error("different seeds, same split")
	}
	// A shuffle, not the tail: some held-out index comes from the first 900.
	if a[0] >= 900 {
		t.Errorf("validation set %v looks like the tail", a[:5])
	}
}
