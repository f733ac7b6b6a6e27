package word2vec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seq2go/seq2go/lib/training"
)

// Trainer holds a model being trained: the vocabulary, the input vectors
// (the word vectors) and the output weights of negative sampling and
// hierarchical softmax, all V×d float32 matrices stored row-major.
//
// Float32 is deliberate, and the one exception to the library's float64:
// word2vec.c, fastText and gensim all train in float, the updates are far
// coarser than float32's precision, and half the bytes per row means twice
// the rows in cache and twice the lanes per SIMD instruction.
type Trainer struct {
	Config Config
	Vocab  *Vocab

	corpus  *Corpus
	rng     *rand.Rand
	syn0    []float32 // V×d input vectors: the word vectors
	syn1neg []float32 // V×d output vectors of negative sampling
	syn1    []float32 // (V−1)×d inner-node vectors of hierarchical softmax
	noise   *noise    // the unigram^0.75 distribution of negative samples
	keep    []uint32  // per word, p_keep·2³² (saturated): keep if a random uint32 is below it
	words   atomic.Int64
}

// NewTrainer reads the corpus once to build the vocabulary, and allocates
// and initialises the model as word2vec.c does: input vectors uniform in
// [−0.5/d, 0.5/d), output weights zero. rng seeds everything random, so
// that one thread and one seed always give the same vectors.
func NewTrainer(rng *rand.Rand, c *Corpus, cfg Config) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	v, err := BuildVocab(c, cfg.MinCount)
	if err != nil {
		return nil, err
	}
	n, d := v.Len(), cfg.Dim
	t := &Trainer{Config: cfg, Vocab: v, corpus: c, rng: rng, syn0: make([]float32, n*d)}
	for i := range t.syn0 {
		t.syn0[i] = (rng.Float32() - 0.5) / float32(d)
	}
	if cfg.Negative > 0 {
		t.syn1neg = make([]float32, n*d)
		t.noise = newNoise(v.counts, cfg.TableSize)
	}
	if cfg.HS {
		v.buildHuffman()
		t.syn1 = make([]float32, max(n-1, 1)*d)
	}
	t.keep = make([]uint32, n)
	for i, c := range v.counts {
		p := KeepProbability(c, v.total, cfg.Sample)
		t.keep[i] = uint32(math.Min(p*(1<<32), math.MaxUint32))
	}
	return t, nil
}

// Train builds a trainer and runs it to the end: the one call for the
// common case.
//
//	c, _ := word2vec.NewDatasetCorpus("gutenberg-en")
//	vecs, err := word2vec.Train(rand.New(rand.NewPCG(1, 1)), c, word2vec.DefaultConfig())
func Train(rng *rand.Rand, c *Corpus, cfg Config) (*Vectors, error) {
	t, err := NewTrainer(rng, c, cfg)
	if err != nil {
		return nil, err
	}
	if err := t.Run(context.Background(), nil); err != nil {
		return nil, err
	}
	return t.Vectors(), nil
}

// alphaUpdate is how many words a goroutine trains on between updates of
// the learning rate and looks at the shared word count, as word2vec.c.
const alphaUpdate = 10000

// reportEvery is how often Run calls its report function.
const reportEvery = 200 * time.Millisecond

