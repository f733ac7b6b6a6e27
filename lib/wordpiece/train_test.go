package wordpiece

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
)

// naiveTrain is the merge loop with nothing clever: every merge recounts
// every pair and every symbol over every word and scans for the best pair,
// with scores compared as exact fractions. It is the reference Train is
// pinned to; its cost is merges × corpus, fine for a test corpus.
func naiveTrain(counts map[string]int, cfg TrainConfig) []string {
	style := cfg.Style
	type word struct {
		syms []string
		n    int64
	}
	var words []word
	symCount := map[string]int64{}
	for w, n := range counts {
		var syms []string
		if style.WordStart {
			syms = append(syms, style.Marker)
		}
		for i, r := range w {
			syms = append(syms, style.mark(string(r), i == 0 && !style.WordStart))
		}
		for _, s := range syms {
			symCount[s] += int64(n)
		}
		words = append(words, word{syms, int64(n)})
	}
	alphabet := make([]string, 0, len(symCount))
	for s := range symCount {
		alphabet = append(alphabet, s)
	}
	sort.Slice(alphabet, func(i, j int) bool {
		a, b := alphabet[i], alphabet[j]
		if symCount[a] != symCount[b] {
			return symCount[a] > symCount[b]
		}
		return a < b
	})
	pieces := append(append([]string(nil), cfg.Specials...), alphabet...)
	have := map[string]bool{}
	specials := map[string]bool{}
	for _, p := range pieces {
		have[p] = true
	}
	for _, s := range cfg.Specials {
		specials[s] = true
	}
	merge := func(a, b string) string {
		if !style.WordStart {
			b = b[len(style.Marker):]
		}
		return a + b
	}
	for len(pieces) < cfg.Size {
		pairs := map[[2]string]int64{}
		syms := map[string]int64{}
		for _, w := range words {
			for i, s := range w.syms {
				syms[s] += w.n
				if i+1 < len(w.syms) {
					pairs[[2]string{s, w.syms[i+1]}] += w.n
				}
			}
		}
		var best [2]string
		var bestScore *big.Rat
		var bestCount int64 = -1
		for p, c := range pairs {
			s := merge(p[0], p[1])
			if specials[s] || isSpecial(s) || wordStart(style, s) != wordStart(style, p[0]) {
				continue
			}
			score := big.NewRat(c, 1)
			if cfg.Algorithm == Likelihood {
				score = big.NewRat(c, syms[p[0]]*syms[p[1]])
			}
			better := bestCount < 0
			if !better {
				if cmp := score.Cmp(bestScore); cmp != 0 {
					better = cmp > 0
				} else if c != bestCount {
					better = c > bestCount
				} else if p[0] != best[0] {
					better = p[0] < best[0]
				} else {
					better = p[1] < best[1]
				}
			}
			if better {
				best, bestScore, bestCount = p, score, c
			}
		}
		if bestCount < 0 {
			break
		}
		n := merge(best[0], best[1])
		if !have[n] {
			have[n] = true
			pieces = append(pieces, n)
		}
		for k, w := range words {
			var out []string
			for i := 0; i < len(w.syms); i++ {
				if i+1 < len(w.syms) && w.syms[i] == best[0] && w.syms[i+1] == best[1] {
					out = append(out, n)
					i++
					continue
				}
				out = append(out, w.syms[i])
			}
			words[k].syms = out
		}
	}
	return pieces
}

// TestTrainMatchesNaive pins Train's incremental counts and heap to the naive
// loop, for both algorithms and styles, on random corpora whose words share
// many pairs and repeat symbols ("aaaa", "abab" exercise overlapping merges).
func TestTrainMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	alphabet := []rune("aab#<>é")
	for trial := 0; trial < 40; trial++ {
		var corpus strings.Builder
		for i := 0; i < 60; i++ {
			n := 1 + rng.IntN(7)
			for j := 0; j < n; j++ {
				corpus.WriteRune(alphabet[rng.IntN(len(alphabet))])
			}
			corpus.WriteByte(" \n"[rng.IntN(2)])
		}
		for _, style := range []Style{GNMT, BERT} {
			for _, algo := range []Algorithm{BPE, Likelihood} {
				cfg := TrainConfig{Size: 20 + rng.IntN(60), Style: style, Algorithm: algo, Specials: defaultSpecials(style)}
				counts, err := countWords(strings.NewReader(corpus.String()), "corpus", cfg)
				if err != nil {
					t.Fatal(err)
				}
				want := naiveTrain(counts, cfg)
				v, err := Train(strings.NewReader(corpus.String()), "corpus", cfg)
				if err != nil && !errors.Is(err, ErrSmallCorpus) {
					t.Fatal(err)
				}
				if got := v.Pieces(); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Fatalf("trial %d, %v %v, size %d, corpus %q:\n got %q\nwant %q", trial, style, algo, cfg.Size, corpus.String(), got, want)
				}
				if (len(want) < cfg.Size) != errors.Is(err, ErrSmallCorpus) {
					t.Fatalf("%d pieces of %d, error %v", len(want), cfg.Size, err)
				}
			}
		}
	}
}

