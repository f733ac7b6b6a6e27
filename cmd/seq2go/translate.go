package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/training"
	"github.com/seq2go/seq2go/lib/translate"
)

func init() {
	trainers["translate"] = command{"train an attentional seq2seq translator (Tatoeba nl→en by default)", trainTranslate}
	trainers["dates"] = command{"train the date-normalisation toy model (character level)", trainDates}
	commands["translate"] = command{"translate standard input line by line (--model FILE [--int8] [--beam N])", translateLines}
	benches["translate"] = command{"the talk's speed table for a translator: float vs int8 (--model FILE)", benchTranslate}
}

func trainTranslate(args []string, stdout, stderr io.Writer) error {
	return trainSeq2seq("train translate", translate.DefaultConfig(), 4000, args, stdout, stderr)
}

func trainDates(args []string, stdout, stderr io.Writer) error {
	return trainSeq2seq("train dates", translate.DatesConfig(), 2000, args, stdout, stderr)
}

// trainSeq2seq is both trainers: they differ in their defaults only.
func trainSeq2seq(name string, cfg translate.Config, defaultSteps int, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(name, stderr)
	dates := cfg.Data.Dataset == "dates"
	if !dates {
		fs.StringVar(&cfg.Data.Dataset, "dataset", cfg.Data.Dataset, "embedded corpus: tatoeba-eng-nld or tatoeba-eng-fra")
		fs.StringVar(&cfg.Data.Pairs, "pairs", "", "train on this file of source<TAB>target lines instead")
		fs.StringVar(&cfg.Data.SrcLang, "src", cfg.Data.SrcLang, "source language (en, or the corpus's other one)")
		fs.StringVar(&cfg.Data.TgtLang, "tgt", cfg.Data.TgtLang, "target language")
		fs.Float64Var(&cfg.Data.Dev, "dev", cfg.Data.Dev, "fraction held out as the dev set, grouped by sentence")
		fs.IntVar(&cfg.Data.MaxWords, "max-words", cfg.Data.MaxWords, "drop training pairs with a side longer than this (0: keep all)")
		fs.StringVar(&cfg.Level, "level", cfg.Level, "tokens: word, or wordpiece (subword units learnt from the pairs, --max-vocab a side)")
		fs.IntVar(&cfg.MinCount, "min-count", cfg.MinCount, "drop words seen fewer times from the vocabularies")
		fs.IntVar(&cfg.MaxVocab, "max-vocab", cfg.MaxVocab, "largest vocabulary per side (0: no limit)")
	}
	fs.IntVar(&cfg.Hidden, "hidden", cfg.Hidden, "hidden units of the decoder (the encoder has half each way)")
	fs.IntVar(&cfg.Embed, "embed", cfg.Embed, "embedding width")
	fs.IntVar(&cfg.EncoderLayers, "layers", cfg.EncoderLayers, "encoder layers: a bidirectional one, then unidirectional")
	fs.IntVar(&cfg.Residual, "residual", cfg.Residual, "residual connections from this encoder layer up (GNMT: 2; 0: none)")
	fs.StringVar(&cfg.Cell, "cell", cfg.Cell, "recurrent cell: lstm or gru")
	attention := fs.String("attention", cfg.Attention, "attention: bahdanau (additive), luong (general) or dot")
	fs.Float64Var(&cfg.Dropout, "dropout", cfg.Dropout, "dropout on embeddings and outputs while training")
	fs.Float64Var(&cfg.TeacherForcing, "teacher-forcing", 1, "probability of feeding the reference word, per step")
	fs.BoolVar(&cfg.Pipeline, "pipeline", false, "GNMT's model parallelism: the encoder's layers each on a goroutine, pipelined over the source steps (the same numbers)")
	fs.BoolVar(&cfg.QuantAware, "quant-aware", false, "quantization-aware training for int8 decoding: clip cells, residuals and logits, δ annealed 8 → 1")
	fs.IntVar(&cfg.Batch, "batch", cfg.Batch, "sentence pairs per step")
	fs.Float64Var(&cfg.LR, "lr", cfg.LR, "Adam learning rate")
	fs.Float64Var(&cfg.LREnd, "lr-end", cfg.LREnd, "let the learning rate fall linearly to this over the run (0: constant)")
	fs.Float64Var(&cfg.Clip, "clip", cfg.Clip, "global gradient norm clip (0: off)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed: weights, batches, dropout and the split")
	valSentences := fs.Int("val-sentences", translate.DevSample, "dev pairs scored every --val-every steps, taken evenly across the dev set (0: all); the end of the run scores all of them")
	tf := addTrainFlags(fs, trainDefaults{out: strings.Fields(name)[1] + ".safetensors", steps: defaultSteps, saveEvery: 500, logEvery: 50, valEvery: 500})
	restore, err := tf.parse(fs, args)
	if err != nil {
		return err
	}
	defer restore()
	if tf.set["pairs"] && tf.set["dataset"] {
		return usageError{"--pairs and --dataset: choose one"}
	}
	if tf.set["pairs"] {
		cfg.Data.Dataset = ""
	}
	cfg.Attention = map[string]string{"luong": "general"}[*attention]
	if cfg.Attention == "" {
		cfg.Attention = *attention
	}
	cfg.Data.Seed = cfg.Seed

	var (
		t       *translate.Translator
		resumed *checkpoint.State
	)
	if *tf.resume != "" {
		if t, resumed, err = translate.Open(*tf.resume); err != nil {
			return err
		}
		if err := tf.fixed("hidden", "embed", "layers", "residual", "cell", "attention", "dataset", "pairs", "src", "tgt", "dev", "max-words", "min-count", "max-vocab", "seed", "batch", "quant-aware", "level", "pipeline"); err != nil {
			return err
		}
		if tf.set["lr"] {
			t.Config.LR = cfg.LR
		}
		if tf.set["lr-end"] {
			t.Config.LREnd = cfg.LREnd
		}
		if tf.set["clip"] {
			t.Config.Clip = cfg.Clip
		}
		cfg = t.Config
	}
	train, dev, err := cfg.Data.Load()
	if err != nil {
		return err
	}
	if t == nil {
		if t, err = translate.New(cfg, train); err != nil {
			return usageError{err.Error()}
		}
	}
	tr, err := translate.NewTrainer(t, train)
	if err != nil {
		return err
	}
	tr.Workers, tr.Dev, tr.DevSample = *tf.workers, dev, *valSentences
	if resumed != nil {
		if err := tr.Restore(resumed); err != nil {
			return fmt.Errorf("%s: %w", *tf.resume, err)
		}
	}
	c := t.Config
	fmt.Fprintf(stderr, "%s: %s %s→%s: %d training pairs, %d dev; vocabularies %d and %d\n",
		name, c.Data.Name(), c.Data.SrcLang, c.Data.TgtLang, len(train), len(dev), t.Src.Size(), t.Tgt.Size())
	fmt.Fprintf(stderr, "%s: %s cells, %d hidden, %d embed, %d encoder layer(s), %s attention, %d parameters, %v products\n",
		name, c.Cell, c.Hidden, c.Embed, c.EncoderLayers, c.Attention, nn.CountParams(t.Model.Params()), tf.precision)
	return tf.run(loopRun{name: name, loop: tr.Loop}, stdout, stderr)
}

