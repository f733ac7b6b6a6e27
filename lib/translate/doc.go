// Package translate puts lib/seq2seq to work on text: it turns sentences
// into ids and back, trains a model on sentence pairs with a dev set, saves
// and loads the whole translator (model, vocabularies, settings) in one
// checkpoint, and translates and scores lines of text.
//
// # From text to ids and back
//
// A Translator holds a seq2seq.Model and two vocabularies. At the word
// level (the default) a sentence is split by data.Tokenize into words and
// punctuation, the source lower-cased; at the character level (the date
// task) every character is a token, a space written "▁". The target side
// keeps its case, so that BLEU is measured against the references as they
// are written. Words outside the vocabulary become <unk>; an <unk> in a
// translation is replaced by the source word the decoder attended to most
// (Luong et al. 2015, "Addressing the Rare Word Problem in Neural Machine
// Translation"), which copies names and numbers through.
//
// # Training
//
// A Trainer takes batches of pairs of similar source length (sorted into
// buckets, so that little of each batch is padding), in a shuffled order
// that depends only on the seed and the epoch, so that a training resumed
// from a checkpoint sees the same batches as one that never stopped. It
// runs on lib/training's loop, which it embeds, and each step is the loop of
// the talk:
//
//	loss := m.Loss(src, tgt)        // mean −log p per target token
//	m.Backward()
//	optim.ClipGlobalNorm(m.Params(), clip)
//	opt.Step()                      // Adam
//
// Its validation (Trainer.Validate) scores greedy translations of the dev
// pairs: a fixed sample of them during a run, all of them at the end.
//
// # Scores
//
// Evaluate translates a test set in batches and reports corpus BLEU
// (lib/metrics, sacreBLEU's 13a tokenisation), the log perplexity per target
// token of the references (forced decoding, so an int8 model is measured as
// it decodes), and the decoding time. Quantize returns the same translator
// with int8 products (lib/quant), for the talk's speed table.
package translate