// TestTrainShakespeare trains 2,000 pieces on the embedded corpus: exactly
// that many, the same twice, and every line of the corpus round-trips.
func TestTrainShakespeare(t *testing.T) {
	text, err := datasets.ReadAll("tinyshakespeare")
	if err != nil {
		t.Fatal(err)
	}
	for _, style := range []Style{GNMT, BERT} {
		for _, algo := range []Algorithm{BPE, Likelihood} {
			cfg := TrainConfig{Size: 2000, Style: style, Algorithm: algo}
			v, err := Train(bytes.NewReader(text), "tinyshakespeare", cfg)
			if err != nil {
				t.Fatal(err)
			}
			if v.Size() != cfg.Size {
				t.Errorf("%v %v: size %d, want %d", style, algo, v.Size(), cfg.Size)
			}
			again, _ := Train(bytes.NewReader(text), "tinyshakespeare", cfg)
			if strings.Join(v.Pieces(), "\n") != strings.Join(again.Pieces(), "\n") {
				t.Errorf("%v %v: two runs differ", style, algo)
			}
			for _, line := range strings.SplitN(string(text), "\n", 2000) {
				ids := v.Encode(line)
				for _, id := range ids {
					if id == v.UnknownID() {
						t.Fatalf("%v %v: %q has an unknown word", style, algo, line)
					}
				}
				if got, want := v.Decode(ids), normalize(v, line); got != want {
					t.Fatalf("%v %v: %q → %q", style, algo, want, got)
				}
			}
		}
	}
}

func TestTrainErrors(t *testing.T) {
	for _, test := range []struct {
		corpus string
		cfg    TrainConfig
		want   string
	}{
		{"", TrainConfig{Size: 10}, "wordpiece: c.txt: no words: the corpus is empty"},
		{" \n\t\n", TrainConfig{Size: 10}, "wordpiece: c.txt: no words: the corpus is empty"},
		{"ab\ncd e\xffg\n", TrainConfig{Size: 10}, "wordpiece: c.txt:2:5: invalid UTF-8"},
		{"abc", TrainConfig{Size: 5}, "wordpiece: size 5 is too small: the 3 special pieces and the 4-symbol alphabet of c.txt need 7"},
		{"abc", TrainConfig{Size: 50, Specials: []string{"<s>"}}, `wordpiece: the specials ["<s>"] lack the unknown piece "<unk>"`},
		{"abc", TrainConfig{Size: 50, Specials: []string{"<unk>", "<unk>"}}, `wordpiece: special piece "<unk>" given twice`},
		{"a b", TrainConfig{Size: 50, Specials: []string{"<unk>", "b"}}, `wordpiece: special piece "b" is also a character of the corpus`},
	} {
		v, err := Train(strings.NewReader(test.corpus), "c.txt", test.cfg)
		if err == nil || err.Error() != test.want || v != nil {
			t.Errorf("Train(%q):\n got %v, %v\nwant %s", test.corpus, v, err, test.want)
		}
	}

	// Too few pairs: "ab ab" has the alphabet a b ▁ (equal counts, byte
	// order), then the pairs (▁, a) and (a, b) tie at 2 and "a" < "▁" picks
	// ab; then ▁ab, and nothing is left.
	v, err := Train(strings.NewReader("ab ab"), "c.txt", TrainConfig{Size: 50})
	if !errors.Is(err, ErrSmallCorpus) || v == nil || v.Size() != 8 {
		t.Fatalf("got %v, %v", v, err)
	}
	if want := "wordpiece: corpus too small for the vocabulary size: c.txt yields 8 pieces, not 50 (every distinct word is a single piece)"; err.Error() != want {
		t.Errorf("error %q", err)
	}
	if got := strings.Join(v.Pieces(), " "); got != "<unk> <s> </s> a b ▁ ab ▁ab" {
		t.Errorf("pieces %s", got)
	}
}

// A merge never makes a piece that reads as special or, in BERT style, a
// word start that reads as a continuation.
func TestTrainForbiddenMerges(t *testing.T) {
	v, err := Train(strings.NewReader("<s> <s> <s> ##a ##a"), "c", TrainConfig{Size: 40, Style: BERT})
	if err != nil && !errors.Is(err, ErrSmallCorpus) {
		t.Fatal(err)
	}
	if v.ID("<s>") >= 0 {
		t.Errorf("made <s>: %q", v.Pieces())
	}
	if got := strings.Join(v.Tokenize("##a <s>"), " "); got == "" || strings.Contains(got, "[UNK]") {
		t.Errorf("Tokenize = %q", got)
	}
	if back := v.Detokenize(v.Tokenize("##a <s>")); back != "##a <s>" {
		t.Errorf("round trip %q", back)
	}
}
