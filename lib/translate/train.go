package translate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/seq2seq"
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

// Trainer trains a Translator on sentence pairs.
type Trainer struct {
	T          *Translator
	Opt        optim.Optimizer
	Step       int     // steps taken, over all runs
	SmoothLoss float64 // exponential moving average of the loss (0.98)
	// Workers is the number of goroutines a step's batch is shared out
	// among (data parallelism: seq2seq.Model.LossGrad); 0 means GOMAXPROCS.
	Workers int

	src, tgt [][]int // the training pairs as ids
	buckets  [][]int // pair indices in batches of similar source length
}

// NewTrainer returns a trainer of t on the training pairs, with Adam.
// Pairs longer than MaxSourceTokens are an error.
func NewTrainer(t *Translator, train []data.Pair) (*Trainer, error) {
	if len(train) == 0 {
		return nil, errors.New("translate: no training pairs")
	}
	tr := &Trainer{T: t, Opt: optim.DefaultAdam(t.Model.Params(), t.Config.LR)}
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
	return tr, nil
}

// BatchesPerEpoch is the number of steps in one pass over the data.
func (tr *Trainer) BatchesPerEpoch() int { return len(tr.buckets) }

// batch returns the pairs of step s: epoch s / BatchesPerEpoch visits the
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

// anneal sets what changes over a run for step s of a run that ends at step
// total: the learning rate, linear from LR to LREnd when LREnd is set, and
// the clip δ of quantization-aware training, linear from QATStart to QATEnd.
func (tr *Trainer) anneal(s, total int) {
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

// TrainStep trains on the next batch and returns its loss and number of
// target tokens.
func (tr *Trainer) TrainStep() (loss float64, tokens int) {
	m := tr.T.Model
	src, tgt := tr.batch(tr.Step)
	tr.Opt.ZeroGrad()
	loss, tokens = m.LossGrad(src, tgt, tr.Workers)
	if tr.T.Config.Clip > 0 {
		optim.ClipGlobalNorm(m.Params(), tr.T.Config.Clip)
	}
	tr.Opt.Step()
	tr.Step++
	if tr.SmoothLoss == 0 {
		tr.SmoothLoss = loss
	}
	tr.SmoothLoss = 0.98*tr.SmoothLoss + 0.02*loss
	return loss, tokens
}

// Run trains until Step reaches steps or ctx is done (then it returns
// ctx.Err() with the weights of the last whole step), calling report after
// every step. A loss that is not finite stops the run with an error.
func (tr *Trainer) Run(ctx context.Context, steps int, report func(training.Progress)) error {
	start, tokens := time.Now(), 0
	for tr.Step < steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		tr.anneal(tr.Step, steps)
		loss, n := tr.TrainStep()
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return fmt.Errorf("translate: loss %v at step %d: lower the learning rate", loss, tr.Step)
		}
		tokens += n
		if report != nil {
			report(training.Progress{Step: tr.Step, Steps: steps, Loss: loss, SmoothLoss: tr.SmoothLoss, Tokens: tokens, Elapsed: time.Since(start)})
		}
	}
	tr.anneal(steps, steps) // decode with the final bound
	return nil
}

// Scores are the talk's columns for one model on one test set.
type Scores struct {
	BLEU          float64 // corpus BLEU, 0 … 100
	LogPerplexity float64 // nats per reference target token, EOS included
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
	for i, r := range res {
		hyps[i] = r.Text
	}
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
