package tasks_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/seq2go/seq2go/lib/tasks"
)

// Month first with slashes: "04/03/05" is 3 April 2005, and the two-digit
// year 05 is 2005 (50..99 would be 19xx).
func ExampleDates() {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range tasks.Dates(rng, 6) {
		fmt.Printf("%-18s -> %s\n", p.Src, p.Tgt)
	}
	// Output:
	// September 22, 2049 -> 2049-09-22
	// 15 MAY 2036        -> 2036-05-15
	// 16 JUL 1978        -> 1978-07-16
	// March 29, 2031     -> 2031-03-29
	// 04/03/05           -> 2005-04-03
	// DECEMBER 14, 1987  -> 1987-12-14
}

func ExampleDateFormats() {
	for _, f := range tasks.DateFormats()[:4] {
		fmt.Println(f)
	}
	fmt.Println(len(tasks.DateFormats()), "formats")
	// Output:
	// 26 November 2026
	// November 26, 2026
	// Nov 26 2026
	// 26 Nov 2026
	// 18 formats
}

func ExampleDateTokens() {
	tokens := tasks.DateTokens("26 Nov 2026")
	fmt.Printf("%q\n", tokens)
	fmt.Println(strings.Join(tokens, ""))
	// Output:
	// ["2" "6" " " "N" "o" "v" " " "2" "0" "2" "6"]
	// 26 Nov 2026
}

// Letters repeat ("d j d"), so the model must attend by position, not by
// word.
func ExampleReversal() {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range tasks.Reversal(rng, 3, 10, 3, 6) {
		fmt.Printf("%-8s -> %s\n", p.Src, p.Tgt)
	}
	// Output:
	// b i j    -> j i b
	// j i b f  -> f b i j
	// d j d    -> d j d
}
