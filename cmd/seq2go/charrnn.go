package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/charrnn"
	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/datasets"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/training"
)

func init() {
	trainers["charrnn"] = command{"train a character language model (min-char-rnn or LSTM)", trainCharRNN}
	commands["sample"] = command{"generate text from a trained character model (--model FILE)", sample}
}

// charRNNDefaultSteps is the default training length of each architecture:
// min-char-rnn's loss is well down by 20,000 iterations; the LSTM passes
// 1.6 nats/char on validation by 3,000 steps of 32×100 characters.
var charRNNDefaultSteps = map[string]int{"rnn": 20000, "lstm": 3000}

// charRNNDefaultPrecision is the default --precision of each architecture.
// min-char-rnn keeps float64, the arithmetic of the numpy original: its
// batch-1 products are matrix–vector products, which lib/blas runs in
// float64 either way, so float32 would speed up only its weight gradients
// (20,000 iterations in 8 s instead of 11), and float64 keeps the original's
// trajectory (smooth loss 72.2 at 2,000 iterations, as Karpathy's) and the
// samples that follow from it. The LSTM's products are matrix products:
// float32, as PyTorch trains.
var charRNNDefaultPrecision = map[string]blas.Precision{"rnn": blas.Float64, "lstm": blas.Float32}

func trainCharRNN(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train charrnn", stderr)
	arch := fs.String("arch", "rnn", "architecture: rnn (min-char-rnn) or lstm")
	hidden := fs.Int("hidden", 0, "hidden units per layer (default rnn 100, lstm 256)")
	layers := fs.Int("layers", 0, "recurrent layers, 1-3 (default rnn 1, lstm 2)")
	embed := fs.Int("embed", 0, "embedding width, lstm only (default 64)")
	seq := fs.Int("seq", 0, "characters per chunk (default rnn 25, lstm 100)")
	batch := fs.Int("batch", 0, "lanes per batch (default rnn 1, lstm 32)")
	lr := fs.Float64("lr", 0, "learning rate (default rnn 0.1 Adagrad, lstm 0.002 Adam)")
	clip := fs.Float64("clip", 0, "gradient clip: rnn element-wise, lstm global norm (default 5)")
	seed := fs.Uint64("seed", 1, "random seed")
	pipeline := fs.Bool("pipeline", false, "GNMT's model parallelism: each recurrent layer on a goroutine, pipelined over the chunk's steps (2+ layers; the same numbers)")
	dataFile := fs.String("data", "", "training text file (default: the embedded tinyshakespeare)")
	valFrac := fs.Float64("val", 0.1, "fraction of the text, at its end, held out for validation")
	valSample := fs.Int("val-sample", charrnn.QuickVal, "characters of the validation text read every --val-every steps: a fixed sample spread over it (0: all of it); the end of the run reads all of it")
	sampleEvery := fs.Int("sample-every", 1000, "print a sample every N steps (0: never)")
	sampleLen := fs.Int("sample-len", 200, "characters per sample")
	tf := addTrainFlags(fs, trainDefaults{out: "charrnn.safetensors", saveEvery: 1000, logEvery: 100, valEvery: 500})
	fs.Lookup("steps").DefValue = "rnn 20000, lstm 3000"                                        // charRNNDefaultSteps
	fs.Lookup("precision").DefValue = "float64 for rnn, the numpy original's; float32 for lstm" // charRNNDefaultPrecision
	restore, err := tf.parse(fs, args)
	if err != nil {
		return err
	}
	defer restore()
	if !(*valFrac > 0 && *valFrac < 1) {
		return usageError{fmt.Sprintf("--val %v: want a fraction between 0 and 1", *valFrac)}
	}

	text, source, err := readText(*dataFile)
	if err != nil {
		return err
	}

	var (
		m       *charrnn.Model
		resumed *checkpoint.State
	)
	if *tf.resume != "" {
		if m, resumed, err = charrnn.Open(*tf.resume); err != nil {
			return err
		}
		if err := tf.fixed("arch", "hidden", "layers", "embed", "seq", "batch", "pipeline"); err != nil {
			return err
		}
		if tf.set["lr"] {
			m.Config.LR = *lr
		}
		if tf.set["clip"] {
			m.Config.Clip = *clip
		}
	} else {
		var cfg charrnn.Config
		switch *arch {
		case "rnn":
			cfg = charrnn.MinCharRNN()
		case "lstm":
			cfg = charrnn.DefaultLSTM()
		default:
			return usageError{fmt.Sprintf("--arch %q: want rnn or lstm", *arch)}
		}
		override := map[string]func(){
			"hidden": func() { cfg.Hidden = *hidden }, "layers": func() { cfg.Layers = *layers },
			"embed": func() { cfg.Embed = *embed }, "seq": func() { cfg.Seq = *seq },
			"batch": func() { cfg.Batch = *batch }, "lr": func() { cfg.LR = *lr },
			"clip": func() { cfg.Clip = *clip }, "pipeline": func() { cfg.Pipeline = *pipeline },
		}
		for name, apply := range override {
			if tf.set[name] {
				apply()
			}
		}
		if err := cfg.Validate(); err != nil {
			return usageError{err.Error()}
		}
		m, err = charrnn.New(cfg, data.NewCharVocab(text), rand.New(rand.NewPCG(*seed, 0)))
		if err != nil {
			return err
		}
	}
	if !tf.set["steps"] {
		*tf.steps = charRNNDefaultSteps[m.Config.Arch]
	}
	if !tf.set["precision"] {
		tf.precision.p = charRNNDefaultPrecision[m.Config.Arch]
		blas.SetPrecision(tf.precision.p) // restore puts the caller's back
	}

	ids, err := m.Vocab.Encode(text)
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	trainIDs, valIDs := data.SplitTail(ids, *valFrac)
	t, err := charrnn.NewTrainer(m, trainIDs, valIDs)
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	t.Workers, t.QuickVal = *tf.workers, *valSample
	if resumed != nil {
		if err := t.Restore(resumed); err != nil {
			return fmt.Errorf("%s: %w", *tf.resume, err)
		}
	}
	cfg := m.Config
	fmt.Fprintf(stderr, "charrnn: %s, %d layer(s) × %d hidden, vocabulary %d, %d parameters, %v products\n",
		cfg.Arch, cfg.Layers, cfg.Hidden, m.Vocab.Size(), nn.CountParams(m.Params()), tf.precision)
	fmt.Fprintf(stderr, "charrnn: %s: %d characters for training, %d for validation\n", source, len(trainIDs), len(valIDs))

	sampleRNG := rand.New(rand.NewPCG(*seed, 1))
	onStep := func(p training.Progress) string {
		if *sampleEvery <= 0 || p.Step%*sampleEvery != 0 {
			return ""
		}
		s, err := m.Sample(sampleRNG, "", *sampleLen, 1)
		if err != nil {
			return ""
		}
		return fmt.Sprintf("----- sample at step %d (smooth loss %.4f) -----\n%s\n", p.Step, p.SmoothLoss, s)
	}
	return tf.run(loopRun{name: "charrnn", loop: t.Loop, onStep: onStep}, stdout, stderr)
}

// readText returns the training text: the file's, or the embedded
// tinyshakespeare's when file is empty, and a name for messages.
func readText(file string) (text, source string, err error) {
	if file == "" {
		b, err := datasets.ReadAll("tinyshakespeare")
		return string(b), "tinyshakespeare (embedded)", err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", "", err
	}
	if len(b) == 0 {
		return "", "", fmt.Errorf("%s: empty file: want training text", file)
	}
	return string(b), file, nil
}

func sample(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sample", stderr)
	model := fs.String("model", "", "checkpoint written by 'seq2go train charrnn' (required)")
	prime := fs.String("prime", "", "text the model reads before it starts writing")
	n := fs.Int("n", 500, "characters to generate")
	temperature := fs.Float64("temperature", 1, "sampling temperature: below 1 safer, above 1 wilder")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *model == "" {
		return usageError{"sample: --model FILE is required"}
	}
	if *n < 0 {
		return usageError{fmt.Sprintf("sample: --n %d: want a count", *n)}
	}
	m, err := charrnn.Load(*model)
	if err != nil {
		return err
	}
	s, err := m.Sample(rand.New(rand.NewPCG(*seed, 1)), *prime, *n, *temperature)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s%s\n", *prime, s)
	return nil
}
