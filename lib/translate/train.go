package translate

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/tasks"
	"github.com/seq2go/seq2go/lib/training"
	"github.com/seq2go/seq2go/lib/wordpiece"
)

// New builds the vocabularies from the training pairs and returns a
// translator with a freshly initialised model.
func New(cfg Config, train []data.Pair) (*Translator, error) {
	if len(train) == 0 {
		return nil, errors.New("translate: no training pairs")
	}
	switch cfg.Level {
	case "":
		cfg.Level = "word"
	case "word", "wordpiece", "char":
	default:
		return nil, fmt.Errorf("translate: unknown level %q (want word, wordpiece or char)", cfg.Level)
	}
	if cfg.Batch <= 0 || cfg.LR <= 0 || cfg.Clip < 0 {
		return nil, fmt.Errorf("translate: batch %d and learning rate %v must be positive, clip %v not negative", cfg.Batch, cfg.LR, cfg.Clip)
	}
	t := &Translator{Config: cfg}
	minCount := cfg.MinCount
	if cfg.Level == "wordpiece" {
		if err := t.trainPieces(train); err != nil {
			return nil, err
		}
		minCount = 1 // the pieces are the vocabulary
	}
	var srcSents, tgtSents [][]string
	for _, p := range train {
		_, read := t.sourceTokens(p.Src)
		srcSents, tgtSents = append(srcSents, read), append(tgtSents, t.targetTokens(p.Tgt))
	}
	t.Src = data.BuildWordVocab(srcSents, minCount, cfg.MaxVocab)
	t.Tgt = data.BuildWordVocab(tgtSents, minCount, cfg.MaxVocab)
	mc := cfg.Config
	mc.SrcVocab, mc.TgtVocab, mc.BOS, mc.EOS = t.Src.Size(), t.Tgt.Size(), data.BOSID, data.EOSID
	m, err := seq2seq.NewModel(rand.New(rand.NewPCG(cfg.Seed, 0)), mc)
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	t.Model, t.Config.Config = m, m.Config
	return t, nil
}

// trainPieces learns the wordpieces of each side from the training pairs
// (BPE, GNMT's "▁" style), MaxVocab pieces a side (8000 when 0), on the
// words and punctuation of data.Tokenize (the source lower-cased).
func (t *Translator) trainPieces(train []data.Pair) error {
	size := t.Config.MaxVocab
	if size <= 0 {
		size = 8000
	}
	var src, tgt strings.Builder
	for _, p := range train {
		src.WriteString(strings.Join(data.TokenizeLower(p.Src), " ") + "\n")
		tgt.WriteString(strings.Join(data.Tokenize(p.Tgt), " ") + "\n")
	}
	learn := func(text, side string) (*wordpiece.Vocab, error) {
		v, err := wordpiece.Train(strings.NewReader(text), side+" side", wordpiece.TrainConfig{Size: size})
		if errors.Is(err, wordpiece.ErrSmallCorpus) {
			err = nil // every word is one piece already: the vocabulary is complete
		}
		return v, err
	}
	var err error
	if t.SrcPieces, err = learn(src.String(), "source"); err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	if t.TgtPieces, err = learn(tgt.String(), "target"); err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	return nil
}

// Trainer trains a Translator on sentence pairs on lib/training's loop,
// which it embeds: Run, TrainStep, Save, Restore, Step and SmoothLoss are
// the loop's (Adam, a global-norm clip of Config.Clip, the loss smoothed
// with β = 0.98 from the first step's). The Trainer is the loop's
// training.Model: a step reads a batch of pairs of similar source length,
// the batches of each epoch shuffled by the seed and the epoch alone, so
// that the step count is the position in the data.
type Trainer struct {
	*training.Loop
	T *Translator
	// Workers is the number of goroutines a step's batch is shared out
	// among (data parallelism: seq2seq.Model.LossGrad); 0 means GOMAXPROCS.
	Workers int
	// Dev are the held-out pairs Validate scores, all of them at the end;
	// during a run, DevSample of them taken evenly across the set (0: all).
	Dev       []data.Pair
	DevSample int

	src, tgt [][]int // the training pairs as ids
	buckets  [][]int // pair indices in batches of similar source length

	part, parts int // LossGrad computes part part of parts of every batch (Shard); parts 0: all
}

