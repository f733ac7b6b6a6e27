package smartreply

import (
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Tower encodes a batch of token sequences into one vector each: an
// embedding, a bidirectional LSTM (H/2 each way), the mean of its outputs
// over each sequence, and a linear layer,
//
//	e_t = Embed(x_t)                              (B×E)
//	s_t = BiLSTM(e_1 … e_T)_t                      (B×H)
//	v   = ((1/n) Σ_{t<n} s_t)·W + b                (B×D)
//
// one side of a DualEncoder. Backward runs the same way back.
type Tower struct {
	Embed *nn.Embedding
	RNN   nn.SeqLayer // *nn.Bidirectional of two LSTMs
	Proj  *nn.Linear  // H → D

	in   embedded
	pool nn.MeanPool
}

// NewTower returns a tower over a vocabulary of v tokens with embedding
// width e, hidden width h (even) and output width d.
func NewTower(rng *rand.Rand, v, e, h, d int) *Tower {
	return &Tower{
		Embed: nn.NewEmbedding(rng, v, e),
		RNN:   nn.NewBidirectional(nn.NewLSTM(rng, e, h/2), nn.NewLSTM(rng, e, h/2)),
		Proj:  nn.NewLinear(rng, h, d),
	}
}

// Forward returns the vectors (B×D) of seqs, none of them empty.
func (t *Tower) Forward(seqs [][]int) *mat.Dense {
	xs, lens := t.in.forward(t.Embed, seqs)
	return t.Proj.Forward(t.pool.Forward(t.RNN.ForwardSeq(xs, lens), lens))
}

// Backward adds the gradients for ∂L/∂v (B×D) into the tower's Params.
func (t *Tower) Backward(dv *mat.Dense) {
	t.in.backward(t.Embed, t.RNN.BackwardSeq(t.pool.Backward(t.Proj.Backward(dv))))
}

// Params returns the embedding, the LSTMs' and the projection's parameters.
func (t *Tower) Params() []*nn.Param {
	ps := append(t.Embed.Params(), t.RNN.Params()...)
	return append(ps, t.Proj.Params()...)
}

// Replica returns a tower with the same weights and its own gradients and
// caches, for data-parallel training.
func (t *Tower) Replica() *Tower {
	return &Tower{Embed: t.Embed.Replica(), RNN: nn.ReplicaOf(t.RNN), Proj: t.Proj.Replica()}
}

// name names the tower's parameters under prefix.
func (t *Tower) name(prefix string) {
	nn.PrefixNames(prefix+".embed", t.Embed.Params())
	nn.NameParams(prefix+".rnn", t.RNN)
	nn.PrefixNames(prefix+".proj", t.Proj.Params())
}

// DualEncoder scores a reply for a message by the dot product of two
// vectors, one from each Tower (Henderson et al. 2017, "Efficient Natural
// Language Response Suggestion for Smart Reply", §4):
//
//	S_ij = m_i · r_jᵀ          m = Msg(messages) (B×D), r = Reply(replies) (B×D)
//	L    = −(1/B) Σ_i log softmax_j(S_ij)_{j=i}
//
// trained with the other replies of the batch as the negatives of each
// message. A reply in the batch that is the same as row i's own (Dialog
// bAbI repeats "i'm on it" in every dialog) is not a negative for row i: its
// score is pushed to −∞ before the softmax (DupMask). Scoring a message
// against a response set is then one vector and one product with the set's
// vectors, computed once: the fast first stage of a suggester.
type DualEncoder struct {
	Msg, Reply *Tower

	m, r     *mat.Dense
	loss     nn.SoftmaxCrossEntropy
	replicas []*DualEncoder
}

// NewDualEncoder returns a dual encoder with towers over vocabularies of
// vm (messages) and vr (replies) tokens.
func NewDualEncoder(rng *rand.Rand, vm, vr, e, h, d int) *DualEncoder {
	de := &DualEncoder{Msg: NewTower(rng, vm, e, h, d), Reply: NewTower(rng, vr, e, h, d)}
	de.Msg.name("dual.msg")
	de.Reply.name("dual.reply")
	return de
}

// maskedScore is the score of a duplicate reply: far enough below any real
// score that its softmax weight is 0 in float64.
const maskedScore = -1e4

// Scores returns S = m·rᵀ (B×B) for a batch of messages and their replies,
// with the duplicates of each row's reply masked (same[i][j] true: reply j
// is the same as reply i; nil masks nothing).
func (de *DualEncoder) Scores(msgs, replies [][]int, same [][]bool) *mat.Dense {
	if len(msgs) != len(replies) {
		panic(nn.ErrShape)
	}
	de.m, de.r = de.Msg.Forward(msgs), de.Reply.Forward(replies)
	var s mat.Dense
	s.Mul(de.m, de.r.T()) // (B×B) = (B×D)·(D×B)
	for i, row := range same {
		for j, dup := range row {
			if dup && i != j {
				s.Set(i, j, maskedScore)
			}
		}
	}
	return &s
}

// Loss returns the mean cross-entropy of picking each message's own reply
// among the batch's replies.
func (de *DualEncoder) Loss(msgs, replies [][]int, same [][]bool) float64 {
	s := de.Scores(msgs, replies, same)
	targets := make([]int, len(msgs))
	for i := range targets {
		targets[i] = i
	}
	return de.loss.Forward(s, targets, nil)
}

// Backward adds the gradients of the last Loss into both towers:
//
//	∂L/∂m = ∂L/∂S · r,   ∂L/∂r = ∂L/∂Sᵀ · m
//
// (a masked score is a constant: its gradient is dropped with it, and its
// softmax weight, hence its ∂L/∂S, is 0 anyway).
func (de *DualEncoder) Backward() {
	ds := de.loss.Backward()
	var dm, dr mat.Dense
	dm.Mul(ds, de.r)     // (B×D) = (B×B)·(B×D)
	dr.Mul(ds.T(), de.m) // (B×D) = (B×B)·(B×D)
	de.Msg.Backward(&dm)
	de.Reply.Backward(&dr)
}

// Params returns both towers' parameters.
func (de *DualEncoder) Params() []*nn.Param { return append(de.Msg.Params(), de.Reply.Params()...) }

// Replica returns a dual encoder with the same weights and its own
// gradients and caches.
func (de *DualEncoder) Replica() *DualEncoder {
	return &DualEncoder{Msg: de.Msg.Replica(), Reply: de.Reply.Replica()}
}

// LossGrad is Loss and Backward shared out among workers goroutines (0:
// GOMAXPROCS), each with a replica of the encoder and at least MinShare
// examples: each part's replies are the negatives of its messages. It
// returns the mean loss over the batch and adds the gradient into the
// encoder's Grads, each part weighed by its share of the examples.
func (de *DualEncoder) LossGrad(msgs, replies [][]int, workers int) float64 {
	w := nn.Workers(workers, len(msgs), MinShare)
	if w <= 1 {
		loss := de.Loss(msgs, replies, sameReplies(replies))
		de.Backward()
		return loss
	}
	for len(de.replicas) < w {
		de.replicas = append(de.replicas, de.Replica())
	}
	for _, r := range de.replicas[:w] {
		nn.ZeroGrads(r.Params())
	}
	losses := make([]float64, w)
	nn.ShareOut(w, len(msgs), func(k, lo, hi int) {
		r := de.replicas[k]
		losses[k] = r.Loss(msgs[lo:hi], replies[lo:hi], sameReplies(replies[lo:hi])) * float64(hi-lo)
		r.Backward()
	})
	loss, params := 0.0, de.Params()
	for k, r := range de.replicas[:w] {
		lo, hi := k*len(msgs)/w, (k+1)*len(msgs)/w
		loss += losses[k]
		nn.AddGrads(params, r.Params(), float64(hi-lo)/float64(len(msgs)))
	}
	return loss / float64(len(msgs))
}

// MinShare is the fewest examples a worker of a LossGrad gets.
const MinShare = 16

// sameReplies returns which replies of a batch are equal token for token.
func sameReplies(replies [][]int) [][]bool {
	key := make([]string, len(replies))
	for i, r := range replies {
		b := make([]byte, 0, 4*len(r))
		for _, id := range r {
			b = append(b, byte(id), byte(id>>8), byte(id>>16), byte(id>>24))
		}
		key[i] = string(b)
	}
	same := make([][]bool, len(replies))
	for i := range same {
		same[i] = make([]bool, len(replies))
		for j := range same[i] {
			same[i][j] = key[i] == key[j]
		}
	}
	return same
}
