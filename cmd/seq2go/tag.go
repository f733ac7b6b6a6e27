package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/tagger"
)

func init() {
	commands["tag"] = command{"part-of-speech tag standard input: CoNLL-U filled in, or text a sentence a line (--model FILE)", tagLines}
}

func tagLines(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("tag", stderr)
	format := fs.String("input", "auto", "standard input is conllu (tags filled in, every other line kept), text (one sentence a line, tokenised, written as CoNLL-U) or auto")
	tf := addTaggerFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	t, restore, err := tf.tagger("tag")
	if err != nil {
		return err
	}
	defer restore()
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		return fmt.Errorf("reading standard input: %w", err)
	}
	sents, err := readTagInput(in, *format)
	if err != nil {
		return err
	}
	t.Tag(sents)
	return data.WriteCoNLLU(stdout, sents)
}

// taggerFlags are the flags of the commands that tag with a trained model
// (tag, bench tagger).
type taggerFlags struct {
	model     *string
	batch     *int
	precision *precisionFlag
}

func addTaggerFlags(fs *flag.FlagSet) taggerFlags {
	f := taggerFlags{
		model:     fs.String("model", "", "tagger checkpoint written by 'seq2go train tagger' (required)"),
		batch:     fs.Int("batch", 64, "sentences tagged together"),
		precision: &precisionFlag{blas.Float32},
	}
	fs.Var(f.precision, "precision", "arithmetic of the matrix products: float32 (as the tagger trained) or float64")
	return f
}

// tagger checks the flags, sets the products' precision (restore puts the
// previous one back) and loads the model into a Tagger.
func (f taggerFlags) tagger(cmd string) (t *tagger.Tagger, restore func(), err error) {
	if *f.model == "" {
		return nil, nil, usageError{cmd + ": --model FILE is required"}
	}
	if *f.batch < 1 {
		return nil, nil, usageError{cmd + ": --batch must be at least 1"}
	}
	m, err := tagger.Load(*f.model)
	if err != nil {
		return nil, nil, err
	}
	prev := blas.SetPrecision(f.precision.p)
	t = tagger.NewTagger(m)
	t.Batch = *f.batch
	return t, func() { blas.SetPrecision(prev) }, nil
}

// readTagInput reads CoNLL-U or plain text (format auto decides by the
// first line that is not blank: a comment or ten tab-separated columns is
// CoNLL-U). Text becomes one sentence a non-blank line, tokenised as the
// treebank is, with "# sent_id" and "# text" comments.
func readTagInput(in []byte, format string) ([]data.Sentence, error) {
	if format == "auto" {
		format = "text"
		for _, line := range strings.Split(string(in), "\n") {
			line = strings.TrimRight(line, "\r")
			if strings.TrimSpace(line) == "" {
				continue
			}
			if strings.HasPrefix(line, "#") || strings.Count(line, "\t") == 9 {
				format = "conllu"
			}
			break
		}
	}
	switch format {
	case "conllu":
		return data.ReadCoNLLU(bytes.NewReader(in), "standard input")
	case "text":
		lines, err := data.ReadLines(bytes.NewReader(in), "standard input")
		if err != nil {
			return nil, err
		}
		var sents []data.Sentence
		for _, line := range lines {
			words := tagger.Tokenize(line)
			if len(words) == 0 {
				continue
			}
			s := data.NewSentence(words)
			s.Comments = []string{"# sent_id = " + strconv.Itoa(len(sents)+1), "# text = " + strings.Join(strings.Fields(line), " ")}
			sents = append(sents, s)
		}
		return sents, nil
	}
	return nil, usageError{fmt.Sprintf("tag: --input %q: want conllu, text or auto", format)}
}