// decodeFlags are the decoding options shared by translate and bench.
type decodeFlags struct {
	model       *string
	int8        *bool
	beam        *int
	alpha, beta *float64
	margin      *float64
	batch       *int
}

func addDecodeFlags(fs *flag.FlagSet, batch int) decodeFlags {
	return decodeFlags{
		model:  fs.String("model", "", "checkpoint written by 'seq2go train translate' or 'train dates' (required)"),
		int8:   fs.Bool("int8", false, "decode with int8 products (GNMT-style quantization)"),
		beam:   fs.Int("beam", 1, "beam width (1: greedy)"),
		alpha:  fs.Float64("alpha", 0.6, "length penalty α of beam search (GNMT)"),
		beta:   fs.Float64("beta", 0.2, "coverage penalty β of beam search (GNMT)"),
		margin: fs.Float64("margin", 0, "beam search prunes words and hypotheses this far (log-probability) below the best (0: no pruning)"),
		batch:  fs.Int("batch", batch, "sentences decoded together"),
	}
}

func (d decodeFlags) options() seq2seq.BeamOptions {
	if *d.beam <= 1 {
		return seq2seq.BeamOptions{}
	}
	return seq2seq.BeamOptions{Width: *d.beam, Alpha: *d.alpha, Beta: *d.beta, Margin: *d.margin}
}

// load reads the model, quantized when asked.
func (d decodeFlags) load() (*translate.Translator, error) {
	if *d.model == "" {
		return nil, usageError{"--model FILE is required"}
	}
	if *d.beam < 1 || *d.batch < 1 {
		return nil, usageError{"--beam and --batch must be at least 1"}
	}
	t, err := translate.Load(*d.model)
	if err != nil || !*d.int8 {
		return t, err
	}
	return t.Quantize()
}

