package translate

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/plot"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/tasks"
	"github.com/seq2go/seq2go/lib/wordpiece"
	"gonum.org/v1/gonum/mat"
)

// Config is everything that defines a translator and its training. The
// embedded seq2seq.Config sets the model's shape; its vocabulary sizes, BOS
// and EOS are filled in by New.
type Config struct {
	seq2seq.Config
	// Level is "word" (the default when empty), "wordpiece" (GNMT's
	// subword units, learnt from the training pairs by lib/wordpiece, up to
	// MaxVocab pieces a side) or "char".
	Level string
	// MinCount drops words seen fewer times from the vocabularies; MaxVocab
	// caps their sizes (0: no cap).
	MinCount, MaxVocab int
	Batch              int     // sentence pairs per step
	LR                 float64 // Adam's learning rate
	// LREnd, if positive, makes the learning rate fall in a straight line
	// from LR at step 0 to LREnd at the run's last step (optim.LinearDecay);
	// 0 keeps LR throughout. Adam at a constant rate keeps jumping out of
	// the minimum once the loss is near zero, as on the date task; the
	// decay lets the last steps settle.
	LREnd float64
	Clip  float64 // global gradient norm clip; 0 turns it off
	Seed  uint64  // weights, batch order, dropout
	// QuantAware trains for int8 decoding (GNMT §6): the model's clip δ
	// (seq2seq.Model.SetClip) is annealed from 8 to 1 over the run.
	QuantAware bool
	// Data is where the pairs come from, saved with the model.
	Data Data
}

// DefaultConfig returns the word-level settings of `seq2go train
// translate`: a bidirectional GRU encoder and a GRU decoder of 256 units
// with additive attention and input feeding.
func DefaultConfig() Config {
	return Config{
		Config: seq2seq.Config{Embed: 128, Hidden: 256, Cell: "gru", EncoderLayers: 1,
			Attention: "bahdanau", Dropout: 0.2},
		Level: "word", MinCount: 2, MaxVocab: 8000, Batch: 64, LR: 0.002, Clip: 5, Seed: 1,
		Data: Data{Dataset: "tatoeba-eng-nld", SrcLang: "nl", TgtLang: "en", Dev: 0.1, MaxWords: 20, Seed: 1},
	}
}

// DatesConfig returns the character-level settings of `seq2go train
// dates`: a small model that learns to normalise dates (tasks.Dates) in
// 2,000 steps, about 30 s of one core, its learning rate falling from
// 0.005 to 0.0001 over the run.
func DatesConfig() Config {
	return Config{
		Config: seq2seq.Config{Embed: 32, Hidden: 64, Cell: "gru", EncoderLayers: 1, Attention: "bahdanau"},
		Level:  "char", Batch: 32, LR: 0.005, LREnd: 0.0001, Clip: 5, Seed: 1,
		Data: Data{Dataset: "dates", SrcLang: "text", TgtLang: "iso", Seed: 1},
	}
}

// MaxSourceTokens is the longest source a Translator translates; a longer
// line gets ErrTooLong (its attention matrix and decoding time grow with
// its length, and no training sentence comes near it).
const MaxSourceTokens = 400

// ErrTooLong is wrapped by the error of a line longer than MaxSourceTokens.
var ErrTooLong = errors.New("translate: line too long")

// ErrNotADate is wrapped by the error of a line whose translation by a date
// model (Data.Dataset "dates") is not a date that exists (tasks.CheckDate):
// its Text is then empty, never an impossible date such as 1983-19-17.
var ErrNotADate = errors.New("translate: the translation is not a date")

// space stands for a space at the character level, so that vocabulary
// files, one token a line, can hold it (sentencepiece's choice).
const space = "▁"

// Translator is a trained model with its vocabularies: strings in,
// strings out.
type Translator struct {
	Config   Config
	Model    *seq2seq.Model
	Src, Tgt *data.WordVocab
	// SrcPieces and TgtPieces split words into wordpieces at the
	// "wordpiece" level; nil otherwise.
	SrcPieces, TgtPieces *wordpiece.Vocab
}

// Result is one translated line.
type Result struct {
	Text        string   // the translation, detokenised
	Source      []string // the source tokens the model read
	Tokens      []string // the target tokens it wrote, <unk>s replaced
	Translation seq2seq.Translation
	Err         error // ErrTooLong; then Text is empty
}

// sourceTokens returns the tokens of a source sentence as written and as
// the model reads them (lower-cased at the word level).
func (t *Translator) sourceTokens(s string) (written, read []string) {
	switch t.Config.Level {
	case "char":
		toks := chars(s)
		return toks, toks
	case "wordpiece":
		toks := t.SrcPieces.Tokenize(strings.Join(data.TokenizeLower(s), " "))
		return toks, toks
	}
	written = data.Tokenize(s)
	read = make([]string, len(written))
	for i, w := range written {
		read[i] = strings.ToLower(w)
	}
	return written, read
}

