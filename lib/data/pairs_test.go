package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
)

// readCorpus reads an embedded Tatoeba corpus as pairs.
func readCorpus(t *testing.T, name string) []Pair {
	t.Helper()
	r, err := datasets.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pairs, err := ReadPairs(r, name)
	if err != nil {
		t.Fatal(err)
	}
	return pairs
}

// checkDisjoint fails if a normalised source or target is on both sides.
func checkDisjoint(t *testing.T, label string, train, dev []Pair) {
	t.Helper()
	src := make(map[string]bool)
	tgt := make(map[string]bool)
	for _, p := range train {
		src[normalizeSentence(p.Src)] = true
		tgt[normalizeSentence(p.Tgt)] = true
	}
	for _, p := range dev {
		if src[normalizeSentence(p.Src)] {
			t.Errorf("%s: source %q in train and dev", label, p.Src)
		}
		if tgt[normalizeSentence(p.Tgt)] {
			t.Errorf("%s: target %q in train and dev", label, p.Tgt)
		}
	}
}

// checkOrder fails unless train and dev are the input deal into two
// subsequences: every pair once, each set in input order.
func checkOrder(t *testing.T, label string, pairs, train, dev []Pair) {
	t.Helper()
	if len(train)+len(dev) != len(pairs) {
		t.Fatalf("%s: %d + %d pairs, want %d", label, len(train), len(dev), len(pairs))
	}
	i, j := 0, 0
	for k, p := range pairs {
		switch {
		case i < len(train) && train[i] == p:
			i++
		case j < len(dev) && dev[j] == p:
			j++
		default:
			t.Fatalf("%s: pair %d %q is out of order or missing", label, k, p)
		}
	}
}

func TestSplitPairsSmall(t *testing.T) {
	// Pairs 0-2 share "go." (in two spellings), 2 and 3 share "marche.", so
	// 0-3 are one component; 4 and 5 share nothing with anything.
	pairs := []Pair{
		{"Go.", "Va !"},
		{"go. ", "Bouge !"},
		{"GO.", "Marche."},
		{"Walk.", "marche."},
		{"Hi.", "Salut."},
		{"Run!", "Cours !"},
	}
	for _, test := range []struct {
		frac float64
		dev  int // pairs in dev
	}{
		{frac: 0, dev: 0},
		{frac: 1, dev: 6},
		// Target 2 = 6 - int(6*0.7): the component of four overshoots by 2,
		// no better than none, so dev takes the two singletons.
		{frac: 0.3, dev: 2},
		// Target 4: either the component of four, or both singletons and
		// then the four overshoot; which depends on the shuffle.
	} {
		for seed := uint64(0); seed < 20; seed++ {
			label := fmt.Sprintf("frac=%v seed=%d", test.frac, seed)
			train, dev := SplitPairs(pairs, test.frac, seed)
			checkOrder(t, label, pairs, train, dev)
			checkDisjoint(t, label, train, dev)
			if len(dev) != test.dev {
				t.Errorf("%s: %d pairs in dev, want %d", label, len(dev), test.dev)
			}
		}
	}
	if train, dev := SplitPairs(nil, 0.1, 1); train != nil || dev != nil {
		t.Errorf("SplitPairs(nil) = %q, %q", train, dev)
	}
}

func TestSplitPairsTatoeba(t *testing.T) {
	for _, test := range []struct {
		name    string
		largest int // pairs in the largest component, counted once by hand
	}{
		{name: "tatoeba-eng-nld", largest: 13},  // 21,124 components
		{name: "tatoeba-eng-fra", largest: 202}, // 2,051 components: short sentences share translations
	} {
		pairs := readCorpus(t, test.name)
		for _, frac := range []float64{0.1, 0.2} {
			label := fmt.Sprintf("%s frac=%v", test.name, frac)
			train, dev := SplitPairs(pairs, frac, 1)
			checkOrder(t, label, pairs, train, dev)
			checkDisjoint(t, label, train, dev)
			// The documented bound: within half the largest component of
			// the number SplitIndices would hold out.
			target := len(pairs) - int(float64(len(pairs))*(1-frac))
			if d := len(dev) - target; 2*d > test.largest || -2*d > test.largest {
				t.Errorf("%s: %d pairs in dev, want %d ± %d", label, len(dev), target, test.largest/2)
			}
			again, devAgain := SplitPairs(pairs, frac, 1)
			if !reflect.DeepEqual(train, again) || !reflect.DeepEqual(dev, devAgain) {
				t.Errorf("%s: same seed, different split", label)
			}
			_, other := SplitPairs(pairs, frac, 2)
			if reflect.DeepEqual(dev, other) {
				t.Errorf("%s: seeds 1 and 2 give the same dev set", label)
			}
		}
	}
}

func TestSplitPairsRandom(t *testing.T) {
	// Random pairs over small alphabets share sides often, so components
	// grow large and varied.
	rng := rand.New(rand.NewPCG(1, 1))
	pairs := make([]Pair, 500)
	for i := range pairs {
		pairs[i] = Pair{Src: fmt.Sprint("s", rng.IntN(300)), Tgt: fmt.Sprint("t", rng.IntN(400))}
	}
	train, dev := SplitPairs(pairs, 0.25, 7)
	checkOrder(t, "random", pairs, train, dev)
	checkDisjoint(t, "random", train, dev)
}

func TestSplitPairsPanics(t *testing.T) {
	for _, frac := range []float64{-0.1, 1.5, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SplitPairs(frac=%v) did not panic", frac)
				}
			}()
			SplitPairs([]Pair{{"a", "b"}}, frac, 1)
		}()
	}
}

func TestNormalizeSentence(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"Go.", "go."},
		{"  Tom  is\tHERE.\n", "tom is here."},
		{"Één.", "één."},
		{"", ""},
		{" \t", ""},
	} {
		if got := normalizeSentence(test.in); got != test.want {
			t.Errorf("normalizeSentence(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

func TestSwapPairs(t *testing.T) {
	in := []Pair{{"Hi.", "Hoi."}, {"Run!", "Ren!"}}
	got := SwapPairs(in)
	want := []Pair{{"Hoi.", "Hi."}, {"Ren!", "Run!"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SwapPairs = %q, want %q", got, want)
	}
	if in[0].Src != "Hi." {
		t.Errorf("SwapPairs modified its input: %q", in)
	}
	if got := SwapPairs(nil); len(got) != 0 {
		t.Errorf("SwapPairs(nil) = %q", got)
	}
}

func TestFilterPairs(t *testing.T) {
	pairs := []Pair{
		{"Go.", "Va !"},                        // 2 and 2 tokens
		{"I'm OK.", "Ça va."},                  // 5 ("i" "'" "m" "ok" ".") and 3 ("ça" "va" ".")
		{"Who?", "Qui est-ce que c'est ?"},     // 2 and 9
		{"Stop!", "Arrête-toi immédiatement!"}, // 2 and 5
	}
	for _, test := range []struct {
		max  int
		want []Pair
	}{
		{max: 0, want: nil},
		{max: 2, want: pairs[:1]},
		{max: 5, want: []Pair{pairs[0], pairs[1], pairs[3]}},
		{max: 9, want: pairs},
	} {
		if got := FilterPairs(pairs, test.max); !reflect.DeepEqual(got, test.want) {
			t.Errorf("FilterPairs(max=%d) = %q, want %q", test.max, got, test.want)
		}
	}
}
