package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/seq2go/seq2go/lib/plot"
	"github.com/seq2go/seq2go/lib/training"
	"github.com/seq2go/seq2go/lib/word2vec"
)

func init() {
	trainers["word2vec"] = command{"train word vectors: skip-gram or CBOW, negative sampling or hierarchical softmax", trainWord2Vec}
	commands["vectors"] = command{"use word vectors: neighbours, analogy, eval, plot (--vectors FILE)", vectors}
}

func trainWord2Vec(args []string, stdout, stderr io.Writer) error {
	def := word2vec.DefaultConfig()
	fs := newFlagSet("train word2vec", stderr)
	corpus := fs.String("corpus", "", "training text file, words separated by white space, a sentence a line (.gz is decompressed)")
	dataset := fs.String("dataset", "", "embedded corpus to train on instead of --corpus (default gutenberg-en)")
	split := fs.String("split", "", "how to cut the text into words: space (as is; default for --corpus) or letters (lower-cased runs of letters; default for --dataset)")
	dim := fs.Int("dim", def.Dim, "vector size")
	window := fs.Int("window", def.Window, "largest distance to a context word")
	negative := fs.Int("negative", def.Negative, "noise words per target for negative sampling (0: off)")
	hs := fs.Bool("hs", false, "hierarchical softmax (use --negative 0 for hierarchical softmax alone)")
	sample := fs.Float64("sample", def.Sample, "sub-sampling threshold for frequent words (0: off)")
	cbow := fs.Bool("cbow", false, "continuous bag of words")
	sg := fs.Bool("sg", false, "skip-gram (the default)")
	minCount := fs.Int("min-count", def.MinCount, "drop words seen fewer times")
	threads := fs.Int("threads", runtime.NumCPU(), "goroutines training at once (1 is reproducible)")
	epochs := fs.Int("epochs", def.Epochs, "passes over the corpus")
	alpha := fs.Float64("alpha", 0, "starting learning rate (default 0.025 skip-gram, 0.05 CBOW)")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "vectors.bin", "vector file to write: word2vec binary for .bin, text otherwise")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cbow && *sg {
		return usageError{"train word2vec: --cbow and --sg exclude each other"}
	}
	if *corpus != "" && *dataset != "" {
		return usageError{"train word2vec: give --corpus or --dataset, not both"}
	}
	cfg := word2vec.Config{Dim: *dim, Window: *window, Negative: *negative, HS: *hs, CBOW: *cbow, Sample: *sample,
		MinCount: *minCount, Epochs: *epochs, Alpha: *alpha, Threads: *threads}
	if cfg.Alpha == 0 {
		cfg.Alpha = 0.025
		if cfg.CBOW {
			cfg.Alpha = 0.05
		}
	}
	if err := cfg.Validate(); err != nil {
		return usageError{strings.TrimPrefix(err.Error(), "word2vec: ")}
	}

	var c *word2vec.Corpus
	switch {
	case *corpus != "":
		s := word2vec.SplitSpace
		if *split != "" {
			var err error
			if s, err = parseSplit(*split); err != nil {
				return err
			}
		}
		if _, err := os.Stat(*corpus); err != nil {
			return err
		}
		c = word2vec.NewFileCorpus(*corpus, s)
	default:
		if *dataset == "" {
			*dataset = "gutenberg-en"
		}
		if *split != "" && *split != "letters" {
			return usageError{"train word2vec: an embedded corpus is read with --split letters"}
		}
		var err error
		if c, err = word2vec.NewDatasetCorpus(*dataset); err != nil {
			return err
		}
	}

	start := time.Now()
	t, err := word2vec.NewTrainer(rand.New(rand.NewPCG(*seed, 0)), c, cfg)
	if err != nil {
		return err
	}
	v := t.Vocab
	fmt.Fprintf(stderr, "word2vec: %s (%s): %d words, vocabulary %d with min-count %d (%d words to train on per epoch), read in %s\n",
		c.Name(), c.Split(), v.CorpusWords(), v.Len(), cfg.MinCount, v.Total(), time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stderr, "word2vec: %s\n", cfg)

	// Hogwild's threads keep their own inner loop (word2vec.Trainer.Run);
	// the driver does the rest: progress, Ctrl-C, the final line.
	var last training.Progress
	train := func(ctx context.Context, report func(training.Progress)) error {
		err := t.Run(ctx, report)
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		if serr := saveVectors(t.Vectors(), *out); serr != nil {
			return serr
		}
		return err
	}
	tenth := max(cfg.Epochs*int(v.Total())/10, 1) // a log line every 10 %
	err = drive(job{name: "word2vec", out: *out, what: "vectors", logEvery: tenth, run: train,
		onStep: func(p training.Progress) string { last = p; return "" }}, stdout, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "word2vec: %d words in %s, %.0f words/s with threads=%d; %d vectors of %d saved to %s\n",
		last.Step, last.Elapsed.Round(time.Millisecond), last.TokensPerSecond(), cfg.Threads, v.Len(), cfg.Dim, *out)
	fmt.Fprintf(stdout, "final words=%d seconds=%.3f words_per_sec=%.0f vocabulary=%d\n", last.Step, last.Elapsed.Seconds(), last.TokensPerSecond(), v.Len())
	return nil
}

