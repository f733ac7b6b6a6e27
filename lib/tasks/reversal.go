package tasks

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/seq2go/seq2go/lib/data"
)

// maxReversalVocab is the size of the reversal alphabet, "a".."z".
const maxReversalVocab = 26

// Reversal returns n sequence-reversal pairs. Src is a sequence of minLen to
// maxLen words (the length uniform in that range), each drawn uniformly from
// the first vocab letters of "a".."z" and separated by single spaces; Tgt is
// the same words in reverse order:
//
//	{Src: "c a j f", Tgt: "f j a c"}
//
// Single letters keep the attention plot's labels short. A word may repeat
// ("b b a"), so a model cannot solve the task by recognising words alone; it
// has to attend by position.
//
// It panics if n is negative, vocab is outside 1..26, minLen < 1 or maxLen <
// minLen.
func Reversal(rng *rand.Rand, n, vocab, minLen, maxLen int) []data.Pair {
	switch {
	case n < 0:
		panic(fmt.Sprintf("tasks: negative number of examples %d", n))
	case vocab < 1 || vocab > maxReversalVocab:
		panic(fmt.Sprintf("tasks: reversal vocabulary %d outside 1..%d", vocab, maxReversalVocab))
	case minLen < 1 || maxLen < minLen:
		panic(fmt.Sprintf("tasks: reversal lengths %d..%d, want 1 <= min <= max", minLen, maxLen))
	}
	pairs := make([]data.Pair, n)
	for i := range pairs {
		words := make([]string, minLen+rng.IntN(maxLen-minLen+1))
		for j := range words {
			words[j] = string(rune('a' + rng.IntN(vocab)))
		}
		src := strings.Join(words, " ")
		for l, r := 0, len(words)-1; l < r; l, r = l+1, r-1 {
			words[l], words[r] = words[r], words[l]
		}
		pairs[i] = data.Pair{Src: src, Tgt: strings.Join(words, " ")}
	}
	return pairs
}
