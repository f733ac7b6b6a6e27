package word2vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKeepProbability checks word2vec.c's sub-sampling formula against its
// definition, p = (sqrt(f/(s·T)) + 1)·(s·T)/f capped at 1, on values worked
// by hand, and against the properties that follow from it.
func TestKeepProbability(t *testing.T) {
	const T = 1_000_000
	for _, c := range []struct {
		count  int64
		sample float64
		want   float64 // worked by hand from x = f/(s·T): p = (√x + 1)/x
	}{
		{10_000, 1e-3, (math.Sqrt(10) + 1) / 10},      // s·T = 1000, x = 10: 0.41623
		{4_000, 1e-3, 0.75},                           // x = 4: (2 + 1)/4
		{100_000, 1e-3, 0.11},                         // x = 100: (10 + 1)/100
		{1_000, 1e-3, 1},                              // x = 1: 2, capped at 1
		{2_618, 1e-3, 1},                              // x = 2.618 < φ² = 2.6180340: just above 1, capped
		{2_619, 1e-3, (math.Sqrt(2.619) + 1) / 2.619}, // x = 2.619 > φ²: 0.99975, the first word below 1
		{10_000, 1e-5, (math.Sqrt(1000) + 1) / 1000},  // s·T = 10, x = 1000: 0.032623
		{10_000, 0, 1},                                // sample 0: off
		{0, 1e-3, 1},                                  // a word never seen
	} {
		if got := KeepProbability(c.count, T, c.sample); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("KeepProbability(%d, %d, %g) = %.12f, want %.12f", c.count, T, c.sample, got, c.want)
		}
	}
	if p := KeepProbability(2_619, T, 1e-3); p >= 1 {
		t.Errorf("x just above φ² should not be kept always: p = %v", p)
	}
	// It keeps more than the paper's sqrt(t/f) for every frequent word.
	for _, count := range []int64{3000, 10_000, 100_000, 500_000} {
		paper := math.Sqrt(1e-3 * T / float64(count))
		if got := KeepProbability(count, T, 1e-3); got <= paper {
			t.Errorf("count %d: word2vec.c keeps %.4f, not more than the paper's %.4f", count, got, paper)
		}
	}
}

