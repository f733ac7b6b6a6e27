package smartreply

import (
	"errors"
	"math/rand/v2"
	"sort"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
)

// New builds a model for a corpus: the vocabularies from its training
// examples (contexts and replies), its networks with fresh weights, and its
// response set — the corpus's candidates, or one mined from the training
// replies (MineResponses, keeping only replies whose words the reply
// vocabulary knows). The responses are clustered by Finish, once the model
// is trained.
func New(cfg Config, c *Corpus) (*Model, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if len(c.Train) == 0 {
		return nil, errors.New("smartreply: no training examples")
	}
	var ctx, rep [][]string
	for _, ex := range c.Train {
		ctx = append(ctx, Context(cfg.Tokenizer, ex.Context, cfg.ContextTurns, cfg.MaxContext))
		rep = append(rep, Tokenize(cfg.Tokenizer, ex.Reply))
	}
	src := data.BuildWordVocab(ctx, cfg.MinCount, cfg.MaxVocab)
	tgt := data.BuildWordVocab(rep, cfg.MinCount, cfg.MaxVocab)
	m, err := newModel(cfg, src, tgt)
	if err != nil {
		return nil, err
	}
	rs := GivenResponses(c.Candidates)
	if c.Candidates == nil {
		replies := make([]string, len(c.Train))
		for i, ex := range c.Train {
			replies[i] = ex.Reply
		}
		for _, r := range MineResponses(replies, cfg.Tokenizer, cfg.ResponseMaxTokens, cfg.ResponseMinCount) {
			if known(m.ReplyIDs(r.Text)) {
				rs = append(rs, r)
			}
		}
	}
	if err := m.SetResponses(rs, false); err != nil {
		return nil, err
	}
	return m, nil
}

// known reports whether no id is <unk>.
func known(ids []int) bool {
	for _, id := range ids {
		if id == data.UnkID {
			return false
		}
	}
	return true
}

// Finish recomputes the response set's vectors with the trained weights
// and clusters it: what a model needs after training and before it
// suggests.
func (m *Model) Finish() error { return m.SetResponses(m.Responses, true) }

// Trainer feeds a Model's three networks with batches of training
// examples: each step's batch trains the scorer (log P(reply | context),
// data-parallel: seq2seq.Model.LossGrad), the dual encoder (the batch's
// other replies as negatives) and the trigger (was the reply short?) at
// once; their parameters are disjoint, so one optimizer over all of
// Params serves them. It is a model of lib/training's loop: Params,
// LossGrad(step), StepsPerEpoch.
type Trainer struct {
	M *Model
	// Workers is the number of goroutines a batch is shared out among; 0
	// means GOMAXPROCS.
	Workers int
	// ScorerLoss, DualLoss and TriggerLoss are the three losses of the last
	// step (LossGrad returns their sum).
	ScorerLoss, DualLoss, TriggerLoss float64

	src, tgt [][]int // every training example: context ids, the scorer's reply ids
	cp       [][]int // with a copying scorer: the reply id of each context word
	rep      [][]int // the reply's ids in the reply vocabulary: the dual encoder's
	short    []int   // the trigger's label: 1 when the reply is short
	scored   []bool  // the reply is within MaxReply: the scorer and the dual encoder train on it
	batches  [][]int // example indices in batches of similar context length
	seed     uint64
}

