package tasks_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/seq2go/seq2go/lib/tasks"
)

// Dates are written the ways people write them; each has one reading (a
// two-digit year 50..99 is 19xx, 00..49 is 20xx).
func ExampleDates() {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range tasks.Dates(rng, 6) {
		fmt.Printf("%-30s -> %s\n", p.Src, p.Tgt)
	}
	// Output:
	// WED 22 SEPTEMBER, 49           -> 2049-09-22
	// 1978.07.16                     -> 1978-07-16
	// SUNDAY, APR 3RD, 05            -> 2005-04-03
	// JANUARY 5 85                   -> 1985-01-05
	// SUNDAY, THE 1ST OF JULY, '62   -> 1962-07-01
	// FRI, 10/07/77                  -> 1977-10-07
}

// The held-out formats combine choices that the training formats make
// separately: a model that learnt the parts of a date reads them too.
func ExampleHeldOutDates() {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range tasks.HeldOutDates(rng, 4) {
		fmt.Printf("%-30s -> %s\n", p.Src, p.Tgt)
	}
	fmt.Println(len(tasks.DateFormats()), "training formats,", len(tasks.HeldOutDateFormats()), "held out, e.g.", tasks.HeldOutDateFormats()[0])
	// Output:
	// Wed 22 September, '49          -> 2049-09-22
	// SUNDAY, APR. 3RD, '05          -> 2005-04-03
	// January 5, '85                 -> 1985-01-05
	// sunday, 1st july '62           -> 1962-07-01
	// 1890 training formats, 272 held out, e.g. D Month 'YY (lower case)
}

func ExampleDateFormats() {
	formats := tasks.DateFormats()
	for _, f := range []int{0, 500, 1000, 1700, 1800, len(formats) - 1} {
		fmt.Println(formats[f])
	}
	// Output:
	// D Month YYYY
	// Weekday Dth Mon. YYYY
	// Month DD, YYYY (lower case)
	// Weekday MM/DD/YY (lower case)
	// Weekday, D.M.YY (lower case)
	// YYYY.MM.DD
}

// A date model's output is checked before it is believed.
func ExampleCheckDate() {
	for _, s := range []string{"1983-09-17", "1983-19-17", "2023-02-29"} {
		fmt.Println(s, tasks.CheckDate(s))
	}
	// Output:
	// 1983-09-17 <nil>
	// 1983-19-17 tasks: "1983-19-17" is not a date: there is no month 19
	// 2023-02-29 tasks: "2023-02-29" is not a date: February 2023 has 28 days
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
