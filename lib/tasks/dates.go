package tasks

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/seq2go/seq2go/lib/data"
)

// dateFormat is one way of writing a date: a layout of package time, an
// optional change of case, and whether it is used only for days after the
// 12th.
type dateFormat struct {
	// layout is written in time's reference date, Monday 2 January 2006,
	// always in that case: time reads "January" as the month, but
	// "january" as literal text. change applies the case afterwards.
	layout string
	change func(string) string // strings.ToLower or strings.ToUpper; nil keeps the case
	// dayOver12 restricts a day-first slash format to days 13..31, where it
	// cannot be read as month-first: "26/11/2026" is used, "11/12/2026"
	// would be ambiguous and always means 12 November (US order).
	dayOver12 bool
}

// dateFormats lists the formats Dates draws from. The comments show each
// applied to Thursday 26 November 2026, as DateFormats returns them.
var dateFormats = []dateFormat{
	{layout: "2 January 2006"},                                 // 26 November 2026
	{layout: "January 2, 2006"},                                // November 26, 2026
	{layout: "Jan 2 2006"},                                     // Nov 26 2026
	{layout: "2 Jan 2006"},                                     // 26 Nov 2026
	{layout: "Jan 2, 2006"},                                    // Nov 26, 2026
	{layout: "01/02/06"},                                       // 11/26/26
	{layout: "01/02/2006"},                                     // 11/26/2026
	{layout: "02/01/2006", dayOver12: true},                    // 26/11/2026
	{layout: "02.01.2006"},                                     // 26.11.2026
	{layout: "2006-01-02"},                                     // 2026-11-26, the identity
	{layout: "Monday, Jan 2 2006"},                             // Thursday, Nov 26 2026
	{layout: "Monday, 2 January 2006"},                         // Thursday, 26 November 2026
	{layout: "Mon 2 Jan 2006"},                                 // Thu 26 Nov 2026
	{layout: "Monday January 2 2006", change: strings.ToLower}, // thursday november 26 2026
	{layout: "2 January 2006", change: strings.ToLower},        // 26 november 2026
	{layout: "Jan 2, 2006", change: strings.ToLower},           // nov 26, 2026
	{layout: "2 Jan 2006", change: strings.ToUpper},            // 26 NOV 2026
	{layout: "January 2, 2006", change: strings.ToUpper},       // NOVEMBER 26, 2026
}

// format writes t in f.
func (f dateFormat) format(t time.Time) string {
	s := t.Format(f.layout)
	if f.change != nil {
		s = f.change(s)
	}
	return s
}

// usable reports whether f may write t.
func (f dateFormat) usable(t time.Time) bool {
	return !f.dayOver12 || t.Day() > 12
}

// The dates Dates draws from: every day of the hundred years whose two-digit
// form is unambiguous under the rule "50..99 is 19xx, 00..49 is 20xx".
var (
	firstDate = time.Date(1950, time.January, 1, 0, 0, 0, 0, time.UTC)
	numDays   = int(time.Date(2050, time.January, 1, 0, 0, 0, 0, time.UTC).Sub(firstDate).Hours() / 24) // 36,525
)

// isoLayout is the target format, ISO 8601's calendar date.
const isoLayout = "2006-01-02"

// DateFormats returns the formats [Dates] writes, each shown as it writes
// Thursday 26 November 2026, in a fixed order (down the first column, then
// the second):
//
//	26 November 2026            2026-11-26 (the identity)
//	November 26, 2026           Thursday, Nov 26 2026
//	Nov 26 2026                 Thursday, 26 November 2026
//	26 Nov 2026                 Thu 26 Nov 2026
//	Nov 26, 2026                thursday november 26 2026
//	11/26/26                    26 november 2026
//	11/26/2026                  nov 26, 2026
//	26/11/2026 (day > 12 only)  26 NOV 2026
//	26.11.2026                  NOVEMBER 26, 2026
func DateFormats() []string {
	ref := time.Date(2026, time.November, 26, 0, 0, 0, 0, time.UTC)
	out := make([]string, len(dateFormats))
	for i, f := range dateFormats {
		out[i] = f.format(ref)
	}
	return out
}

// Dates returns n date-normalisation pairs: Src is a date written in one of
// the human formats of [DateFormats] and Tgt the same date in ISO 8601 form,
//
//	{Src: "Thursday, Nov 26 2026", Tgt: "2026-11-26"}
//
// The date is drawn uniformly from 1 January 1950 to 31 December 2049, and
// the format uniformly from those that may write it. The rules that keep
// every Src unambiguous:
//
//   - A two-digit year means 1950..2049: 50..99 is 19xx, 00..49 is 20xx.
//     (Go's time.Parse, like POSIX strptime, splits at 69 instead.)
//   - Slashes are month first, as in the US ("11/26/2026"), unless the first
//     number is over 12 and so must be a day ("26/11/2026"): the day-first
//     slash format is used only for days 13..31. Dots are day first
//     ("26.11.2026"), dashes are ISO.
//   - Weekday names are those of the date (time.Date computes them).
//
// It panics if n is negative.
func Dates(rng *rand.Rand, n int) []data.Pair {
	if n < 0 {
		panic(fmt.Sprintf("tasks: negative number of examples %d", n))
	}
	pairs := make([]data.Pair, n)
	usable := make([]dateFormat, 0, len(dateFormats))
	for i := range pairs {
		t := firstDate.AddDate(0, 0, rng.IntN(numDays))
		usable = usable[:0]
		for _, f := range dateFormats {
			if f.usable(t) {
				usable = append(usable, f)
			}
		}
		f := usable[rng.IntN(len(usable))]
		pairs[i] = data.Pair{Src: f.format(t), Tgt: t.Format(isoLayout)}
	}
	return pairs
}

// DateTokens splits s into one token per character (rune), spaces and
// punctuation included, for the character-level date model:
//
//	DateTokens("26 Nov") // ["2" "6" " " "N" "o" "v"]
//
// strings.Join(DateTokens(s), "") == s for valid UTF-8; an invalid byte
// becomes the token "\uFFFD", as in a range loop.
func DateTokens(s string) []string {
	tokens := make([]string, 0, len(s))
	for _, r := range s {
		tokens = append(tokens, string(r))
	}
	return tokens
}
