package data_test

import (
	"fmt"
	"log"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/datasets"
)

// Dutch → English data for a first translation model: read the embedded
// corpus, swap the sides, keep short sentences, and split so that no Dutch or
// English sentence is in both sets.
func ExampleSplitPairs() {
	r, err := datasets.Open("tatoeba-eng-nld")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	pairs, err := data.ReadPairs(r, "eng-nld.txt")
	if err != nil {
		log.Fatal(err)
	}
	nlEn := data.FilterPairs(data.SwapPairs(pairs), 10)
	train, dev := data.SplitPairs(nlEn, 0.1, 1)
	fmt.Println("pairs:", len(pairs), "short:", len(nlEn))
	fmt.Println("train:", len(train), "dev:", len(dev))
	fmt.Printf("%q\n", train[0])
	// Output:
	// pairs: 25341 short: 21495
	// train: 19345 dev: 2150
	// {"Hoi." "Hi."}
}

// Three translations of "Go." and one shared by "Walk." make one group of
// four pairs, which SplitPairs keeps together. Half of six is 3: seed 1 tries
// the group of four first and takes it (4 is nearer 3 than 0 is), seeds 2 and
// 3 take the two single pairs and then skip the group (6 is no nearer 3 than 2).
func ExampleSplitPairs_groups() {
	pairs := []data.Pair{
		{Src: "Go.", Tgt: "Va !"},
		{Src: "Hi.", Tgt: "Salut."},
		{Src: "Go.", Tgt: "Marche."},
		{Src: "Run!", Tgt: "Cours !"},
		{Src: "Go.", Tgt: "Bouge !"},
		{Src: "Walk.", Tgt: "Marche."},
	}
	for seed := uint64(1); seed <= 3; seed++ {
		_, dev := data.SplitPairs(pairs, 0.5, seed)
		fmt.Println(seed, dev)
	}
	// Output:
	// 1 [{Go. Va !} {Go. Marche.} {Go. Bouge !} {Walk. Marche.}]
	// 2 [{Hi. Salut.} {Run! Cours !}]
	// 3 [{Hi. Salut.} {Run! Cours !}]
}

func ExampleSwapPairs() {
	fmt.Println(data.SwapPairs([]data.Pair{{Src: "Hi.", Tgt: "Hoi."}}))
	// Output:
	// [{Hoi. Hi.}]
}

func ExampleFilterPairs() {
	pairs := []data.Pair{
		{Src: "Go.", Tgt: "Va !"},
		{Src: "Who?", Tgt: "Qui est-ce que c'est ?"},
	}
	// "Go." is 2 tokens, "Qui est-ce que c'est ?" 9.
	fmt.Println(data.FilterPairs(pairs, 4))
	// Output:
	// [{Go. Va !}]
}