// Run trains Epochs passes over the corpus on Threads goroutines, each
// streaming its own contiguous part of the corpus (the bytes split evenly,
// cut at white space) and updating the shared weights without locks
// (Hogwild: Recht et al. 2011; word2vec.c does the same). The learning rate
// decays linearly with the words trained on by all goroutines together:
//
//	α = α₀ · max(1 − words/(Epochs·T + 1), 1e-4)
//
// report, if not nil, is called from Run's goroutine about five times a
// second and once at the end, with a training.Progress that counts words:
// Step the corpus words trained on so far in this run (before sub-sampling,
// every goroutine), Steps the run's Epochs × Vocab.Total(), LR the current
// α, and no loss (NaN: the goroutines do not sum theirs). When ctx is cancelled the goroutines stop
// within 10,000 words each and Run returns ctx's error; the vectors trained
// so far remain usable. Calling Run again trains Epochs more passes, the
// learning rate starting again from Alpha.
func (t *Trainer) Run(ctx context.Context, report func(training.Progress)) error {
	cfg := t.Config
	t.words.Store(0)
	total := int64(cfg.Epochs) * t.Vocab.total
	start := time.Now()
	progress := func() training.Progress {
		w := int(t.words.Load())
		return training.Progress{Step: w, Steps: int(total), Unit: "words", Tokens: w, LR: t.alpha(int64(w)),
			Loss: math.NaN(), SmoothLoss: math.NaN(), Elapsed: time.Since(start)}
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make([]error, cfg.Threads)
	size := t.Vocab.bytes
	for i := 0; i < cfg.Threads; i++ {
		w := &worker{
			t:        t,
			rng:      rng(t.rng.Uint64()),
			sentence: make([]int32, 0, MaxSentence),
			neu1:     make([]float32, cfg.Dim),
			neu1e:    make([]float32, cfg.Dim),
			start:    size * int64(i) / int64(cfg.Threads),
			end:      size * int64(i+1) / int64(cfg.Threads),
			stop:     &stop,
		}
		if i == cfg.Threads-1 {
			w.end = -1 // to EOF
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = w.run(); errs[i] != nil {
				stop.Store(true)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(reportEvery)
	defer tick.Stop()
	for running := true; running; {
		select {
		case <-done:
			running = false
		case <-ctx.Done():
			stop.Store(true)
			<-done
			running = false
		case <-tick.C:
			if report != nil {
				report(progress())
			}
		}
	}
	if report != nil {
		report(progress())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("word2vec: %s: %w", t.corpus.name, err)
	}
	return ctx.Err()
}

// alpha is the learning rate after words words of this run.
func (t *Trainer) alpha(words int64) float64 {
	total := float64(t.Config.Epochs)*float64(t.Vocab.total) + 1
	return t.Config.Alpha * math.Max(1-float64(words)/total, 1e-4)
}

// Vectors returns a copy of the word vectors trained so far.
func (t *Trainer) Vectors() *Vectors {
	v, err := NewVectors(append([]string(nil), t.Vocab.words...), t.Config.Dim, append([]float32(nil), t.syn0...))
	if err != nil {
		panic(err) // the vocabulary's words are distinct and the sizes agree
	}
	return v
}

// worker is one training goroutine and its scratch space.
type worker struct {
	t           *Trainer
	rng         rng
	sentence    []int32
	neu1, neu1e []float32 // CBOW's hidden layer, and the gradient for the input rows (d each)
	start, end  int64     // the part of the corpus, in bytes; end < 0 reads to EOF
	stop        *atomic.Bool
}

// run trains on the worker's part Epochs times.
func (w *worker) run() error {
	t := w.t
	var pending int64 // words since the shared count was last updated
	alpha := float32(t.Config.Alpha)
	for epoch := 0; epoch < t.Config.Epochs; epoch++ {
		r, err := t.corpus.openAt(max(w.start-1, 0))
		if err != nil {
			return err
		}
		wr := newWordReader(r, t.corpus.split, w.start, w.end)
		for {
			word, eos, err := wr.next()
			if err != nil && err != io.EOF {
				r.Close()
				return err
			}
			end := err == io.EOF
			if !eos && !end {
				i, ok := t.Vocab.index[string(word)]
				if !ok {
					continue
				}
				pending++
				// Sub-sampling: keep with probability p_keep(i).
				if uint32(w.rng.next()>>32) < t.keep[i] {
					w.sentence = append(w.sentence, i)
				}
				if len(w.sentence) < MaxSentence {
					continue
				}
			}
			if len(w.sentence) > 0 {
				w.trainSentence(alpha)
				w.sentence = w.sentence[:0]
			}
			if pending >= alphaUpdate || end {
				alpha = float32(t.alpha(t.words.Add(pending)))
				pending = 0
				if w.stop.Load() {
					r.Close()
					return nil
				}
			}
			if end {
				break
			}
		}
		r.Close()
	}
	return nil
}