// targetTokens returns the tokens of a target sentence.
func (t *Translator) targetTokens(s string) []string {
	switch t.Config.Level {
	case "char":
		return chars(s)
	case "wordpiece":
		return t.TgtPieces.Tokenize(strings.Join(data.Tokenize(s), " "))
	}
	return data.Tokenize(s)
}

// chars splits s into characters, spaces written as "▁".
func chars(s string) []string {
	var toks []string
	for _, r := range s {
		if unicode.IsSpace(r) {
			toks = append(toks, space)
			continue
		}
		toks = append(toks, string(r))
	}
	return toks
}

// Detokenize joins target tokens into text: characters side by side,
// wordpieces into words, and words with spaces, except before closing
// punctuation and around the apostrophe of a contraction ("don ' t ." →
// "don't.").
func (t *Translator) Detokenize(tokens []string) string {
	switch t.Config.Level {
	case "char":
		return strings.ReplaceAll(strings.Join(tokens, ""), space, " ")
	case "wordpiece":
		return joinWords(strings.Fields(t.TgtPieces.Detokenize(tokens)))
	}
	return joinWords(tokens)
}

// joinWords joins words and punctuation as Detokenize describes.
func joinWords(tokens []string) string {
	var b strings.Builder
	for i, w := range tokens {
		glue := i == 0 || strings.ContainsAny(w, ".,!?;:%)]}") && len(w) == 1 ||
			w == "'" || i > 0 && tokens[i-1] == "'" || i > 0 && strings.ContainsAny(tokens[i-1], "([{¿¡") && len(tokens[i-1]) <= 2
		if !glue {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// encodePair returns the ids of a training pair.
func (t *Translator) encodePair(p data.Pair) (src, tgt []int) {
	_, read := t.sourceTokens(p.Src)
	return t.Src.Encode(read), t.Tgt.Encode(t.targetTokens(p.Tgt))
}

// Translate translates one line (see TranslateAll).
func (t *Translator) Translate(line string, opt seq2seq.BeamOptions) Result {
	return t.TranslateAll([]string{line}, opt, 1)[0]
}

// TranslateAll translates lines, batch sentences at a time
// (seq2seq.Model.Decode: greedy for a width of 1, beam search otherwise,
// each batch shared out among the cores). An empty line (no tokens) gives
// an empty Result, a line of more than MaxSourceTokens tokens a Result with
// Err set, and so does a date model's translation that is not a date
// (ErrNotADate, Text empty, Tokens as decoded); none stops the others.
func (t *Translator) TranslateAll(lines []string, opt seq2seq.BeamOptions, batch int) []Result {
	batch = max(batch, 1)
	out := make([]Result, len(lines))
	var idx []int // lines to decode
	var src [][]int
	flush := func() {
		if len(src) == 0 {
			return
		}
		for k, tr := range t.Model.Decode(src, opt) {
			r := &out[idx[k]]
			t.finish(r, tr)
			if t.Config.Data.Dataset != "dates" {
				continue
			}
			if err := tasks.CheckDate(r.Text); err != nil {
				r.Err = fmt.Errorf("%w: %q: %v", ErrNotADate, lines[idx[k]], err)
				r.Text = ""
			}
		}
		idx, src = idx[:0], src[:0]
	}
	for i, line := range lines {
		written, read := t.sourceTokens(line)
		out[i].Source = written
		switch {
		case len(read) == 0:
			continue
		case len(read) > MaxSourceTokens:
			out[i].Err = fmt.Errorf("%w: %d tokens, the limit is %d", ErrTooLong, len(read), MaxSourceTokens)
			continue
		}
		idx, src = append(idx, i), append(src, t.Src.Encode(read))
		if len(src) == batch {
			flush()
		}
	}
	flush()
	return out
}

// AttentionPlot returns the heat map of r's attention: the target tokens
// down the side, the source tokens along the bottom.
func (r Result) AttentionPlot() *plot.HeatMap {
	a := mat.NewDense(max(len(r.Tokens), 1), max(len(r.Source), 1), nil)
	for i, row := range r.Translation.Attention {
		for j, v := range row[:min(len(row), len(r.Source))] {
			a.Set(i, j, v)
		}
	}
	rows, cols := r.Tokens, r.Source
	if len(rows) == 0 {
		rows = []string{""}
	}
	if len(cols) == 0 {
		cols = []string{""}
	}
	h := plot.NewHeatMap(a, rows, cols)
	h.Title, h.XLabel, h.YLabel = "attention", "source", "translation"
	return h
}

// finish fills r from a decoded translation: tokens, <unk> replacement by
// the most attended source word, and the text.
func (t *Translator) finish(r *Result, tr seq2seq.Translation) {
	r.Translation = tr
	r.Tokens = t.Tgt.Decode(tr.Tokens)
	for k, id := range tr.Tokens {
		if id == data.UnkID && k < len(tr.Attention) && len(r.Source) > 0 {
			j := 0
			for i, a := range tr.Attention[k] {
				if a > tr.Attention[k][j] {
					j = i
				}
			}
			if j < len(r.Source) {
				r.Tokens[k] = r.Source[j]
			}
		}
	}
	r.Text = t.Detokenize(r.Tokens)
}
