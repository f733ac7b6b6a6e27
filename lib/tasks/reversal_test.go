package tasks

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestReversal(t *testing.T) {
	for _, test := range []struct {
		vocab, minLen, maxLen int
	}{
		{vocab: 10, minLen: 3, maxLen: 8},
		{vocab: 26, minLen: 1, maxLen: 1},
		{vocab: 1, minLen: 5, maxLen: 5},
		{vocab: 3, minLen: 1, maxLen: 20},
	} {
		rng := rand.New(rand.NewPCG(1, 1))
		pairs := Reversal(rng, 2000, test.vocab, test.minLen, test.maxLen)
		alphabet := "abcdefghijklmnopqrstuvwxyz"[:test.vocab]
		letters := make(map[string]bool)
		lengths := make(map[int]bool)
		for _, p := range pairs {
			src := strings.Split(p.Src, " ")
			tgt := strings.Split(p.Tgt, " ")
			if len(src) < test.minLen || len(src) > test.maxLen {
				t.Errorf("%+v: %q has %d words", test, p.Src, len(src))
			}
			lengths[len(src)] = true
			if len(tgt) != len(src) {
				t.Errorf("%+v: %q: lengths differ", test, p)
				continue
			}
			for i, w := range src {
				if len(w) != 1 || !strings.Contains(alphabet, w) {
					t.Errorf("%+v: %q: word %q outside %q", test, p.Src, w, alphabet)
				}
				letters[w] = true
				if tgt[len(tgt)-1-i] != w {
					t.Errorf("%+v: %q is not reversed", test, p)
					break
				}
			}
		}
		// 2000 draws over at most 26 letters and 20 lengths: all appear.
		if len(letters) != test.vocab {
			t.Errorf("%+v: %d letters used, want %d", test, len(letters), test.vocab)
		}
		if len(lengths) != test.maxLen-test.minLen+1 {
			t.Errorf("%+v: %d lengths used, want %d", test, len(lengths), test.maxLen-test.minLen+1)
		}
	}
}

func TestReversalDeterministic(t *testing.T) {
	a := Reversal(rand.New(rand.NewPCG(1, 1)), 50, 10, 2, 6)
	b := Reversal(rand.New(rand.NewPCG(1, 1)), 50, 10, 2, 6)
	c := Reversal(rand.New(rand.NewPCG(2, 2)), 50, 10, 2, 6)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different pairs")
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("seeds 1 and 2 give the same pairs")
	}
}
