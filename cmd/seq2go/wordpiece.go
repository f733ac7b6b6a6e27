package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/seq2go/seq2go/lib/wordpiece"
)

func init() {
	commands["wordpiece"] = command{"train a wordpiece vocabulary, or tokenize stdin with one (train|tokenize|detokenize)", wordpieceCmd}
}

// wordpieceStdin is what tokenize and detokenize read; tests replace it.
var wordpieceStdin io.Reader = os.Stdin

const wordpieceUsage = `wordpiece: which action? (train, tokenize, detokenize)

  seq2go wordpiece train --corpus FILE --size N [--style gnmt|bert|talk] [--algo bpe|wordpiece] [--bert] [--mixed] --out vocab.txt
  seq2go wordpiece tokenize --vocab FILE [--style auto|gnmt|bert|talk] [--bert [--cased] [--bert-rules original|latest]] [--mixed] [--ids] [--stats] < text > pieces
  seq2go wordpiece detokenize --vocab FILE [--style ...] [--mixed] [--ids] < pieces > text

--bert follows google-research/bert's tokenization.py at commit f18bd94, as Hugging Face's
BertTokenizer does (--bert-rules original: a word over 100 characters is [UNK]; every character
of Unicode category C, private-use and unassigned ones included, is dropped); --bert-rules latest
follows the reference's latest code (words up to 200 characters; only Cc and Cf dropped).
A vocabulary need not have an unknown piece: tokenize then fails on the first word it cannot
segment, naming the line and the word.`

func wordpieceCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{wordpieceUsage}
	}
	switch args[0] {
	case "train":
		return wordpieceTrain(args[1:], stdout, stderr)
	case "tokenize":
		return wordpieceTokenize(args[1:], stdout, stderr, false)
	case "detokenize":
		return wordpieceTokenize(args[1:], stdout, stderr, true)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, wordpieceUsage)
		return nil
	}
	return usageError{fmt.Sprintf("wordpiece: unknown action %q\n\n%s", args[0], wordpieceUsage)}
}

func wordpieceTrain(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("wordpiece train", stderr)
	corpus := fs.String("corpus", "", "training text, UTF-8 (required)")
	size := fs.Int("size", 8000, "vocabulary size, special pieces and the alphabet included")
	styleName := fs.String("style", "gnmt", "marker style: gnmt (▁ begins a word), bert (## continues one) or talk (_ begins a word)")
	algoName := fs.String("algo", "bpe", "merge criterion: bpe (pair count) or wordpiece (count(ab)/(count(a)·count(b)))")
	bert := fs.Bool("bert", false, "split words as BERT does (lower-case, strip accents, split punctuation); implies --style bert")
	mixed := fs.Bool("mixed", false, "GNMT's mixed word/character vocabulary instead: <B>/<M>/<E> characters and the most frequent words")
	out := fs.String("out", "vocab.txt", "vocabulary file to write, one piece per line")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *corpus == "" {
		return usageError{"wordpiece train: --corpus FILE is required"}
	}
	if *size < 1 {
		return usageError{fmt.Sprintf("wordpiece train: --size %d: want a positive count", *size)}
	}
	style, err := wordpiece.ParseStyle(*styleName)
	if err != nil {
		return usageError{err.Error()}
	}
	if *bert {
		style = wordpiece.BERT
	}
	algo, err := wordpiece.ParseAlgorithm(*algoName)
	if err != nil {
		return usageError{err.Error()}
	}
	f, err := os.Open(*corpus)
	if err != nil {
		return err
	}
	defer f.Close()

	start := time.Now()
	var vocab io.WriterTo
	var n int
	var what string
	var trainErr error
	if *mixed {
		m, err := wordpiece.TrainMixed(f, *corpus, *size)
		if m == nil {
			return err
		}
		vocab, n, what, trainErr = m, m.Size(), "mixed word/character", err
	} else {
		v, err := wordpiece.Train(f, *corpus, wordpiece.TrainConfig{Size: *size, Style: style, Algorithm: algo, Basic: *bert})
		if v == nil {
			return err
		}
		vocab, n, what, trainErr = v, v.Size(), fmt.Sprintf("%v, %v", algo, style), err
	}
	elapsed := time.Since(start)
	if err := writeVocab(*out, vocab); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wordpiece: %d pieces (%s) from %s in %s; wrote %s\n", n, what, *corpus, elapsed.Round(time.Millisecond), *out)
	if trainErr != nil {
		return fmt.Errorf("%w (the smaller vocabulary is in %s)", trainErr, *out)
	}
	return nil
}

