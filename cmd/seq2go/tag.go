package main

import (
	"bytes"
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
	model := fs.String("model", "", "tagger checkpoint written by 'seq2go train tagger' (required)")
	format := fs.String("input", "auto", "standard input is conllu (tags filled in, every other line kept), text (one sentence a line, tokenised, written as CoNLL-U) or auto")
	batch := fs.Int("batch", 64, "sentences tagged together")
	precision := &precisionFlag{blas.Float32}
	fs.Var(precision, "precision", "arithmetic of the matrix products: float32 (as the tagger trained) or float64")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	defer blas.SetPrecision(blas.SetPrecision(precision.p))
	if *model == "" {
		return usageError{"tag: --model FILE is required"}
	}
	if *batch < 1 {
		return usageError{"tag: --batch must be at least 1"}
	}
	m, err := tagger.Load(*model)
	if err != nil {
		return err
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		return fmt.Errorf("reading standard input: %w", err)
	}
	sents, err := readTagInput(in, *format)
	if err != nil {
		return err
	}
	t := tagger.NewTagger(m)
	t.Batch = *batch
	t.Tag(sents)
	return data.WriteCoNLLU(stdout, sents)
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
