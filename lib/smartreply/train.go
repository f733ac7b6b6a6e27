package smartreply

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/training"
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

// TrainConfig is how a Model is trained.
type TrainConfig struct {
	// Data is the corpus (LoadCorpus's spec), kept with the checkpoint so
	// that a resumed training reads the same examples.
	Data  string  `json:"data"`
	Batch int     `json:"batch"` // examples a step: 32
	LR    float64 `json:"lr"`    // Adam's learning rate: 0.002
	Clip  float64 `json:"clip"`  // the global norm gradients are clipped to: 5
}

// DefaultTrainConfig is the training of the commands and the chapter.
func DefaultTrainConfig(data string) TrainConfig {
	return TrainConfig{Data: data, Batch: 32, LR: 2e-3, Clip: 5}
}

// ValSample is the number of dev examples, the first in file order, that
// the quick validation reads.
const ValSample = 200

// Trainer trains a Model on lib/training's loop, which it embeds, and is
// the loop's training.Model. Each step's batch trains the scorer
// (log P(reply | context), data-parallel: seq2seq.Model.LossGradCopy),
// the dual encoder (the batch's other replies as negatives) and the
// trigger (was the reply short?) at once; their parameters are disjoint,
// so one Adam over all of Params serves them, with the gradients clipped
// to a global norm of Clip. The batches hold examples of similar context
// length; each epoch visits them in an order drawn from the model's seed
// and the epoch alone, so that the step is the position in the data.
type Trainer struct {
	*training.Loop
	M      *Model
	Dev    []Example
	Config TrainConfig
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
}

// NewTrainer returns a trainer of m on the training examples, validated on
// dev (which may be empty).
func NewTrainer(m *Model, train, dev []Example, cfg TrainConfig) (*Trainer, error) {
	if len(train) == 0 || cfg.Batch <= 0 || !(cfg.LR > 0) || cfg.Clip < 0 {
		return nil, fmt.Errorf("smartreply: a trainer needs examples, a positive batch size and learning rate, have %d examples and %+v", len(train), cfg)
	}
	t := &Trainer{M: m, Dev: dev, Config: cfg}
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
		t.scored = append(t.scored, m.scored(r))
	}
	order := allIndices(len(train))
	sort.SliceStable(order, func(a, b int) bool { return len(t.src[order[a]]) < len(t.src[order[b]]) })
	for lo := 0; lo < len(order); lo += cfg.Batch {
		t.batches = append(t.batches, order[lo:min(lo+cfg.Batch, len(order))])
	}
	t.Loop = training.NewLoop(t, optim.DefaultAdam(m.Params(), cfg.LR))
	t.Clip.Norm = cfg.Clip
	t.Smoothing = 0.98
	return t, nil
}

