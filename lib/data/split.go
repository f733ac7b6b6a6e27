package data

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// trainSize returns how many of n items go to training when valFraction of
// them are held out for validation. It computes int(n*(1-valFraction)), the
// arithmetic of nanoGPT's prepare.py (n_train = int(0.9*n)), so that a split
// here matches the peers' splits in bench/: tinyshakespeare's 1,115,394
// characters give 1,003,854 for training and 111,540 for validation.
func trainSize(n int, valFraction float64) int {
	if !(valFraction >= 0 && valFraction <= 1) { // also rejects NaN
		panic(fmt.Sprintf("data: validation fraction %v outside [0, 1]", valFraction))
	}
	return int(float64(n) * (1 - valFraction))
}

// SplitTail splits a token stream into its first part for training and its
// last valFraction for validation, the way char-rnn and nanoGPT split a
// corpus: the validation text is a contiguous, unseen stretch, not a random
// sprinkling of tokens.
//
//	ids:   [ train ............................ | val ..... ]
//	        0                       len(ids)*(1-f)     len(ids)
//
// train and val are sub-slices of ids, not copies; train's capacity ends where
// val begins, so appending to train cannot overwrite val. It panics if
// valFraction is outside [0, 1].
func SplitTail(ids []int, valFraction float64) (train, val []int) {
	k := trainSize(len(ids), valFraction)
	return ids[:k:k], ids[k:]
}

// SplitIndices deals the example indices 0..n-1 into a training and a
// validation set by a shuffle drawn from rng, holding out the same number of
// examples as [SplitTail] would (n - int(n*(1-valFraction))). Each set is returned in
// increasing order, so that examples keep their file order within a set; the
// same seed always gives the same split. It panics if valFraction is outside
// [0, 1] or n is negative.
func SplitIndices(n int, valFraction float64, rng *rand.Rand) (train, val []int) {
	if n < 0 {
		panic(fmt.Sprintf("data: negative number of examples %d", n))
	}
	k := trainSize(n, valFraction)
	perm := rng.Perm(n)
	train, val = perm[:k:k], perm[k:]
	sort.Ints(train)
	sort.Ints(val)
	return train, val
}
