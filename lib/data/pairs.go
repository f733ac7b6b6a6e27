package data

import (
	"math/rand/v2"
	"strings"
)

// SplitPairs splits parallel text into a training and a development set so
// that no sentence appears on both sides, and so that the same seed always
// gives the same split.
//
// A random split of pairs is not enough for Tatoeba: one English sentence
// often comes with several translations ("Go." → "Va !", "Marche.",
// "Bouge !"), and one translation may serve several English sentences. A
// model trained on "Go. → Marche." and tested on "Go. → Bouge !" is judged on
// a sentence it has already seen, and the dev score flatters it. SplitPairs
// therefore moves whole groups:
//
//  1. Each side is normalised: lower-cased, runs of white space collapsed to
//     one space, and trimmed, so "Go." and " go. " are the same sentence.
//  2. Pairs are joined into connected components by union-find: two pairs
//     are in one component when they share a normalised source or a
//     normalised target (sources are compared with sources, targets with
//     targets).
//  3. The components are visited in a random order drawn from
//     rand.New(rand.NewPCG(seed, seed)), and a component goes to dev when
//     adding it brings dev's size closer to the target n - int(n*(1-devFraction)),
//     the number [SplitIndices] would hold out. Dev ends within half the
//     largest component of the target; since a large component rarely fits
//     once dev is nearly full, dev leans slightly towards sentences with few
//     translations.
//
// Within each set the pairs keep their input order. train and dev are new
// slices; pairs is not modified. It panics if devFraction is outside [0, 1].
func SplitPairs(pairs []Pair, devFraction float64, seed uint64) (train, dev []Pair) {
	target := len(pairs) - trainSize(len(pairs), devFraction) // panics on a bad fraction

	// Union-find over pair indices. parent[i] == i marks a root; union by
	// size and path halving keep the trees shallow.
	parent := make([]int, len(pairs))
	size := make([]int, len(pairs))
	for i := range parent {
		parent[i], size[i] = i, 1
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(i, j int) {
		i, j = find(i), find(j)
		if i == j {
			return
		}
		if size[i] < size[j] {
			i, j = j, i
		}
		parent[j] = i
		size[i] += size[j]
	}
	// link joins pair i to the first pair whose same side reads as text.
	link := func(first map[string]int, text string, i int) {
		key := normalizeSentence(text)
		if j, ok := first[key]; ok {
			union(i, j)
		} else {
			first[key] = i
		}
	}
	firstSrc := make(map[string]int) // normalised source -> first pair with it
	firstTgt := make(map[string]int) // normalised target -> first pair with it
	for i, p := range pairs {
		link(firstSrc, p.Src, i)
		link(firstTgt, p.Tgt, i)
	}

	// The roots in order of their first pair, so that the shuffle, not map
	// order, decides which components are tried first.
	var roots []int
	seen := make(map[int]bool)
	for i := range pairs {
		if r := find(i); !seen[r] {
			seen[r] = true
			roots = append(roots, r)
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	rng.Shuffle(len(roots), func(a, b int) { roots[a], roots[b] = roots[b], roots[a] })

	inDev := make(map[int]bool) // root -> component goes to dev
	n := 0                      // pairs in dev so far
	for _, r := range roots {
		// |n+size-target| < |target-n| while n < target.
		if s := size[r]; n < target && s < 2*(target-n) {
			inDev[r] = true
			n += s
		}
	}
	for i, p := range pairs {
		if inDev[find(i)] {
			dev = append(dev, p)
		} else {
			train = append(train, p)
		}
	}
	return train, dev
}

// normalizeSentence is the key under which SplitPairs compares sentences:
// s lower-cased, with white space collapsed to single spaces and trimmed.
func normalizeSentence(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// SwapPairs returns a new slice of pairs with Src and Tgt exchanged. The
// Tatoeba corpora are written English first, so translating into English,
// from Dutch say, starts with a swap:
//
//	pairs, _ := data.ReadPairs(r, "eng-nld.txt") // English → Dutch
//	nlEn := data.SwapPairs(pairs)                // Dutch → English
func SwapPairs(pairs []Pair) []Pair {
	out := make([]Pair, len(pairs))
	for i, p := range pairs {
		out[i] = Pair{Src: p.Tgt, Tgt: p.Src}
	}
	return out
}

// FilterPairs returns, in a new slice and in their input order, the pairs
// whose source and target each have at most maxWords tokens by
// [TokenizeLower]. Punctuation marks are tokens, so "Go." counts 2. Short
// sentences make a first seq2seq model train in minutes, as in PyTorch's
// translation tutorial (which keeps sentences under 10 words).
func FilterPairs(pairs []Pair, maxWords int) []Pair {
	var out []Pair
	for _, p := range pairs {
		if len(TokenizeLower(p.Src)) <= maxWords && len(TokenizeLower(p.Tgt)) <= maxWords {
			out = append(out, p)
		}
	}
	return out
}
