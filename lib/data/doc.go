// Package data turns text into the integer ids a network eats, and ids back
// into text: vocabularies, readers for plain and parallel text, train and
// validation splits, and batching.
//
// A character language model, end to end:
//
//	text, _ := datasets.ReadAll("tinyshakespeare")
//	v := data.NewCharVocab(string(text))          // 65 characters, ids in rune order
//	ids, _ := v.Encode(string(text))              // one id per character
//	train, val := data.SplitTail(ids, 0.1)        // the last 10% is validation
//	b, _ := data.NewStreamBatcher(train, 32, 64)  // B=32 lanes, T=64 steps
//	x, y := b.Next()                              // x[t][b], y[t][b] = x[t+1][b]: both T×B
//
// # Vocabularies
//
// [CharVocab] maps each distinct character (rune, not byte) of a text to an
// id; ids follow rune order, so the same text always gives the same ids.
// [CharVocab.String] is the vocabulary as one string, which is how a
// checkpoint stores it; [CharVocabFromString] restores it.
//
// [WordVocab] maps words, with four special ids fixed at the front:
//
//	0  <pad>  PadID  fills the tail of short sequences in a padded batch
//	1  <unk>  UnkID  stands for every word not in the vocabulary
//	2  <s>    BOSID  begins a sentence (the decoder's first input)
//	3  </s>   EOSID  ends a sentence (the decoder learns to stop)
//
// Ordinary words follow from id 4, most frequent first and alphabetically
// among equal counts, so building twice from the same corpus gives the same
// ids.
//
// # Parallel text
//
// [ReadPairs] reads "source<TAB>target" lines, the form of the Tatoeba
// corpora in package datasets. [SwapPairs] turns English→Dutch into
// Dutch→English, [FilterPairs] keeps short sentences, and [SplitPairs] holds
// out a dev set in which no sentence, on either side, also occurs in
// training:
//
//	pairs, _ := data.ReadPairs(r, "eng-nld.txt")
//	nlEn := data.FilterPairs(data.SwapPairs(pairs), 10) // at most 10 tokens a side
//	train, dev := data.SplitPairs(nlEn, 0.1, 1)         // 10% dev, seed 1
//
// # Tagged sentences and measurements
//
// [ReadCoNLLU] reads Universal Dependencies' CoNLL-U files into
// [Sentence]s that keep every line — comments, multiword tokens ("3-4"),
// empty nodes ("8.1"), all ten columns — so that a tagger fills in a column
// with [Sentence.SetColumn] and [WriteCoNLLU] changes nothing else:
//
//	sents, _ := data.ReadCoNLLU(r, "en_ewt-ud-dev.conllu")
//	words, tags := sents[0].Forms(), sents[0].Column(data.ColUPOS)
//
// [ReadCSV] reads a CSV file with a header into a [Table], whose columns
// come out as text, numbers ([Table.Floats], NaN where a value is missing)
// or dates, each bad field reported with its line.
//
// # Shapes
//
// Batches are time-major, T×B, as [][]int indexed [t][b]: row t holds step t
// of every sequence in the batch, which is the order a recurrent network
// consumes them (one B×d input matrix per step, as in package nn). T is the
// number of time steps and B the batch size.
//
// [StreamBatcher] cuts one long token stream into B contiguous lanes and
// serves T×B windows of it; [PadBatch] stacks sequences of different lengths
// into a T×B block padded with PadID and reports each one's length.
//
// # Errors
//
// Readers return errors that name the file and line, in the form compilers
// use ("data: pairs.txt:12: ..."), so a bad line can be found in an editor.
// Text must be UTF-8; invalid bytes are reported with their line rather than
// silently turned into U+FFFD. Calling with impossible arguments (an id
// outside the vocabulary, a validation fraction outside [0, 1]) is a
// programming error and panics, as in gonum; a batch that does not fit the
// data is an error, since it depends on the data.
//
// Randomness is passed in as a *rand.Rand (math/rand/v2), so a seeded run
// always splits and shuffles the same way.
package data