// NewTrainer returns a trainer of m on the training examples in batches of
// batch examples of similar context length.
func NewTrainer(m *Model, train []Example, batch int) (*Trainer, error) {
	if len(train) == 0 || batch <= 0 {
		return nil, errors.New("smartreply: a trainer needs examples and a positive batch size")
	}
	t := &Trainer{M: m, seed: m.Seed}
	for _, ex := range train {
		s, r := m.ContextIDs(ex.Context), m.ReplyIDs(ex.Reply)
		t.src, t.tgt, t.rep = append(t.src, s), append(t.tgt, r), append(t.rep, r)
		if m.Scorer.Copy {
			g, c := m.copyExample(ex)
			t.tgt[len(t.tgt)-1], t.cp = g, append(t.cp, c)
		}
		label := 0
		if m.ResponseMaxTokens <= 0 || len(r) <= m.ResponseMaxTokens {
			label = 1
		}
		t.short = append(t.short, label)
		t.scored = append(t.scored, len(r) > 0 && (m.MaxReply <= 0 || len(r) <= m.MaxReply))
	}
	order := allIndices(len(train))
	sort.SliceStable(order, func(a, b int) bool { return len(t.src[order[a]]) < len(t.src[order[b]]) })
	for lo := 0; lo < len(order); lo += batch {
		t.batches = append(t.batches, order[lo:min(lo+batch, len(order))])
	}
	return t, nil
}

// copyExample returns the scorer's reply ids and the context's copy ids
// of a training example for a copying scorer: a word outside the reply
// vocabulary that the context holds gets an id past the vocabulary, the
// same in the reply and in the context (numbered for this example alone:
// only their equality matters); outside it and not in the context, it is
// <unk>.
func (m *Model) copyExample(ex Example) (reply, copyIDs []int) {
	words := Context(m.Tokenizer, ex.Context, m.ContextTurns, m.MaxContext)
	local := map[string]int{}
	copyIDs = make([]int, len(words))
	for j, w := range words {
		id := m.Tgt.ID(w)
		if id == data.UnkID {
			e, ok := local[w]
			if !ok {
				e = m.Tgt.Size() + len(local)
				local[w] = e
			}
			id = e
		}
		copyIDs[j] = id
	}
	for _, w := range Tokenize(m.Tokenizer, ex.Reply) {
		id := m.Tgt.ID(w)
		if e, ok := local[w]; ok && id == data.UnkID {
			id = e
		}
		reply = append(reply, id)
	}
	return reply, copyIDs
}

// Params returns the model's parameters.
func (t *Trainer) Params() []*nn.Param { return t.M.Params() }

// StepsPerEpoch is the number of batches in one pass over the examples.
func (t *Trainer) StepsPerEpoch() int { return len(t.batches) }

// batch returns the examples of step s: epoch s / StepsPerEpoch visits
// the batches in an order drawn from the seed and the epoch alone, so that
// the step count is the position in the data.
func (t *Trainer) batch(s int) []int {
	n := len(t.batches)
	perm := rand.New(rand.NewPCG(t.seed, uint64(s/n)+1)).Perm(n)
	return t.batches[perm[s%n]]
}

// LossGrad trains on step's batch: it adds the gradients of the scorer's
// loss (mean negative log-likelihood per reply token), the dual encoder's
// and the trigger's into the model's Grads and returns the sum of the
// three losses and the batch's reply tokens.
func (t *Trainer) LossGrad(step int) (loss float64, tokens int) {
	var src, tgt, rep, cp, msgs [][]int
	var labels []int
	for _, i := range t.batch(step) {
		msgs, labels = append(msgs, t.src[i]), append(labels, t.short[i])
		if t.scored[i] {
			src, tgt, rep = append(src, t.src[i]), append(tgt, t.tgt[i]), append(rep, t.rep[i])
			if t.cp != nil {
				cp = append(cp, t.cp[i])
			}
		}
	}
	t.ScorerLoss, t.DualLoss = 0, 0
	if len(src) > 0 {
		t.ScorerLoss, tokens = t.M.Scorer.LossGradCopy(src, tgt, cp, t.Workers)
		if t.M.Dual != nil && len(src) > 1 {
			t.DualLoss = t.M.Dual.LossGrad(src, rep, t.Workers)
		}
	}
	t.TriggerLoss = t.M.Trigger.Loss(msgs, labels)
	t.M.Trigger.LossBackward()
	return t.ScorerLoss + t.DualLoss + t.TriggerLoss, tokens
}
