// Package seq2seq is sequence-to-sequence learning with attention: an
// encoder reads a source sentence, a decoder writes the target sentence one
// token at a time and, at each step, attends to the encoder's outputs.
//
// # The model
//
// Model is the attentional encoder–decoder of Luong, Pham & Manning (2015),
// "Effective Approaches to Attention-based Neural Machine Translation", with
// a bidirectional bottom encoder layer as in Bahdanau, Cho & Bengio (2015),
// "Neural Machine Translation by Jointly Learning to Align and Translate",
// and GNMT (Wu et al. 2016, "Google's Neural Machine Translation System",
// arXiv:1609.08144):
//
//	e_j  = SrcEmbed(x_j)                                         (B×E)
//	s_j  = Encoder(e_1 … e_n)_j      bidirectional LSTM, H/2 each way,
//	                                 then LSTM layers H→H          (B×H)
//	h_t, c_t = LSTM([TgtEmbed(y_{t−1}) | h̃_{t−1}], h_{t−1}, c_{t−1})   (B×H)
//	a_tj = softmax_j(score(h_t, s_j))                            (B×n)
//	c̃_t  = Σ_j a_tj · s_j                                        (B×H)
//	h̃_t  = tanh([c̃_t | h_t]·Wc + bc)                             (B×H)
//	p(y_t | y_<t, x) = softmax(h̃_t·Wo + bo)                      (B×V)
//
// Feeding h̃_{t−1} into the next step's input ("input feeding", Luong et
// al. §3.3) tells the decoder what it attended to before. The scores:
//
//	additive (Bahdanau):  score(h, s) = vᵀ·tanh(Wq·h + Wk·s)
//	general  (Luong):     score(h, s) = hᵀ·W·s
//	dot      (Luong):     score(h, s) = hᵀ·s
//
// Each is a block of lib/attention (Additive, General, Dot) with Forward
// and Backward written out, and a gradient check in its tests; the model
// holds one as its Attention and calls it, one Shared copy per decoder
// step over one Memory of the encoder's outputs per batch.
//
// # Training
//
// Model.Loss runs a batch of sentence pairs with teacher forcing (the
// decoder reads the reference y_{t−1}, not its own guess) and returns the
// mean negative log-likelihood per target token,
//
//	L = −(1/N) Σ_b Σ_{t ≤ m_b+1} log p(y_bt | y_b,<t, x_b)       y_b,m_b+1 = EOS
//
// with padding masked out of the loss and of the attention. Model.Backward
// runs backpropagation through the decoder steps in reverse, then through
// the encoder. An optimizer from lib/optim does the rest:
//
//	loss := m.Loss(src, tgt)
//	m.Backward()
//	optim.ClipGlobalNorm(m.Params(), 5)
//	opt.Step()
//
// # Decoding
//
// Greedy decoding takes the most probable token at each step. Beam search
// keeps the Width most probable partial translations and scores finished
// ones with GNMT's length and coverage penalties (Wu et al. 2016, §7):
//
//	s(Y,X)  = log P(Y|X) / lp(Y) + cp(X;Y)
//	lp(Y)   = (5+|Y|)^α / 6^α
//	cp(X;Y) = β · Σ_i log(min(Σ_j p_ij, 1))
//
// where p_ij is the attention weight of the j-th target word on the i-th
// source word: lp stops beam search from favouring short sentences, and cp
// favours translations that attend to every source word. Every Translation
// carries its attention weights, one row per target token, for pictures.
//
// Decoding goes through the Stepper interface, one step for a set of
// hypotheses, so that beam search can be tested on a hand-made model
// (StepFunc). A StepDecoder does every product of a step through the
// model's Inference: its own float layers, or the int8 ones that
// lib/quant's Quantize installs, with the same API (Greedy, GreedyBatch,
// Beam, BeamBatch, NLL). The attention's key projections are computed once
// per batch (attention.Attention's Memory), not once per step.
//
// # Options of training
//
// Config.Cell picks LSTM or GRU cells; Config.Dropout drops embeddings and
// h̃_t in training; Config.TeacherForcing below 1 lets the decoder read
// its own most probable word instead of the reference (scheduled
// sampling). SetClip turns on GNMT's quantization-aware training: LSTM
// cells and residual sums clipped to [−δ, δ], logits to ±25, so that an
// int8 model meets the ranges the float one was trained with.
//
// # Copying
//
// Config.Copy adds a pointer (See, Liu & Manning 2017): a gate g_t mixes
// generating a word with copying a source word by its attention weight,
//
//	P(y_t) = g_t·P_gen(y_t) + (1 − g_t)·Σ_{j: c_j = y_t} a_tj,    g_t = σ(h̃_t·w_g + b_g)
//
// so that a word the target vocabulary lacks (a restaurant's phone number
// in a dialog, a name in a sentence) is produced by pointing at it. The
// caller says which target id each source word stands for (LossCopy,
// LossGradCopy, NewCopyDecoder); ids from TgtVocab up name words outside
// the target vocabulary. See copy.go for the gradients.
//
// # Conventions
//
// As in lib/nn: a batch is B×d, a sequence batch is time-major (T steps of
// B×d), weights are in×out. Sentences are []int of token ids; a batch of
// them is [][]int of any lengths, padded inside the model. Shape mismatches
// panic with nn.ErrShape; a bad configuration is returned as an error.
package seq2seq
