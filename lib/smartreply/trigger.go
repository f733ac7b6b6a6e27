package smartreply

import (
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Trigger decides whether a message deserves suggestions at all: a small
// feed-forward network over the mean of the message's word embeddings
// (Kannan et al. 2016, §5, whose triggering model is a feed-forward
// network over the message's n-gram features),
//
//	x = (1/n) Σ_t Embed(w_t)                  (B×E)
//	h = ReLU(x·W1 + b1)                        (B×H)
//	p = softmax(h·W2 + b2)                     (B×2): p_1 = P(suggest | message)
//
// trained with cross-entropy on which messages were answered with a short
// reply (one in the response set's length). A Model suggests when p_1 is
// at least its threshold.
type Trigger struct {
	Embed  *nn.Embedding
	Hidden *nn.Linear // E → H
	Out    *nn.Linear // H → 2

	in   embedded
	pool nn.MeanPool
	relu nn.ReLU
	loss nn.SoftmaxCrossEntropy
}

// NewTrigger returns a trigger over a vocabulary of v tokens, embedding
// width e and hidden width h.
func NewTrigger(rng *rand.Rand, v, e, h int) *Trigger {
	t := &Trigger{Embed: nn.NewEmbedding(rng, v, e), Hidden: nn.NewLinear(rng, e, h), Out: nn.NewLinear(rng, h, 2)}
	nn.PrefixNames("trigger.embed", t.Embed.Params())
	nn.PrefixNames("trigger.hidden", t.Hidden.Params())
	nn.PrefixNames("trigger.out", t.Out.Params())
	return t
}

// Forward returns the logits (B×2) of a batch of messages, none empty.
func (t *Trigger) Forward(msgs [][]int) *mat.Dense {
	xs, lens := t.in.forward(t.Embed, msgs)
	return t.Out.Forward(t.relu.Forward(t.Hidden.Forward(t.pool.Forward(xs, lens))))
}

// Backward adds the gradients for ∂L/∂logits (B×2) into the Params.
func (t *Trigger) Backward(dlogits *mat.Dense) {
	dx := t.Hidden.Backward(t.relu.Backward(t.Out.Backward(dlogits)))
	t.in.backward(t.Embed, t.pool.Backward(dx))
}

// Loss returns the mean cross-entropy of the labels (1: suggest, 0: not)
// of a batch of messages.
func (t *Trigger) Loss(msgs [][]int, labels []int) float64 {
	return t.loss.Forward(t.Forward(msgs), labels, nil)
}

// LossBackward adds the gradients of the last Loss into the Params.
func (t *Trigger) LossBackward() { t.Backward(t.loss.Backward()) }

// Prob returns P(suggest | message) for each message.
func (t *Trigger) Prob(msgs [][]int) []float64 {
	c := &Trigger{Embed: &nn.Embedding{W: t.Embed.W}, Hidden: &nn.Linear{W: t.Hidden.W, B: t.Hidden.B}, Out: &nn.Linear{W: t.Out.W, B: t.Out.B}} // own caches
	logits := c.Forward(msgs)
	p := make([]float64, len(msgs))
	buf := make([]float64, 2)
	for i := range p {
		nn.SoftmaxTo(buf, logits.RawRowView(i))
		p[i] = buf[1]
	}
	return p
}

// Params returns the embedding's and both layers' parameters.
func (t *Trigger) Params() []*nn.Param {
	ps := append(t.Embed.Params(), t.Hidden.Params()...)
	return append(ps, t.Out.Params()...)
}