// TestSubsamplingRate checks the trainer's integer threshold: the share of
// kept draws matches KeepProbability within 5 standard deviations.
func TestSubsamplingRate(t *testing.T) {
	c := NewTextCorpus(repeatWords(map[string]int{"the": 5000, "of": 1000, "whale": 50, "ahab": 10}), SplitSpace)
	cfg := DefaultConfig()
	cfg.MinCount, cfg.Sample = 1, 1e-2
	tr, err := NewTrainer(rand.New(rand.NewPCG(1, 1)), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := rng(7)
	const n = 200_000
	for i := 0; i < tr.Vocab.Len(); i++ {
		p := KeepProbability(tr.Vocab.Count(i), tr.Vocab.Total(), cfg.Sample)
		kept := 0
		for k := 0; k < n; k++ {
			if uint32(r.next()>>32) < tr.keep[i] {
				kept++
			}
		}
		sd := math.Sqrt(p*(1-p)/n) + 1e-9
		if got := float64(kept) / n; math.Abs(got-p) > 5*sd {
			t.Errorf("%s: kept %.4f of draws, formula %.4f", tr.Vocab.Word(i), got, p)
		}
	}
}

// TestUnigramWeights: count^0.75 normalised. Counts 16 and 1 give 8 and 1
// (16^0.75 = 2³), so 8/9 and 1/9.
func TestUnigramWeights(t *testing.T) {
	w := unigramWeights([]int64{16, 1}, 0.75)
	if math.Abs(w[0]-8.0/9) > 1e-15 || math.Abs(w[1]-1.0/9) > 1e-15 {
		t.Errorf("weights %v, want [8/9 1/9]", w)
	}
}

// testCounts is a Zipf-like vocabulary with a long tail of rare words.
func testCounts() []int64 {
	counts := make([]int64, 2000)
	for i := range counts {
		counts[i] = int64(1e6/float64(i+1)) + 5
	}
	return counts
}

// TestAliasTable checks the alias table's exact probabilities, read off its
// columns, against count^0.75/Σ count^0.75.
func TestAliasTable(t *testing.T) {
	counts := testCounts()
	p := unigramWeights(counts, unigramPower)
	tab := newAliasTable(p)
	got := make([]float64, len(p))
	n := float64(len(tab))
	for i, e := range tab {
		keep := float64(e.keep) / (1 << 32)
		got[i] += keep / n
		got[e.alias] += (1 - keep) / n
	}
	for i := range p {
		// Each column's threshold is rounded to 2⁻³², and each of the n columns
		// can carry that error to one word: n·2⁻³²/n per word at most, twice.
		if math.Abs(got[i]-p[i]) > 2.0/(1<<32)+1e-12 {
			t.Fatalf("word %d: alias table gives %.12g, formula %.12g", i, got[i], p[i])
		}
	}
}

// TestUnigramTable checks word2vec.c's table: each word's share of the
// slots is within one slot of count^0.75/Σ, and every word has a slot.
func TestUnigramTable(t *testing.T) {
	counts := testCounts()
	p := unigramWeights(counts, unigramPower)
	const size = 1_000_000
	table := unigramTable(counts, size, unigramPower)
	if len(table) != size {
		t.Fatalf("%d slots, want %d", len(table), size)
	}
	slots := make([]int, len(counts))
	for k, w := range table {
		if k > 0 && w < table[k-1] {
			t.Fatalf("slot %d: word %d after word %d: runs out of order", k, w, table[k-1])
		}
		slots[w]++
	}
	for i := range p {
		if slots[i] == 0 {
			t.Fatalf("word %d has no slot", i)
		}
		if share := float64(slots[i]) / size; math.Abs(share-p[i]) > 1.0/size {
			t.Errorf("word %d: %d slots = %.7f, formula %.7f", i, slots[i], share, p[i])
		}
	}
	// A table smaller than the vocabulary is grown to give each word a slot.
	if small := unigramTable(counts, 10, unigramPower); len(small) != len(counts) || small[len(small)-1] != int32(len(counts)-1) {
		t.Errorf("table of 10 for %d words: %d slots, last word %d", len(counts), len(small), small[len(small)-1])
	}
}

// TestNoiseDraws draws from both kinds of noise distribution and compares
// the frequencies of the most frequent words with the formula.
func TestNoiseDraws(t *testing.T) {
	counts := []int64{1000, 300, 100, 30, 10, 5}
	p := unigramWeights(counts, unigramPower)
	for _, size := range []int{0, 1_000_000} {
		nz := newNoise(counts, size)
		r := rng(3)
		const n = 300_000
		hits := make([]int, len(counts))
		for k := 0; k < n; k++ {
			hits[nz.draw(&r)]++
		}
		for i := range p {
			sd := math.Sqrt(p[i] * (1 - p[i]) / n)
			if got := float64(hits[i]) / n; math.Abs(got-p[i]) > 5*sd {
				t.Errorf("table size %d: word %d drawn %.4f, formula %.4f", size, i, got, p[i])
			}
		}
	}
}

// TestSigmoidTable: the table lookup is word2vec.c's, σ at
// x = (2·⌊(f+6)·83⌋/1000 − 1)·6, and so within 0.015 of σ(f) (x is up to
// 0.06 below f, and σ' ≤ 1/4).
func TestSigmoidTable(t *testing.T) {
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	for f := float32(-5.99); f < 6; f += 0.01 {
		x := (2*math.Floor(float64((f+6)*83))/1000 - 1) * 6
		got := float64(sigmoid(f))
		if math.Abs(got-sig(x)) > 1e-6 || math.Abs(got-sig(float64(f))) > 0.015 {
			t.Fatalf("sigmoid(%g) = %g; σ at the table's x = %g is %g, σ(f) = %g", f, got, x, sig(x), sig(float64(f)))
		}
	}
}

// TestRNGBelow: below(n) is in range and roughly uniform.
func TestRNGBelow(t *testing.T) {
	r := rng(1)
	hits := make([]int, 5)
	for k := 0; k < 50_000; k++ {
		hits[r.below(5)]++
	}
	for i, h := range hits {
		if h < 9_500 || h > 10_500 { // 10,000 ± 5σ (σ ≈ 89)
			t.Errorf("below(5) gave %d %d times in 50,000", i, h)
		}
	}
}
