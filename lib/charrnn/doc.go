// Package charrnn trains character-level language models: the talk's
// "RNN in 112 lines" (Karpathy's min-char-rnn) and its bigger sibling, a
// batched multi-layer LSTM.
//
// A character language model reads text one character at a time and
// predicts the next one. Trained on Shakespeare, it learns spelling, then
// words, then the shape of a play; sampled from, it writes new text.
//
// # The two architectures
//
// Arch "rnn" is min-char-rnn, reproduced faithfully: one-hot characters into
// a vanilla RNN (hidden 100), a linear layer to the V logits, the loss summed
// over a chunk of 25 characters, Adagrad with learning rate 0.1, gradients
// clipped element-wise to ±5, every weight drawn from N(0,1)·0.01, and the
// "smooth loss" — an exponential moving average (0.999) of the chunk loss —
// starting at −log(1/V)·25:
//
//	h_t = tanh(x_t·W_xh + h_{t−1}·W_hh + b_h)       (1×H), x_t one-hot (1×V)
//	y_t = h_t·W_hy + b_y                            (1×V)
//	L   = Σ_t −log softmax(y_t)[c_{t+1}]
//
// Arch "lstm" is a batched model: an embedding (V×E), 1–3 stacked LSTM
// layers, a linear layer to the logits, the loss averaged per character (in
// nats/char), Adam, and gradients clipped by their global norm. B lanes of
// the text are read side by side, T characters at a time (time-major chunks
// T×B).
//
// Both carry the hidden state from one chunk to the next (truncated
// backpropagation through time): the gradient stops at the chunk boundary,
// the state does not.
//
// # Training
//
// A Trainer runs on lib/training's loop, which it embeds (Run, Save,
// Restore, Step, SmoothLoss): it is the loop's model, reading the next
// chunk of the text for each step and saving its position in the text and
// the carried state with the checkpoint, so that a resumed training goes on
// bit for bit. Its validation (Validate) reads the whole held-out text at
// the end of a run, and a fixed tenth of it — the start of each of the 32
// lanes it reads side by side — every few hundred steps on the way.
//
// # Data parallelism
//
// Trainer.LossGrad shares the B lanes of a chunk out among replicas of the
// model, one goroutine each (Model.LossGrad, Trainer.Workers; GOMAXPROCS by
// default): a replica shares the weights, keeps its own caches, gradients
// and the carried state of its own lanes, and the gradients are added up
// weighted by each replica's share of the loss — the serial step's loss
// and gradients up to the order of the sums. min-char-rnn, one lane, runs
// serially.
//
// # Reference
//
// A. Karpathy, min-char-rnn.py (2015) and "The Unreasonable Effectiveness of
// Recurrent Neural Networks" (2015).
package charrnn