// saveVectors writes vecs to path unless a vector is not finite: a
// training gone wrong must not overwrite a good file.
func saveVectors(vecs *word2vec.Vectors, path string) error {
	for i := 0; i < vecs.Len(); i++ {
		for j, x := range vecs.Row(i) {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("the vector of %q is %v at %d: not saved to %s", vecs.Word(i), x, j, path)
			}
		}
	}
	return vecs.Save(path)
}

func parseSplit(s string) (word2vec.Split, error) {
	switch s {
	case "space":
		return word2vec.SplitSpace, nil
	case "letters":
		return word2vec.SplitLetters, nil
	}
	return 0, usageError{fmt.Sprintf("--split %q: want space or letters", s)}
}

// vectorsVerbs are the sub-commands of `seq2go vectors`.
var vectorsVerbs = map[string]command{
	"neighbours": {"[-k N] WORD...          the nearest words by cosine", vectorsNeighbours},
	"analogy":    {"[-k N] A B C             A is to B as C is to ? (3CosAdd)", vectorsAnalogy},
	"eval":       {"[--questions FILE]       analogy accuracy per section (questions-words.txt)", vectorsEval},
	"plot":       {"[--out FILE.png] WORD... 2-D PCA picture (a,b,c: a group)", vectorsPlot},
}

func vectorsUsage() string {
	var b strings.Builder
	b.WriteString("usage:\n")
	for _, name := range sortedKeys(vectorsVerbs) {
		fmt.Fprintf(&b, "  seq2go vectors %-10s --vectors FILE %s\n", name, vectorsVerbs[name].summary)
	}
	return b.String()
}

func vectors(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) == 0 {
			return usageError{"vectors: which command?\n" + vectorsUsage()}
		}
		fmt.Fprint(stdout, vectorsUsage())
		return nil
	}
	verb, ok := vectorsVerbs[args[0]]
	if !ok && args[0] == "neighbors" {
		verb, ok = vectorsVerbs["neighbours"], true
	}
	if !ok {
		return usageError{fmt.Sprintf("vectors: unknown command %q\n%s", args[0], vectorsUsage())}
	}
	return verb.run(args[1:], stdout, stderr)
}

