package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/tagger"
	"github.com/seq2go/seq2go/lib/word2vec"
)

func init() {
	trainers["tagger"] = command{"train a BiLSTM part-of-speech tagger on UD English EWT (UPOS, XPOS or both)", trainTagger}
}

// taggerDefaultEpochs is the length of a run without --steps or --epochs.
const taggerDefaultEpochs = 20

func trainTagger(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train tagger", stderr)
	def := tagger.DefaultConfig()
	dir := fs.String("data", "", "directory with a *train*.conllu and a *dev*.conllu file (default: the embedded UD English EWT)")
	tagset := fs.String("tagset", def.Tagset, "tags to learn: upos, xpos or both (two output layers)")
	char := fs.String("char", def.Char, "character-level word representation: lstm, cnn or none")
	crf := fs.Bool("crf", def.CRF, "a CRF output layer with Viterbi decoding instead of a softmax per word")
	vectors := fs.String("vectors", "", "start the word embeddings from these word2vec vectors (text or binary; their width replaces --word-dim)")
	wordDim := fs.Int("word-dim", def.WordDim, "word embedding width")
	charDim := fs.Int("char-dim", def.CharDim, "character embedding width")
	charHidden := fs.Int("char-hidden", def.CharHidden, "character BiLSTM units per direction, or CNN filters")
	hidden := fs.Int("hidden", def.Hidden, "word BiLSTM units per direction")
	layers := fs.Int("layers", def.Layers, "stacked word BiLSTM layers")
	dropout := fs.Float64("dropout", def.Dropout, "dropout on the BiLSTM's input and output")
	wordDropout := fs.Float64("word-dropout", def.WordDropout, "α: a training word seen c times is read as <unk> with probability α/(α+c)")
	batch := fs.Int("batch", def.Batch, "sentences a step")
	lr := fs.Float64("lr", def.LR, "Adam's learning rate")
	clip := fs.Float64("clip", def.Clip, "global gradient norm clip (0: none)")
	seed := fs.Uint64("seed", def.Seed, "random seed: weights, batch order, dropout")
	tf := addTrainFlags(fs, trainDefaults{out: "tagger.safetensors", saveEvery: 1000, logEvery: 100, valEvery: 1000})
	fs.Lookup("epochs").Usage = fmt.Sprintf("train until this many passes over the training sentences (default %d, when --steps is not given)", taggerDefaultEpochs)
	restore, err := tf.parse(fs, args)
	if err != nil {
		return err
	}
	defer restore()

	train, dev, source, err := taggerData(*dir)
	if err != nil {
		return err
	}
	var (
		m       *tagger.Model
		resumed *checkpoint.State
	)
	if *tf.resume != "" {
		if err := tf.fixed("tagset", "char", "crf", "vectors", "word-dim", "char-dim", "char-hidden", "hidden", "layers", "dropout", "word-dropout", "batch", "lr", "clip", "seed"); err != nil {
			return err
		}
		if m, resumed, err = tagger.Open(*tf.resume); err != nil {
			return err
		}
	} else {
		cfg := def
		cfg.Tagset, cfg.Char, cfg.CRF = *tagset, *char, *crf
		cfg.WordDim, cfg.CharDim, cfg.CharHidden, cfg.Hidden, cfg.Layers = *wordDim, *charDim, *charHidden, *hidden, *layers
		cfg.Dropout, cfg.WordDropout, cfg.Batch, cfg.LR, cfg.Clip, cfg.Seed = *dropout, *wordDropout, *batch, *lr, *clip, *seed
		if err := cfg.Validate(); err != nil {
			return usageError{err.Error()}
		}
		if *vectors == "" {
			m, err = tagger.New(cfg, train)
		} else {
			var vecs *word2vec.Vectors
			if vecs, err = word2vec.Load(*vectors); err != nil {
				return err
			}
			var found int
			m, found, err = tagger.NewWithVectors(cfg, train, vecs)
			fmt.Fprintf(stderr, "train tagger: %d of %d words start from %s\n", found, m.Words.Size(), *vectors)
		}
		if err != nil {
			return err
		}
	}
	t, err := tagger.NewTrainer(m, train, dev)
	if err != nil {
		return err
	}
	t.Workers = *tf.workers
	if resumed != nil {
		if err := t.Restore(resumed); err != nil {
			return fmt.Errorf("%s: %w", *tf.resume, err)
		}
	}
	if !tf.set["steps"] && !tf.set["epochs"] {
		*tf.steps = taggerDefaultEpochs * t.StepsPerEpoch()
	}
	c := m.Config
	fmt.Fprintf(stderr, "train tagger: %s, %d training sentences, %d validation; %s, char %s, crf %v, word BiLSTM %d×2×%d, %d words, %d weights, %s\n",
		source, len(train), len(dev), c.Tagset, c.Char, c.CRF, c.Layers, c.Hidden, m.Words.Size(), nn.CountParams(m.Params()), tf.precision)
	return tf.run(loopRun{name: "tagger", loop: t.Loop}, stdout, stderr)
}

// taggerData reads the training and validation sentences: the one
// *train*.conllu and the one *dev*.conllu of dir, or the embedded EWT.
func taggerData(dir string) (train, dev []data.Sentence, source string, err error) {
	if dir == "" {
		if train, err = tagger.EWT("train"); err != nil {
			return nil, nil, "", err
		}
		dev, err = tagger.EWT("dev")
		return train, dev, "UD English EWT", err
	}
	read := func(pattern string) ([]data.Sentence, error) {
		files, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return nil, err
		}
		if len(files) != 1 {
			return nil, usageError{fmt.Sprintf("train tagger: --data %s: %d files match %s, want one", dir, len(files), pattern)}
		}
		return data.ReadCoNLLUFile(files[0])
	}
	if train, err = read("*train*.conllu"); err != nil {
		return nil, nil, "", err
	}
	if dev, err = read("*dev*.conllu"); err != nil {
		return nil, nil, "", err
	}
	return train, dev, dir, nil
}
