package metrics

import (
	"math"
	"strings"
	"testing"
)

func TestTokenize13a(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Hello, world!", "Hello , world !"},
		{"The end.", "The end ."},
		{"It costs $3.50, or 1,000 yen.", "It costs $ 3.50 , or 1,000 yen ."},
		{"It wasn't surprising.", "It wasn't surprising ."}, // ' (0x27) is not in the class
		{"pages 10-20", "pages 10 - 20"},                    // a dash after a digit
		{"well-known", "well-known"},                        // a dash between letters stays
		{"a (b) [c] {d}", "a ( b ) [ c ] { d }"},
		{"&quot;Hi&quot; &amp; &lt;b&gt;", `" Hi " & < b >`},
		{"x<skipped>y", "xy"},
		{"hyph-\nenated\nline", "hyphenated line"},
		{"e-mail: a@b.com", "e-mail : a @ b . com"}, // the period follows a letter
		{"  spaced \t out  ", "spaced out"},
		{"", ""},
		{"3.", "3 ."},    // the period is not followed by a digit
		{".5", ". 5"},    // nor preceded by one (the line starts with a space)
		{"A.B", "A . B"}, // between letters
		{"'quoted'", "'quoted'"},
		{"a/b\\c", "a / b \\ c"},
	} {
		if got := strings.Join(Tokenize13a(tt.in), " "); got != tt.want {
			t.Errorf("Tokenize13a(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBLEUByHand(t *testing.T) {
	for _, tt := range []struct {
		name      string
		hyp, ref  string
		want      float64
		bp        float64
		sys, refN int
	}{
		// Identical sentences: every precision is 100 %.
		{"identical", "the cat sat on the mat", "the cat sat on the mat", 100, 1, 6, 6},
		// One wrong last word: p = 4/5, 3/4, 2/3, 1/2, same lengths,
		// BLEU = 100·(0.8·0.75·(2/3)·0.5)^¼ = 100·0.2^¼ = 66.874…
		{"last word wrong", "a b c d e", "a b c d f", 100 * math.Pow(0.2, 0.25), 1, 5, 5},
		// A prefix of the reference: every precision is 100 %, c = 4 < r = 6,
		// BP = exp(1 − 6/4) = exp(−0.5) = 0.60653…
		{"too short", "a b c d", "a b c d e f", 100 * math.Exp(-0.5), math.Exp(-0.5), 4, 6},
		// Only three tokens: no 4-gram at all, so p_4 = 0 and BLEU = 0.
		{"no 4-gram", "a b c", "a b c", 0, 1, 3, 3},
		// Clipping: "the" occurs once in the reference, so p_1 = 1/4, and no
		// bigram matches: BLEU = 0.
		{"clipped", "the the the the", "the cat", 0, 1, 4, 2},
	} {
		s := BLEU([]string{tt.hyp}, []string{tt.ref})
		if math.Abs(s.Score-tt.want) > 1e-9 || math.Abs(s.BP-tt.bp) > 1e-12 || s.SysLen != tt.sys || s.RefLen != tt.refN {
			t.Errorf("%s: got %v (score %.12g), want %.12g, BP %.6g, lengths %d/%d", tt.name, s, s.Score, tt.want, tt.bp, tt.sys, tt.refN)
		}
	}
	s := BLEU([]string{"the the the the"}, []string{"the cat"})
	if s.Counts[0] != 1 || s.Totals[0] != 4 || s.Precisions[0] != 25 {
		t.Errorf("clipping: counts %v totals %v precisions %v, want 1/4 = 25 %%", s.Counts, s.Totals, s.Precisions)
	}
}

// TestBLEUCorpus checks that statistics add up over the corpus before the
// precisions are taken (corpus BLEU is not the mean of sentence BLEUs).
func TestBLEUCorpus(t *testing.T) {
	// Sentence 1 matches fully (1-4-grams: 5, 4, 3, 2 of 5, 4, 3, 2);
	// sentence 2 "x y z w" against "x y z v": 3/4, 2/3, 1/2, 0/1.
	// Corpus: p = 8/9, 6/7, 4/5, 2/3; c = r = 9.
	s := BLEU([]string{"a b c d e", "x y z w"}, []string{"a b c d e", "x y z v"})
	want := 100 * math.Pow(8.0/9*6/7*4/5*2/3, 0.25)
	if math.Abs(s.Score-want) > 1e-9 {
		t.Errorf("corpus BLEU = %.12g, want %.12g", s.Score, want)
	}
}

// TestBLEUSacreREADME is the example of sacreBLEU's README, which prints
//
//	BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
//
// By hand (13a keeps "wasn't" whole; "." is split off):
//
//	hyp lengths 6, 4, 7 = 17; closest refs 6, 5 (both 5), 7 = 18; BP = exp(1 − 18/17)
//	1-grams: 6/6 + 2/4 ("It", ".") + 6/7 (not "just")                     = 14/17
//	2-grams: 5/5 + 0/3 + 2/6 ("The man", "man had")                        =  7/14
//	3-grams: 4/4 + 0/2 + 1/5 ("The man had")                                =  5/11
//	4-grams: 3/3 + 0/1 + 0/4                                                =  3/8
func TestBLEUSacreREADME(t *testing.T) {
	refs := [][]string{
		{"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
		{"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."},
	}
	sys := []string{"The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."}
	s := BLEUMulti(sys, refs)
	want := 100 * math.Exp(1-18.0/17) * math.Pow(14.0/17*7/14*5/11*3/8, 0.25)
	if math.Abs(s.Score-want) > 1e-9 {
		t.Errorf("score %.12g, want %.12g", s.Score, want)
	}
	const printed = "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)"
	if s.String() != printed {
		t.Errorf("got  %s\nwant %s", s, printed)
	}
}

func TestBLEUEmpty(t *testing.T) {
	s := BLEU([]string{""}, []string{"a b c d"})
	if s.Score != 0 || s.BP != 0 {
		t.Errorf("empty system output: %v", s)
	}
}

func TestPerplexity(t *testing.T) {
	// 4 tokens each given p = 1/2: NLL = 4·log 2, log PPL = log 2, PPL = 2.
	l, p := Perplexity(4*math.Ln2, 4)
	if math.Abs(l-math.Ln2) > 1e-15 || math.Abs(p-2) > 1e-14 {
		t.Errorf("Perplexity = %v, %v; want log 2, 2", l, p)
	}
	if l, _ := Perplexity(1, 0); !math.IsNaN(l) {
		t.Errorf("no tokens: %v, want NaN", l)
	}
}
