package tagger

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/datasets"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/training"
)

// QuickVal is the number of validation sentences, the first ones, that the
// quick validation during training tags (Trainer.Validate(false)); the
// full one tags them all.
const QuickVal = 500

// Trainer trains a Model on lib/training's loop, which it embeds, and is
// the loop's training.Model: Adam at Config.LR on the mean loss per word
// of Config.Batch sentences a step (Batches.At(step), a function of the
// step, so that the step is the position in the data), gradients clipped
// to a global norm of Config.Clip. Validation tags Val and reports each
// tagset's accuracy in percent ("upos_acc", "xpos_acc").
type Trainer struct {
	*training.Loop
	M       *Model
	Batches *Batches
	Val     []data.Sentence
	// Workers is the number of goroutines a step's batch is shared out
	// among (Model.LossGrad); 0 means GOMAXPROCS.
	Workers int
}

// NewTrainer returns a trainer of m on the tagged sentences train,
// validated on val (nil: none).
func NewTrainer(m *Model, train, val []data.Sentence) (*Trainer, error) {
	b, err := NewBatches(m.Encode(train), m.Config.Batch, m.Config.Seed)
	if err != nil {
		return nil, err
	}
	t := &Trainer{M: m, Batches: b, Val: val}
	t.Loop = training.NewLoop(t, optim.DefaultAdam(m.Params(), m.Config.LR))
	t.Clip.Norm = m.Config.Clip
	t.Smoothing = 0.98
	return t, nil
}

// Params returns the model's parameters (training.Model).
func (t *Trainer) Params() []*nn.Param { return t.M.Params() }

// LossGrad computes the loss of step's batch, the mean per word, and adds
// its gradient (training.Model); tokens are words.
func (t *Trainer) LossGrad(step int) (loss float64, tokens int) {
	return t.M.LossGrad(t.Batches.At(step), t.Workers)
}

// StepsPerEpoch is the number of batches in one pass over the training
// sentences (training.Epocher).
func (t *Trainer) StepsPerEpoch() int { return t.Batches.PerEpoch() }

// Validate tags the validation sentences with the current weights and
// reports each tagset's accuracy in percent (training.Validator): the quick
// one on the first QuickVal sentences, the full one on all, with the
// accuracy on words unseen in training ("upos_unk").
func (t *Trainer) Validate(full bool) training.Validation {
	if len(t.Val) == 0 {
		return training.Validation{}
	}
	sents := t.Val
	if !full && len(sents) > QuickVal {
		sents = sents[:QuickVal]
	}
	tg := &Tagger{m: t.M.Replica(), Batch: 64} // no character cache: it would cost more than it saves here
	if full {
		tg = NewTagger(t.M)
	}
	v := training.Validation{Full: full || len(sents) == len(t.Val)}
	words := 0
	for _, s := range tg.Evaluate(sents) {
		v.Metrics = append(v.Metrics, training.Metric{Name: s.Tagset + "_acc", Value: 100 * s.Accuracy(), Digits: 2})
		if full {
			v.Metrics = append(v.Metrics, training.Metric{Name: s.Tagset + "_unk", Value: 100 * s.UnknownAccuracy(), Digits: 2})
		}
		words = s.Words
	}
	v.On = fmt.Sprintf("%d sentences, %d words", len(sents), words)
	return v
}

// EWT returns a split of the embedded UD English EWT treebank: "train"
// (12,544 sentences; FEATS and DEPS blanked) or "dev" (2,001). The
// treebank is CC BY-SA 4.0 (datasets.Source("ud-english-ewt")).
func EWT(split string) ([]data.Sentence, error) {
	files := map[string]string{"train": "en_ewt-ud-train.slim.conllu", "dev": "en_ewt-ud-dev.conllu"}
	file, ok := files[split]
	if !ok {
		return nil, fmt.Errorf("tagger: EWT split %q: want train or dev (the test split is not in the project)", split)
	}
	r, err := datasets.OpenFile("ud-english-ewt", file)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return data.ReadCoNLLU(r, file)
}
