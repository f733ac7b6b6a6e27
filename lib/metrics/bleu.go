package metrics

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

// Order is the largest n-gram length BLEU counts.
const Order = 4

// BLEUScore is a corpus BLEU score and the statistics it comes from.
type BLEUScore struct {
	Score      float64        // BLEU, 0 … 100
	Precisions [Order]float64 // p_1 … p_4 in percent
	Counts     [Order]int     // clipped n-gram matches, n = 1 … 4
	Totals     [Order]int     // system n-grams, n = 1 … 4
	BP         float64        // brevity penalty
	SysLen     int            // c: system tokens
	RefLen     int            // r: reference tokens
}

// String formats s the way sacreBLEU prints it:
//
//	BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
func (s BLEUScore) String() string {
	ratio := 0.0
	if s.RefLen > 0 {
		ratio = float64(s.SysLen) / float64(s.RefLen)
	}
	return fmt.Sprintf("BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f ratio = %.3f hyp_len = %d ref_len = %d)",
		s.Score, s.Precisions[0], s.Precisions[1], s.Precisions[2], s.Precisions[3],
		s.BP, ratio, s.SysLen, s.RefLen)
}

// BLEU returns the corpus BLEU of the system translations hyps against one
// reference each, refs[i] being the reference of hyps[i]. Both are plain
// text; they are tokenised with Tokenize13a.
func BLEU(hyps, refs []string) BLEUScore {
	return BLEUMulti(hyps, [][]string{refs})
}

// BLEUMulti returns the corpus BLEU of hyps against several references:
// refs[k][i] is the k-th reference of hyps[i] (sacreBLEU's layout, one
// stream of references per k).
func BLEUMulti(hyps []string, refs [][]string) BLEUScore {
	if len(refs) == 0 {
		panic("metrics: BLEU without references")
	}
	for _, r := range refs {
		if len(r) != len(hyps) {
			panic(fmt.Sprintf("metrics: %d hypotheses but %d references", len(hyps), len(r)))
		}
	}
	var s BLEUScore
	for i, h := range hyps {
		hyp := Tokenize13a(h)
		s.SysLen += len(hyp)
		// The reference length closest to the hypothesis length, the
		// shorter on a tie, and the largest count of every n-gram in
		// any one reference.
		refLen := -1
		maxRef := map[string]int{}
		for _, stream := range refs {
			ref := Tokenize13a(stream[i])
			d, best := abs(len(ref)-len(hyp)), abs(refLen-len(hyp))
			if refLen < 0 || d < best || (d == best && len(ref) < refLen) {
				refLen = len(ref)
			}
			for g, c := range ngrams(ref) {
				maxRef[g] = max(maxRef[g], c)
			}
		}
		s.RefLen += refLen
		for g, c := range ngrams(hyp) {
			n := strings.Count(g, "\x00") // an n-gram of n+1 tokens holds n separators
			s.Totals[n] += c
			s.Counts[n] += min(c, maxRef[g])
		}
	}
	s.BP = brevityPenalty(s.SysLen, s.RefLen)
	logSum := 0.0
	for n := 0; n < Order; n++ {
		if s.Totals[n] > 0 {
			s.Precisions[n] = 100 * float64(s.Counts[n]) / float64(s.Totals[n])
		}
		if s.Counts[n] == 0 {
			return s // no smoothing: a zero precision gives BLEU = 0
		}
		logSum += math.Log(s.Precisions[n])
	}
	s.Score = s.BP * math.Exp(logSum/Order)
	return s
}

// brevityPenalty returns exp(1 − r/c) when c < r, 1 otherwise, and 0 for an
// empty system output.
func brevityPenalty(c, r int) float64 {
	switch {
	case c == 0:
		return 0
	case c < r:
		return math.Exp(1 - float64(r)/float64(c))
	}
	return 1
}

// ngrams counts the 1- to 4-grams of tokens, each keyed by its tokens
// joined with NUL (which 13a tokens never contain).
func ngrams(tokens []string) map[string]int {
	m := map[string]int{}
	for n := 1; n <= Order; n++ {
		for i := 0; i+n <= len(tokens); i++ {
			m[strings.Join(tokens[i:i+n], "\x00")]++
		}
	}
	return m
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// The regular expressions of mteval-v13a, in sacreBLEU's order. \x60 is the
// backquote, the upper end of the range [-`.
var (
	re13aPunct   = regexp.MustCompile(`([\{-~\[-\x60 -&\(-\+:-@/])`)
	re13aPeriodL = regexp.MustCompile(`([^0-9])([\.,])`)
	re13aPeriodR = regexp.MustCompile(`([\.,])([^0-9])`)
	re13aDash    = regexp.MustCompile(`([0-9])(-)`)
	unescape13a  = strings.NewReplacer("&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">")
)

// Tokenize13a splits a line into tokens as sacreBLEU's default tokeniser
// "13a" does (see the package documentation).
func Tokenize13a(line string) []string {
	line = strings.ReplaceAll(line, "<skipped>", "")
	line = strings.ReplaceAll(line, "-\n", "")
	line = strings.ReplaceAll(line, "\n", " ")
	if strings.Contains(line, "&") {
		line = unescape13a.Replace(line)
	}
	line = " " + line + " "
	line = re13aPunct.ReplaceAllString(line, " $1 ")
	line = re13aPeriodL.ReplaceAllString(line, "$1 $2 ")
	line = re13aPeriodR.ReplaceAllString(line, " $1 $2")
	line = re13aDash.ReplaceAllString(line, "$1 $2 ")
	return strings.Fields(line)
}