// vectorsFlags parses the flags shared by the vectors verbs, with flags
// before the positional words, and loads the vectors.
func vectorsFlags(fs *flag.FlagSet, args []string, words int) (*word2vec.Vectors, []string, error) {
	file := fs.String("vectors", "", "word2vec vector file, text or binary (required)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, err
		}
		return nil, nil, usageError{err.Error()}
	}
	if *file == "" {
		return nil, nil, usageError{fs.Name() + ": --vectors FILE is required"}
	}
	rest := fs.Args()
	switch {
	case words > 0 && len(rest) != words:
		return nil, nil, usageError{fmt.Sprintf("%s: want %d words, got %d", fs.Name(), words, len(rest))}
	case words < 0 && len(rest) == 0:
		return nil, nil, usageError{fs.Name() + ": which words?"}
	case words == 0 && len(rest) > 0:
		return nil, nil, usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), rest[0])}
	}
	v, err := word2vec.Load(*file)
	return v, rest, err
}

func vectorsNeighbours(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("vectors neighbours", stderr)
	k := fs.Int("k", 10, "neighbours per word")
	v, words, err := vectorsFlags(fs, args, -1)
	if err != nil {
		return err
	}
	for _, w := range words {
		ns, err := v.Nearest(w, *k)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s:\n", w)
		for _, n := range ns {
			fmt.Fprintf(stdout, "  %-20s %.4f\n", n.Word, n.Similarity)
		}
	}
	return nil
}

func vectorsAnalogy(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("vectors analogy", stderr)
	k := fs.Int("k", 5, "answers to show")
	v, w, err := vectorsFlags(fs, args, 3)
	if err != nil {
		return err
	}
	ns, err := v.Analogy(w[0], w[1], w[2], *k)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s is to %s as %s is to:\n", w[0], w[1], w[2])
	for _, n := range ns {
		fmt.Fprintf(stdout, "  %-20s %.4f\n", n.Word, n.Similarity)
	}
	return nil
}

func vectorsEval(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("vectors eval", stderr)
	questions := fs.String("questions", "", "analogy questions in questions-words.txt's layout (default: the embedded questions-words.txt)")
	restrict := fs.Int("restrict", word2vec.DefaultRestrict, "search only the most frequent N words, as compute-accuracy (0: all)")
	v, _, err := vectorsFlags(fs, args, 0)
	if err != nil {
		return err
	}
	var rep *word2vec.AnalogyReport
	if *questions == "" {
		rep, err = v.EvaluateQuestionsWords(*restrict)
	} else {
		f, ferr := os.Open(*questions)
		if ferr != nil {
			return ferr
		}
		defer f.Close()
		rep, err = v.EvaluateAnalogies(f, *restrict)
	}
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, rep)
	return nil
}

func vectorsPlot(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("vectors plot", stderr)
	out := fs.String("out", "", "draw the picture into this file: .png, .svg or .pdf (default: print the coordinates only)")
	title := fs.String("title", "word vectors, first two principal components", "title of the picture")
	v, args, err := vectorsFlags(fs, args, -1)
	if err != nil {
		return err
	}
	// Each argument is a word, or a comma-separated group of words drawn
	// in a colour of its own: man,woman,king,queen monday,friday paris,london
	var words []string
	var groups [][]string
	for _, a := range args {
		g := strings.FieldsFunc(a, func(r rune) bool { return r == ',' })
		groups = append(groups, g)
		words = append(words, g...)
	}
	p, err := v.PCA(words...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "# PCA of %d words: x explains %.1f%%, y %.1f%% of their variance\n", len(words), 100*p.Explained[0], 100*p.Explained[1])
	fmt.Fprint(stdout, p)
	if *out == "" {
		return nil
	}
	fig := plot.NewScatter(*title, fmt.Sprintf("PC 1 (%.0f%%)", 100*p.Explained[0]), fmt.Sprintf("PC 2 (%.0f%%)", 100*p.Explained[1]))
	if len(groups) == len(words) { // single words: one group, one colour
		groups = [][]string{words}
	}
	i := 0
	for _, g := range groups {
		fig.Add("", p.X[i:i+len(g)], p.Y[i:i+len(g)], g) // no legend: every point has its label
		i += len(g)
	}
	if err := fig.Save(*out); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "vectors plot: %s written\n", *out)
	return nil
}
