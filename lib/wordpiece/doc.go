// Package wordpiece splits words into pieces from a fixed vocabulary, learns
// such a vocabulary from a corpus, and spells rare words in characters — the
// subword units of GNMT and BERT, shown in the talk's appendix:
//
//	Jet makers feud over seat width with big orders at stake
//	_J et _makers _fe ud _over _seat _width _with _big _orders _at _stake
//
// A word-level vocabulary cannot hold every word of a language; a character
// one makes sequences five times longer. Wordpieces sit between: frequent
// words are one piece, rare ones a few, and any word made of known
// characters can be written.
//
//	text, _ := datasets.ReadAll("tinyshakespeare")
//	v, _ := wordpiece.Train(bytes.NewReader(text), "tinyshakespeare", wordpiece.TrainConfig{Size: 8000})
//	v.Tokenize("Jet makers feud")      // [▁J et ▁make r s ▁fe ud]
//	ids := v.Encode("Jet makers feud") // [426 126 398 10 9 2765]: the same as ids, for an Embedding
//	v.Decode(ids)                      // "Jet makers feud"
//
// # Greedy longest match
//
// Tokenize splits text into words at white space, and each word into pieces
// left to right: at each position it takes the longest piece of the
// vocabulary that matches there. With pieces {▁J, ▁Je, et, t}, "Jet" is
// ▁Je t, not ▁J et: the match is greedy, never reconsidered. If no piece
// matches at some position the whole word becomes the unknown piece, as it
// does when it is longer than [MaxWordChars] characters. This is how both
// GNMT's and BERT's models segment (BERT's WordpieceTokenizer, "greedy
// longest-match-first"); a byte trie makes one match cost about the length
// of the piece.
//
// # Two marker styles
//
// A piece must say whether it begins a word, or the words could not be told
// apart again. GNMT marks the first piece of every word, BERT every other
// piece ([Style]):
//
//	GNMT  ▁J et ▁makers ▁fe ud      "▁" (U+2581, as sentencepiece writes it; the
//	                                 GNMT paper and the talk print "_": [Talk])
//	BERT  j ##et makers fe ##ud     "##" on every piece that continues a word
//
// Detokenize removes the markers and puts one space between words, so
// Detokenize(Tokenize(text)) gives the text back with its white space
// normalised, as long as no word was unknown.
//
// # Training
//
// [Train] starts from the characters of the corpus's words, marked in the
// style's way, and repeatedly merges the best adjacent pair of symbols into a
// new piece until the vocabulary has the requested size; vocabulary size is
// the knob. Two rankings are offered ([Algorithm]):
//
//	BPE         count(ab)                       Sennrich, Haddow & Birch (2016)
//	Likelihood  count(ab) / (count(a)·count(b))  Schuster & Nakajima (2012), GNMT (Wu et al. 2016)
//
// BPE merges what is frequent; the likelihood score, the WordPiece criterion
// as Hugging Face's course states it, merges pairs whose parts seldom occur
// apart, and on a small corpus it spends its first merges on rare names.
// Either way the result is a vocabulary, and tokenisation is greedy longest
// match, not a replay of the merges. Pair counts are updated in place as
// words are rewritten and the pairs kept in a heap, so 8,000 pieces train on
// tinyshakespeare (1.1 MB) in about 0.2 s and on 8 MB of novels in one or two
// seconds.
//
// # BERT
//
// [BERTTokenizer] reproduces BERT's own tokenizer over its vocab.txt
// ([ReadVocab]): clean the text, split CJK ideographs, lower-case and strip
// accents, split punctuation ([BasicTokenize]), then greedy longest match.
//
//	unaffable tokenization of Amsterdam hyperparameters
//	una ##ffa ##ble token ##ization of amsterdam hyper ##para ##meter ##s
//
// It follows google-research/bert's tokenization.py at commit f18bd94, what
// Hugging Face's BertTokenizer reproduces: a word of more than 100
// characters becomes [UNK], and cleaning drops every character of Unicode
// category C (private-use and unassigned ones too). The reference's latest
// code splits words up to 200 characters and drops only Cc and Cf; set
// Rules to [BERTLatest] for that ([BERTRules]).
//
// # Characters
//
// GNMT's mixed word/character model keeps whole words and spells every other
// word in characters marked with their position ([CharTokens],
// [MixedVocab]):
//
//	Miki → <B>M <M>i <M>k <E>i
//
// # Errors
//
// Bad input — a vocabulary file with a duplicate or empty line, an empty
// corpus, invalid UTF-8 — is an error naming the file and line
// ("wordpiece: vocab.txt:7: duplicate piece "the" (also vocab.txt:3)"). A
// vocabulary without an unknown piece is allowed; EncodeStrict then reports
// a word it cannot spell as a [SegmentError]. An id out of range passed to
// Decode is a programming error and panics. The API
// uses concrete types only, so it can be called from the seq2go REPL.
//
// References:
//   - M. Schuster, K. Nakajima (2012), "Japanese and Korean Voice Search", ICASSP.
//   - R. Sennrich, B. Haddow, A. Birch (2016), "Neural Machine Translation of
//     Rare Words with Subword Units", ACL.
//   - Y. Wu et al. (2016), "Google's Neural Machine Translation System", arXiv:1609.08144,
//     sections 4.1 (wordpieces) and 4.2 (mixed word/character model).
//   - J. Devlin et al. (2019), "BERT", NAACL; google-research/bert tokenization.py.
//   - T. Kudo, J. Richardson (2018), "SentencePiece", EMNLP (the ▁ marker).
package wordpiece