// writeVocab writes a vocabulary file, reporting a failed close (a full disk).
func writeVocab(path string, v io.WriterTo) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := v.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// A tokenizer turns a line into pieces or ids and back.
type tokenizer struct {
	tokenize     func(string) []string
	encode       func(string) []int
	encodeStrict func(string) ([]int, error) // fails on a word that has no pieces
	detokenize   func([]string) string
	decode       func([]int) string
	piece        func(int) string
	size         int
	unknown      int // -1: the vocabulary has no unknown piece
}

// write writes ids, or their pieces, on one line.
func (tok tokenizer) write(w *bufio.Writer, xs []int, ids bool) {
	if ids {
		writeInts(w, xs)
		return
	}
	for i, x := range xs {
		if i > 0 {
			w.WriteByte(' ')
		}
		w.WriteString(tok.piece(x))
	}
}

func wordpieceTokenize(args []string, stdout, stderr io.Writer, inverse bool) error {
	name := "wordpiece tokenize"
	if inverse {
		name = "wordpiece detokenize"
	}
	fs := newFlagSet(name, stderr)
	vocabFile := fs.String("vocab", "", "vocabulary file, one piece per line (required)")
	styleName := fs.String("style", "auto", "marker style: auto (guess from the pieces), gnmt, bert or talk")
	bert := fs.Bool("bert", false, "BERT's whole tokenizer: clean, lower-case, strip accents, split punctuation and CJK, then wordpieces")
	cased := fs.Bool("cased", false, "with --bert: keep case and accents (BERT's cased models)")
	rulesName := fs.String("bert-rules", "original", "with --bert: original (commit f18bd94, as Hugging Face: words over 100 characters are [UNK], all of category C dropped) or latest (the reference's latest code: 200 characters, only Cc and Cf dropped)")
	mixed := fs.Bool("mixed", false, "the vocabulary is GNMT's mixed word/character one")
	ids := fs.Bool("ids", false, "write (or read) ids instead of pieces")
	stats := fs.Bool("stats", false, "report lines, pieces, unknown words and throughput on stderr (reads all input first)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *vocabFile == "" {
		return usageError{name + ": --vocab FILE is required"}
	}
	var style wordpiece.Style
	if *styleName != "auto" {
		s, err := wordpiece.ParseStyle(*styleName)
		if err != nil {
			return usageError{err.Error()}
		}
		style = s
	}
	if *bert {
		style = wordpiece.BERT
	}
	rules, err := wordpiece.ParseBERTRules(*rulesName)
	if err != nil {
		return usageError{err.Error()}
	}
	if rules != wordpiece.BERTOriginal && !*bert {
		return usageError{name + ": --bert-rules needs --bert"}
	}
	tok, err := loadTokenizer(*vocabFile, style, *bert, !*cased, *mixed, rules)
	if err != nil {
		return err
	}
	// Without an unknown piece a word that cannot be segmented has no
	// output: stop there, saying where.
	strict := func(lineNo int, err error) error {
		if err == nil {
			return nil
		}
		return fmt.Errorf("stdin:%d: %w (%s has no unknown piece)", lineNo, err, *vocabFile)
	}

	in := bufio.NewReaderSize(wordpieceStdin, 1<<16)
	out := bufio.NewWriterSize(stdout, 1<<16)
	defer out.Flush()
	if *stats {
		return tokenizeStats(in, out, stderr, tok, *ids, strict)
	}
	for lineNo := 1; ; lineNo++ {
		line, err := in.ReadString('\n')
		if line == "" && err != nil {
			if err == io.EOF {
				return out.Flush()
			}
			return err
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		switch {
		case inverse && *ids:
			fields := strings.Fields(line)
			xs := make([]int, len(fields))
			for i, f := range fields {
				x, err := strconv.Atoi(f)
				if err != nil || x < 0 || x >= tok.size {
					return fmt.Errorf("stdin:%d: %q is not an id of %s (0 to %d)", lineNo, f, *vocabFile, tok.size-1)
				}
				xs[i] = x
			}
			out.WriteString(tok.decode(xs))
		case inverse:
			out.WriteString(tok.detokenize(strings.Fields(line)))
		case tok.unknown < 0:
			xs, err := tok.encodeStrict(line)
			if err := strict(lineNo, err); err != nil {
				return err
			}
			tok.write(out, xs, *ids)
		case *ids:
			writeInts(out, tok.encode(line))
		default:
			out.WriteString(strings.Join(tok.tokenize(line), " "))
		}
		out.WriteByte('\n')
	}
}

// tokenizeStats reads all lines, times their tokenisation alone (no I/O),
// then writes the output and reports on stderr. strict turns a failed
// EncodeStrict into the command's error.
func tokenizeStats(in io.Reader, out *bufio.Writer, stderr io.Writer, tok tokenizer, ids bool, strict func(int, error) error) error {
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(data) == 0 {
		lines = nil
	}
	encoded := make([][]int, len(lines))
	start := time.Now()
	for i, line := range lines {
		if tok.unknown >= 0 {
			encoded[i] = tok.encode(line)
			continue
		}
		var err error
		encoded[i], err = tok.encodeStrict(line)
		if err := strict(i+1, err); err != nil {
			return err
		}
	}
	elapsed := time.Since(start)
	pieces, unknown := 0, 0
	for _, e := range encoded {
		pieces += len(e)
		for _, id := range e {
			if id == tok.unknown {
				unknown++
			}
		}
	}
	for _, e := range encoded {
		tok.write(out, e, ids)
		out.WriteByte('\n')
	}
	mbs := float64(len(data)) / 1e6 / elapsed.Seconds()
	fmt.Fprintf(stderr, "wordpiece: %d lines, %d bytes → %d pieces (%d unknown) in %s: %.2f MB/s, %.0f pieces/s\n",
		len(lines), len(data), pieces, unknown, elapsed.Round(time.Microsecond), mbs, float64(pieces)/elapsed.Seconds())
	return out.Flush()
}

func writeInts(w *bufio.Writer, xs []int) {
	var buf [20]byte
	for i, x := range xs {
		if i > 0 {
			w.WriteByte(' ')
		}
		w.Write(strconv.AppendInt(buf[:0], int64(x), 10))
	}
}

// loadTokenizer reads the vocabulary file and wraps the tokenizer asked for.
func loadTokenizer(path string, style wordpiece.Style, bert, lower, mixed bool, rules wordpiece.BERTRules) (tokenizer, error) {
	f, err := os.Open(path)
	if err != nil {
		return tokenizer{}, err
	}
	defer f.Close()
	if mixed {
		m, err := wordpiece.ReadMixedVocab(f, path)
		if err != nil {
			return tokenizer{}, err
		}
		// A mixed vocabulary always has <unk>, so encodeStrict is never needed.
		return tokenizer{m.Tokenize, m.Encode, nil, m.Detokenize, m.Decode, m.Token, m.Size(), m.UnknownID()}, nil
	}
	v, err := wordpiece.ReadVocab(f, path, style)
	if err != nil {
		return tokenizer{}, err
	}
	if bert {
		if v.Style().WordStart {
			return tokenizer{}, errors.New("--bert needs a vocabulary with ## continuations")
		}
		t := wordpiece.NewBERTTokenizer(v, lower)
		t.Rules = rules
		return tokenizer{t.Tokenize, t.Encode, t.EncodeStrict, t.Detokenize, t.Decode, v.Piece, v.Size(), v.UnknownID()}, nil
	}
	return tokenizer{v.Tokenize, v.Encode, v.EncodeStrict, v.Detokenize, v.Decode, v.Piece, v.Size(), v.UnknownID()}, nil
}
