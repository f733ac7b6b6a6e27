// Package tasks makes synthetic sequence-to-sequence problems whose right
// answer is known exactly and whose attention pattern can be predicted, so a
// model can be trained in seconds and its attention weights read like a
// diagram:
//
//	rng := rand.New(rand.NewPCG(1, 1))
//	pairs := tasks.Dates(rng, 10000)  // {"Thursday, Nov 26 2026", "2026-11-26"}, ...
//	rev := tasks.Reversal(rng, 10000, 10, 3, 8) // {"c a j f", "f j a c"}, ...
//
// Both return []data.Pair, the type of the Tatoeba corpora, so the same
// vocabulary, batching and training code serves toy tasks and translation.
//
// # Why toy tasks
//
// On real translation a loss curve is the only sign that a model learns, and
// a bug in attention may cost a point of BLEU that nobody notices. On a task
// with one correct output per input, exact-match accuracy is the measure, a
// broken model is obviously broken, and the attention matrix (one row per
// output step, one column per input step) has a shape that can be checked by
// eye:
//
//   - Reversal: output step i copies input step T-1-i, so a model that
//     attends well draws the anti-diagonal. Sutskever, Vinyals & Le (2014),
//     "Sequence to Sequence Learning with Neural Networks", reversed their
//     source sentences for the same reason: the long distance between the
//     first input and the first output is what a model without attention
//     finds hard.
//   - Dates: the ISO output "2026-11-26" is written in a fixed order, but the
//     year, month and day sit in different places in each input format. The
//     rows for the year's digits attend to the year wherever it is, and the
//     month's rows attend to "Nov", "November" or "11" as the format puts
//     them. Weekday names carry nothing the output needs, so a model that
//     has learnt the task attends to them little. The task is the attention exercise
//     of Andrew Ng's Sequence Models course (deeplearning.ai), which turns
//     human-readable dates into machine-readable ones.
//
// # Tokens
//
// Reversal is word-level: its tokens are single letters separated by spaces,
// which data.Tokenize splits. Dates are character-level: [DateTokens] splits a
// string into one token per character, spaces included, and
// strings.Join(tokens, "") puts it back together. Building a
// data.WordVocab from these tokens adds the <s> and </s> ids a decoder needs.
//
// # Randomness
//
// Every generator takes a *rand.Rand (math/rand/v2), so the same seed gives
// the same examples. Impossible arguments (a negative count, an empty
// alphabet) are programming errors and panic.
package tasks