// DevSample is the default number of dev pairs the quick validation scores.
const DevSample = 500

// NewTrainer returns a trainer of t on the training pairs, with Adam.
// Pairs longer than MaxSourceTokens are an error.
func NewTrainer(t *Translator, train []data.Pair) (*Trainer, error) {
	if len(train) == 0 {
		return nil, errors.New("translate: no training pairs")
	}
	tr := &Trainer{T: t, DevSample: DevSample}
	for i, p := range train {
		s, g := t.encodePair(p)
		if len(s) == 0 || len(s) > MaxSourceTokens {
			return nil, fmt.Errorf("translate: training pair %d has %d source tokens (want 1 to %d)", i+1, len(s), MaxSourceTokens)
		}
		tr.src, tr.tgt = append(tr.src, s), append(tr.tgt, g)
	}
	// Batches of similar source length: sort by length (stable, so ties keep
	// the input order), cut into batches.
	order := make([]int, len(tr.src))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(tr.src[order[a]]) < len(tr.src[order[b]]) })
	b := t.Config.Batch
	for lo := 0; lo < len(order); lo += b {
		tr.buckets = append(tr.buckets, order[lo:min(lo+b, len(order))])
	}
	tr.Loop = training.NewLoop(tr, optim.DefaultAdam(t.Model.Params(), t.Config.LR))
	tr.Clip.Norm = t.Config.Clip
	tr.Smoothing = 0.98
	return tr, nil
}

// Params returns the model's parameters (training.Model).
func (tr *Trainer) Params() []*nn.Param { return tr.T.Model.Params() }

// LossGrad computes the loss and gradient of step's batch (training.Model),
// shared among Workers replicas; tokens are target tokens.
func (tr *Trainer) LossGrad(step int) (loss float64, tokens int) {
	src, tgt := tr.batch(step)
	if tr.parts > 0 {
		lo, hi := tr.part*len(src)/tr.parts, (tr.part+1)*len(src)/tr.parts
		if lo == hi {
			return 0, 0 // a short last batch with no pair for this part
		}
		src, tgt = src[lo:hi], tgt[lo:hi]
	}
	return tr.T.Model.LossGrad(src, tgt, tr.Workers)
}

// StepsPerEpoch is the number of steps in one pass over the data
// (training.Epocher).
func (tr *Trainer) StepsPerEpoch() int { return len(tr.buckets) }

// batch returns the pairs of step s: epoch s / StepsPerEpoch visits the
// batches in an order shuffled by the seed and the epoch alone.
func (tr *Trainer) batch(s int) (src, tgt [][]int) {
	n := len(tr.buckets)
	epoch := uint64(s / n)
	perm := rand.New(rand.NewPCG(tr.T.Config.Seed, epoch+1)).Perm(n)
	for _, i := range tr.buckets[perm[s%n]] {
		src, tgt = append(src, tr.src[i]), append(tgt, tr.tgt[i])
	}
	return src, tgt
}

// Quantization-aware training anneals the clip δ from QATStart to QATEnd.
const (
	QATStart = 8
	QATEnd   = 1
)

// Schedule sets what changes over a run (training.Scheduler), before step
// s of a run that ends at step total: the learning rate, linear from LR to
// LREnd when LREnd is set, and the clip δ of quantization-aware training,
// linear from QATStart to QATEnd.
func (tr *Trainer) Schedule(s, total int) {
	c := tr.T.Config
	if c.LREnd > 0 && s < total {
		tr.Opt.SetLR(optim.LinearDecay{Base: c.LR, End: c.LREnd, Steps: max(total-1, 1)}.LR(s))
	}
	if !c.QuantAware {
		return
	}
	frac := min(float64(s)/float64(max(total, 1)), 1)
	tr.T.Model.SetClip(QATStart + (QATEnd-QATStart)*frac)
}