func translateLines(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("translate", stderr)
	df := addDecodeFlags(fs, 32)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	t, err := df.load()
	if err != nil {
		return err
	}
	return translateStream(t, os.Stdin, stdout, stderr, df.options(), *df.batch, training.IsTerminal(os.Stdin))
}

// translateStream translates in line by line to out: one output line per
// input line, always, so that outputs stay aligned with inputs. Lines are
// decoded batch at a time, or one by one when in is a terminal, where the
// user waits for each answer.
func translateStream(t *translate.Translator, in io.Reader, out, stderr io.Writer, opt seq2seq.BeamOptions, batch int, interactive bool) error {
	if interactive {
		batch = 1
	}
	r := bufio.NewReader(in)
	w := bufio.NewWriter(out)
	var lines []string
	lineNo := 0
	flush := func() error {
		for i, res := range t.TranslateAll(lines, opt, batch) {
			if res.Err != nil {
				fmt.Fprintf(stderr, "seq2go translate: line %d: %v; writing an empty line\n", lineNo-len(lines)+i+1, res.Err)
			}
			fmt.Fprintln(w, res.Text)
		}
		lines = lines[:0]
		return w.Flush()
	}
	for {
		line, err := r.ReadString('\n')
		if line != "" || err == nil {
			lineNo++
			lines = append(lines, strings.TrimRight(line, "\r\n"))
			if len(lines) == batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return fmt.Errorf("reading standard input: %w", err)
		}
	}
}

func benchTranslate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench translate", stderr)
	df := addDecodeFlags(fs, 32)
	test := fs.String("test", "", "test pairs, source<TAB>target (default: the model's dev set)")
	limit := fs.Int("sentences", 0, "score only the first N test pairs (0: all)")
	plotFile := fs.String("plot", "", "draw the attention of one test sentence to this PNG file")
	sentence := fs.Int("sentence", 1, "which test sentence --plot draws (1-based)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *df.int8 {
		return usageError{"bench translate: --int8 is not needed: the table has both rows"}
	}
	t, err := df.load()
	if err != nil {
		return err
	}
	pairs, source, err := testPairs(t, *test)
	if err != nil {
		return err
	}
	if *limit > 0 {
		pairs = pairs[:min(*limit, len(pairs))]
	}
	q, err := t.Quantize()
	if err != nil {
		return err
	}
	opt := df.options()
	fmt.Fprintf(stdout, "%s: %d sentences, %s, batch %d\n\n", source, len(pairs), decodeName(opt), *df.batch)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tBLEU\tlog perplexity\tdecoding time\tsentences/s\tmodel size\t")
	rows := []struct {
		name string
		t    *translate.Translator
	}{{"float64", t}, {"int8", q}}
	for _, row := range rows {
		sc := row.t.Evaluate(pairs, opt, *df.batch)
		fmt.Fprintf(tw, "%s\t%.2f\t%.4f\t%s\t%.1f\t%s\t\n", row.name, sc.BLEU, sc.LogPerplexity,
			sc.Decoding.Round(time.Millisecond), sc.SentencesPerSecond(), megabytes(row.t.Bytes()))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if *plotFile != "" {
		if *sentence < 1 || *sentence > len(pairs) {
			return usageError{fmt.Sprintf("--sentence %d: want 1 to %d", *sentence, len(pairs))}
		}
		res := t.Translate(pairs[*sentence-1].Src, opt)
		if err := res.AttentionPlot().Save(*plotFile); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nattention of %q → %q drawn to %s\n", pairs[*sentence-1].Src, res.Text, *plotFile)
	}
	return nil
}

// testPairs returns the pairs of file, or the model's own dev set.
func testPairs(t *translate.Translator, file string) ([]data.Pair, string, error) {
	if file == "" {
		_, dev, err := t.Config.Data.Load()
		return dev, t.Config.Data.Name() + " dev set", err
	}
	pairs, err := data.ReadPairsFile(file)
	return pairs, file, err
}

func decodeName(opt seq2seq.BeamOptions) string {
	if opt.Width <= 1 {
		return "greedy"
	}
	return fmt.Sprintf("beam %d (α %.2g, β %.2g)", opt.Width, opt.Alpha, opt.Beta)
}

func megabytes(n int) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }
