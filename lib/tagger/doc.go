// Package tagger is the talk's word tagging on real data: a part-of-speech
// tagger that gives every word of a sentence its tag, trained on Universal
// Dependencies' English Web Treebank (package datasets, "ud-english-ewt").
//
// # The network
//
// Each word w_t of a sentence becomes the concatenation of an embedding of
// its normalised form (lower case, digits as 0; see Normalize) and a
// representation of its characters, so that a word never seen in training
// still shows its suffix, its capital and its digits:
//
//	x_t = [ E[w_t] | char(w_t) ]                                 (E + Dc)
//	char(w) = [ →h_n | ←h_1 ]   a BiLSTM over the characters      (Char "lstm"; Ling et al. 2015)
//	        = max_i conv(c)_i   a convolution, max over the word  (Char "cnn"; Ma & Hovy 2016)
//
// A bidirectional LSTM reads the sentence both ways, so that every word's
// state sees the whole sentence, and a linear layer scores the K tags:
//
//	h_t = [ →LSTM(x_1 … x_t) | ←LSTM(x_n … x_t) ]               (2H)
//	s_t = h_t·W + b                                             (K)
//
// Either a softmax per word turns the scores into the tag's probability
// (loss: −log p(y_t), nn.SoftmaxCrossEntropy), or a CRF over the sentence
// adds tag-to-tag transition scores and scores whole tag sequences (loss:
// −log p(y_1 … y_n), nn.CRF; decoding by Viterbi). The architecture is the
// BiLSTM tagger of Plank, Søgaard & Goldberg (2016), "Multilingual
// Part-of-Speech Tagging with Bidirectional Long Short-Term Memory Models"
// (their bilty), with the CRF of Huang, Xu & Yu (2015) as an option.
//
// While training, a word seen c times in training is replaced by <unk> with
// probability α/(α+c) (word dropout; Kiperwasser & Goldberg 2016), so that
// the <unk> embedding learns to stand for rare words and the character
// representation to carry them; dropout acts on the BiLSTM's input and
// output. Word embeddings may start from pretrained vectors
// (SetVectors, from seq2go's word2vec), which also brings in the words of the
// vector file that training never saw.
//
// # Shapes
//
// A batch is B sentences, padded to the longest, T words: the network runs
// time-major (T steps of B×d, as package nn), and the character network
// runs once over the U distinct forms of the batch (L characters, U×C per
// step). Model.LossGrad shares a batch among replicas of the model on
// several goroutines (data parallelism).
//
// # Tagging and scores
//
// A Tagger tags data.Sentences in place (the UPOS or XPOS column; multiword
// tokens and empty nodes are left as they are) and computes the character
// representation of every training form once. Evaluate scores a tagged
// test set: accuracy over all words, over words seen in training and the
// others, per tag, and the confusion matrix, drawn by Score.ConfusionPlot.
// Tokenize splits plain text into words the way the treebank does
// ("don't" → "do n't").
//
// The treebank is CC BY-SA 4.0: a model trained on it is shared under the
// same licence, with its attribution (datasets.Source("ud-english-ewt")).
package tagger
