package word2vec

import (
	"errors"
	"fmt"
)

// Config holds the training settings. The zero value is not usable; start
// from [DefaultConfig], word2vec.c's defaults, and change what you need.
type Config struct {
	Dim      int     // vector size d
	Window   int     // largest distance to a context word; each centre word draws its own window from 1..Window
	Negative int     // noise words per target for negative sampling; 0 turns negative sampling off
	HS       bool    // hierarchical softmax over the Huffman tree of the counts (with Negative > 0, both run)
	CBOW     bool    // continuous bag of words: predict the centre word from the mean of its context; false is skip-gram
	Sample   float64 // sub-sampling threshold s of [KeepProbability]; 0 keeps every word
	MinCount int     // words seen fewer times are dropped from the vocabulary and the text
	Epochs   int     // passes over the corpus
	Alpha    float64 // starting learning rate, decayed linearly to Alpha·1e-4; word2vec.c uses 0.025 for skip-gram, 0.05 for CBOW
	Threads  int     // goroutines training at once on their own parts of the corpus (Hogwild)

	// TableSize selects how negative samples are drawn from the unigram^0.75
	// distribution: 0 (the default) uses an exact alias table of V entries;
	// a positive size uses word2vec.c's table of that many slots (word2vec.c
	// has 1e8). See the noise type in sampling.go.
	TableSize int
}

// DefaultConfig returns word2vec.c's defaults for skip-gram with negative
// sampling: d = 100, window 5, 5 negatives, sample 1e-3, min-count 5,
// 5 epochs, alpha 0.025, and one thread.
func DefaultConfig() Config {
	return Config{Dim: 100, Window: 5, Negative: 5, Sample: 1e-3, MinCount: 5, Epochs: 5, Alpha: 0.025, Threads: 1}
}

// ErrConfig is wrapped by the errors of [Config.Validate].
var ErrConfig = errors.New("word2vec: bad config")

// Validate reports the first setting that cannot train.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case c.Dim < 1:
		return bad("Dim %d: want at least 1", c.Dim)
	case c.Window < 1:
		return bad("Window %d: want at least 1", c.Window)
	case c.Negative < 0:
		return bad("Negative %d: want 0 or more", c.Negative)
	case c.Negative == 0 && !c.HS:
		return bad("no output layer: want Negative > 0, HS, or both")
	case c.Sample < 0:
		return bad("Sample %g: want 0 (off) or a small positive threshold", c.Sample)
	case c.MinCount < 1:
		return bad("MinCount %d: want at least 1", c.MinCount)
	case c.Epochs < 1:
		return bad("Epochs %d: want at least 1", c.Epochs)
	case !(c.Alpha > 0 && c.Alpha < 10):
		return bad("Alpha %g: want a positive learning rate", c.Alpha)
	case c.Threads < 1:
		return bad("Threads %d: want at least 1", c.Threads)
	case c.TableSize < 0:
		return bad("TableSize %d: want 0 (alias table) or a number of slots", c.TableSize)
	}
	return nil
}

func (c Config) String() string {
	arch, out := "skip-gram", ""
	if c.CBOW {
		arch = "CBOW"
	}
	switch {
	case c.HS && c.Negative > 0:
		out = fmt.Sprintf("hierarchical softmax + %d negatives", c.Negative)
	case c.HS:
		out = "hierarchical softmax"
	default:
		out = fmt.Sprintf("%d negatives", c.Negative)
	}
	return fmt.Sprintf("%s, %s, d=%d, window %d, sample %g, min-count %d, epochs %d, alpha %g, threads %d",
		arch, out, c.Dim, c.Window, c.Sample, c.MinCount, c.Epochs, c.Alpha, c.Threads)
}