// scored reports whether the scorer and the dual encoder train on a reply
// of these ids: not empty, and within MaxReply.
func (m *Model) scored(reply []int) bool {
	return len(reply) > 0 && (m.MaxReply <= 0 || len(reply) <= m.MaxReply)
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

// Params returns the model's parameters (training.Model).
func (t *Trainer) Params() []*nn.Param { return t.M.Params() }

// StepsPerEpoch is the number of batches in one pass over the examples
// (training.Epocher).
func (t *Trainer) StepsPerEpoch() int { return len(t.batches) }

// batch returns the examples of step s: epoch s / StepsPerEpoch visits
// the batches in an order drawn from the seed and the epoch alone, so that
// the step count is the position in the data.
func (t *Trainer) batch(s int) []int {
	n := len(t.batches)
	perm := rand.New(rand.NewPCG(t.M.Seed, uint64(s/n)+1)).Perm(n)
	return t.batches[perm[s%n]]
}

// LossGrad trains on step's batch (training.Model): it adds the gradients of the scorer's
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

// Validate scores the model on the dev examples (training.Validator):
// "val_loss", the scorer's mean negative log-likelihood per reply token
// (EOS counted), on the first ValSample examples (quick) or on all of them
// (full); and, when the response set holds the replies of the first
// ValSample examples (Dialog bAbI's candidates hold every reply),
// "val_acc", the percentage of those whose reply the trie search ranks
// first (Accuracy).
func (t *Trainer) Validate(full bool) training.Validation {
	exs := t.Dev[:min(len(t.Dev), ValSample)]
	if full {
		exs = t.Dev
	}
	if len(exs) == 0 {
		return training.Validation{}
	}
	nll, tokens := t.M.devNLL(exs)
	v := training.Validation{
		Metrics: []training.Metric{{Name: "val_loss", Value: nll / float64(max(tokens, 1)), Digits: 4}},
		Full:    len(exs) == len(t.Dev),
		On:      fmt.Sprintf("%d dev examples", len(exs)),
	}
	sample := t.Dev[:min(len(t.Dev), ValSample)]
	if t.M.holds(sample) {
		acc, err := t.M.Accuracy(sample, SuggestOptions{}, t.Workers)
		if err == nil {
			v.Metrics = append(v.Metrics, training.Metric{Name: "val_acc", Value: acc.PerResponse(), Digits: 1})
			v.On += fmt.Sprintf(", val_acc on the first %d", len(sample))
		}
	}
	return v
}

// devNLL returns the scorer's summed negative log-likelihood of the
// replies of exs (those it trains on: see scored) and their tokens.
func (m *Model) devNLL(exs []Example) (nll float64, tokens int) {
	var src, tgt, cp [][]int
	for _, ex := range exs {
		r, c := m.ReplyIDs(ex.Reply), []int(nil)
		if m.Scorer.Copy {
			r, c = m.copyExample(ex)
		}
		if !m.scored(r) {
			continue
		}
		src, tgt = append(src, m.ContextIDs(ex.Context)), append(tgt, r)
		if c != nil {
			cp = append(cp, c)
		}
	}
	const batch = 64
	for lo := 0; lo < len(src); lo += batch {
		hi := min(lo+batch, len(src))
		var c [][]int
		if cp != nil {
			c = cp[lo:hi]
		}
		m.Scorer.LossCopy(src[lo:hi], tgt[lo:hi], c)
		n, k := m.Scorer.LastNLL()
		nll, tokens = nll+n, tokens+k
	}
	return nll, tokens
}

// holds reports whether every reply of exs is a response of the set.
func (m *Model) holds(exs []Example) bool {
	texts := make(map[string]bool, len(m.Responses))
	for _, r := range m.Responses {
		texts[r.Text] = true
	}
	for _, ex := range exs {
		if !texts[ex.Reply] {
			return false
		}
	}
	return len(exs) > 0
}

// SaveState adds the model and its training to a checkpoint
// (training.Checkpointer; the loop's Save writes it): it first clusters
// the response set with the weights of now (Finish), so that every
// checkpoint is a model ready to suggest; then the model's kind,
// configuration, vocabularies and response set, the TrainConfig
// ("train") and the scorer's generator (its replicas' seeds).
func (t *Trainer) SaveState(s *checkpoint.State) error {
	if err := t.M.Finish(); err != nil {
		return err
	}
	if err := t.M.putModel(s); err != nil {
		return err
	}
	tc, err := json.Marshal(t.Config)
	if err != nil {
		return fmt.Errorf("smartreply: %w", err)
	}
	s.Meta["train"] = string(tc)
	if s.Rand, err = t.M.Scorer.RandState(); err != nil {
		return fmt.Errorf("smartreply: %w", err)
	}
	return nil
}

// RestoreState puts the scorer's generator back (training.Checkpointer;
// the loop's Restore calls it), from a state that t's model came from
// (Open), after checking that t trains as the checkpoint did.
func (t *Trainer) RestoreState(s *checkpoint.State) error {
	tc, err := TrainConfigOf(s)
	if err != nil {
		return err
	}
	if tc != t.Config {
		return fmt.Errorf("smartreply: the checkpoint trained with %+v, the trainer with %+v", tc, t.Config)
	}
	return t.M.Scorer.SetRandState(s.Rand)
}

// TrainConfigOf returns the training configuration of a training
// checkpoint (Open's state), to build the Trainer that continues it.
func TrainConfigOf(s *checkpoint.State) (TrainConfig, error) {
	var tc TrainConfig
	if !s.Trained || s.Meta["train"] == "" {
		return tc, fmt.Errorf("smartreply: a model without its training state: it cannot be resumed")
	}
	if err := json.Unmarshal([]byte(s.Meta["train"]), &tc); err != nil {
		return tc, fmt.Errorf("smartreply: metadata \"train\": %w", err)
	}
	return tc, nil
}