// Validate scores greedy translations of the dev pairs
// (training.Validator): corpus BLEU ("dev_bleu"), the log perplexity of the
// references ("log_ppl") and the percentage translated exactly
// ("exact_match"). The quick validation takes DevSample pairs evenly across
// the set (a sample of every length: corpora such as Tatoeba's are sorted by
// length), the full one all of them, and for the date task the percentage
// of its held-out-format dates translated exactly too
// ("heldout_exact_match", Data.HeldOut).
func (tr *Trainer) Validate(full bool) training.Validation {
	pairs := tr.Dev
	if !full {
		pairs = spread(pairs, tr.DevSample)
	}
	if len(pairs) == 0 {
		return training.Validation{}
	}
	sc := tr.T.Evaluate(pairs, seq2seq.BeamOptions{}, 64)
	v := training.Validation{Full: len(pairs) == len(tr.Dev), Metrics: []training.Metric{
		{Name: "dev_bleu", Value: sc.BLEU, Digits: 2},
		{Name: "log_ppl", Value: sc.LogPerplexity, Digits: 4},
		{Name: "exact_match", Value: 100 * sc.ExactMatch, Digits: 2},
	}}
	v.On = fmt.Sprintf("%d dev pairs, greedy", len(pairs))
	if !v.Full {
		v.On = fmt.Sprintf("%d of %d dev pairs, greedy", len(pairs), len(tr.Dev))
		return v
	}
	if held := tr.T.Config.Data.HeldOut(); held != nil {
		sc := tr.T.Evaluate(held, seq2seq.BeamOptions{}, 64)
		v.Metrics = append(v.Metrics, training.Metric{Name: "heldout_exact_match", Value: 100 * sc.ExactMatch, Digits: 2})
		v.On += fmt.Sprintf(", and %d dates in the %d formats never trained on", len(held), len(tasks.HeldOutDateFormats()))
	}
	return v
}

// spread returns n pairs taken evenly across pairs (all when n ≥ len or n
// ≤ 0).
func spread(pairs []data.Pair, n int) []data.Pair {
	if n >= len(pairs) || n <= 0 {
		return pairs
	}
	out := make([]data.Pair, n)
	for i := range out {
		out[i] = pairs[i*len(pairs)/n]
	}
	return out
}

// Scores are the talk's columns for one model on one test set.
type Scores struct {
	BLEU          float64 // corpus BLEU, 0 … 100
	LogPerplexity float64 // nats per reference target token, EOS included
	ExactMatch    float64 // the fraction of sentences translated exactly as the reference
	Sentences     int
	Decoding      time.Duration // translating the test set
}

// SentencesPerSecond is the decoding speed.
func (s Scores) SentencesPerSecond() float64 { return float64(s.Sentences) / s.Decoding.Seconds() }

// Evaluate translates the sources of pairs (batch at a time, with opt) and
// scores them against the targets, and measures the log perplexity of the
// targets by forced decoding.
func (t *Translator) Evaluate(pairs []data.Pair, opt seq2seq.BeamOptions, batch int) Scores {
	lines, refs := make([]string, len(pairs)), make([]string, len(pairs))
	for i, p := range pairs {
		lines[i], refs[i] = p.Src, p.Tgt
	}
	start := time.Now()
	res := t.TranslateAll(lines, opt, batch)
	sc := Scores{Sentences: len(pairs), Decoding: time.Since(start)}
	hyps := make([]string, len(res))
	exact := 0
	for i, r := range res {
		hyps[i] = r.Text
		if r.Text == refs[i] {
			exact++
		}
	}
	sc.ExactMatch = float64(exact) / float64(max(len(pairs), 1))
	sc.BLEU = metricsBLEU(hyps, refs)
	sc.LogPerplexity = t.logPerplexity(pairs, max(batch, 1))
	return sc
}

// logPerplexity is the mean negative log-likelihood per target token of
// the pairs' targets, in batches.
func (t *Translator) logPerplexity(pairs []data.Pair, batch int) float64 {
	var nll float64
	var tokens int
	for lo := 0; lo < len(pairs); lo += batch {
		var src, tgt [][]int
		for _, p := range pairs[lo:min(lo+batch, len(pairs))] {
			s, g := t.encodePair(p)
			if len(s) == 0 || len(s) > MaxSourceTokens {
				continue
			}
			src, tgt = append(src, s), append(tgt, g)
		}
		if len(src) == 0 {
			continue
		}
		n, k := t.Model.NLL(src, tgt)
		nll, tokens = nll+n, tokens+k
	}
	return nll / float64(tokens)
}
