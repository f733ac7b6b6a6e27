package tagger

import (
	"fmt"
	"math"
)

// Config describes a tagger and how it is trained.
type Config struct {
	Tagset string // "upos" (17 universal tags), "xpos" (the treebank's own: Penn tags for English) or "both" (two output layers)
	Char   string // the character-level word representation: "lstm", "cnn" or "none"
	CRF    bool   // a CRF output layer with Viterbi decoding instead of a softmax per word

	WordDim    int // E, the word embedding width
	CharDim    int // C, the character embedding width
	CharHidden int // char BiLSTM units per direction (representation 2·CharHidden), or CNN filters
	CharWidth  int // CNN window, in characters (odd)
	MaxChars   int // longer words are read as their first and last MaxChars/2 characters
	Hidden     int // H, the word BiLSTM's units per direction
	Layers     int // stacked word BiLSTM layers

	Dropout     float64 // on the BiLSTM's input and output while training
	WordDropout float64 // α: a training word seen c times is read as <unk> with probability α/(α+c)
	Batch       int     // sentences per step
	LR          float64 // Adam's learning rate
	Clip        float64 // global gradient norm clip (0: none)
	Seed        uint64  // weights, batch order, dropout
}

// DefaultConfig is the command line's tagger: UPOS, a character BiLSTM of
// 2×50 under a word BiLSTM of 2×128 over 100-wide word embeddings, the
// sizes of Plank, Søgaard & Goldberg (2016), "Multilingual Part-of-Speech
// Tagging with Bidirectional Long Short-Term Memory Models", with dropout.
func DefaultConfig() Config {
	return Config{
		Tagset: "upos", Char: "lstm",
		WordDim: 100, CharDim: 32, CharHidden: 50, CharWidth: 3, MaxChars: 20, Hidden: 128, Layers: 1,
		Dropout: 0.33, WordDropout: 0.25, Batch: 32, LR: 2e-3, Clip: 5, Seed: 1,
	}
}

// SmallConfig is a tagger that trains in seconds, the tutorial's: a
// quarter of the default's width, and a higher learning rate for a short
// run (400 steps on 4,000 EWT sentences reach about 91 % on dev).
func SmallConfig() Config {
	c := DefaultConfig()
	c.WordDim, c.CharDim, c.CharHidden, c.Hidden = 48, 16, 24, 48
	c.LR = 5e-3
	return c
}

// Validate reports the first field that is out of range.
func (c Config) Validate() error {
	switch {
	case c.Tagset != "upos" && c.Tagset != "xpos" && c.Tagset != "both":
		return fmt.Errorf("tagger: tagset %q: want upos, xpos or both", c.Tagset)
	case c.Char != "lstm" && c.Char != "cnn" && c.Char != "none":
		return fmt.Errorf("tagger: char %q: want lstm, cnn or none", c.Char)
	case c.WordDim < 1 || c.Hidden < 1:
		return fmt.Errorf("tagger: word dim %d, hidden %d: want at least 1", c.WordDim, c.Hidden)
	case c.Char != "none" && (c.CharDim < 1 || c.CharHidden < 1 || c.MaxChars < 2):
		return fmt.Errorf("tagger: char dim %d, char hidden %d, max chars %d: want at least 1, 1 and 2", c.CharDim, c.CharHidden, c.MaxChars)
	case c.Char == "cnn" && (c.CharWidth < 1 || c.CharWidth%2 == 0):
		return fmt.Errorf("tagger: char width %d: want an odd number", c.CharWidth)
	case c.Layers < 1 || c.Layers > 4:
		return fmt.Errorf("tagger: layers %d: want 1 to 4", c.Layers)
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return fmt.Errorf("tagger: dropout %v: want a number in [0, 1)", c.Dropout)
	case !(c.WordDropout >= 0) || math.IsInf(c.WordDropout, 0):
		return fmt.Errorf("tagger: word dropout %v: want α ≥ 0", c.WordDropout)
	case c.Batch < 1:
		return fmt.Errorf("tagger: batch %d: want at least 1", c.Batch)
	case !(c.LR > 0):
		return fmt.Errorf("tagger: lr %v: want a positive number", c.LR)
	case !(c.Clip >= 0):
		return fmt.Errorf("tagger: clip %v: want 0 (none) or a positive number", c.Clip)
	}
	return nil
}

// tagsets returns the tagsets of c.Tagset, each an output layer.
func (c Config) tagsets() []string {
	if c.Tagset == "both" {
		return []string{"upos", "xpos"}
	}
	return []string{c.Tagset}
}

// charOut returns the width of the character representation of a word.
func (c Config) charOut() int {
	switch c.Char {
	case "lstm":
		return 2 * c.CharHidden
	case "cnn":
		return c.CharHidden
	}
	return 0
}
