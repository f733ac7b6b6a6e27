package tasks

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/seq2go/seq2go/lib/data"
)

// A date format is a family — the order of day, month and year and what
// separates them — and one choice on each of a few independent axes: the
// weekday, how the day, the month and the year are written, a comma, the
// letter case. Dates draws from the combinations, so a model trained on
// some of them can be tested on others it has never seen ([HeldOutDates]).
type dateFormat struct {
	family  dateFamily
	weekday weekdayStyle
	wdComma bool // "Saturday, 17 …" rather than "Saturday 17 …"
	day     dayStyle
	month   monthStyle
	year    yearStyle
	comma   bool   // words: a comma before the year ("September 17, 1983")
	sep     string // year first: "-", "/" or "."
	letters letterCase
}

// dateFamily is the order of the parts and their separators. Each family
// has one reading, so no source string is ambiguous (see Dates).
type dateFamily int

const (
	wordsDayFirst   dateFamily = iota // 17 September 1983 (British, European)
	wordsMonthFirst                   // September 17, 1983 (US)
	slashMonthFirst                   // 9/17/83 (US)
	slashDayFirst                     // 17/9/83, days 13–31 only (British, European)
	dotsDayFirst                      // 17.9.83 (European)
	yearFirst                         // 1983-09-17 (ISO 8601), 1983-9-17, 1983/9/17, 1983.09.17
	numFamilies
)

// familyWeights are the shares of the families among generated dates: each
// of the two word families has many formats and a quarter of the dates.
var familyWeights = [numFamilies]int{wordsDayFirst: 5, wordsMonthFirst: 5, slashMonthFirst: 3, slashDayFirst: 2, dotsDayFirst: 3, yearFirst: 2}

type weekdayStyle int

const (
	noWeekday    weekdayStyle = iota
	fullWeekday               // Saturday
	shortWeekday              // Sat
)

type dayStyle int

const (
	plainDay   dayStyle = iota // 7
	paddedDay                  // 07
	ordinalDay                 // 7th
	theDayOf                   // the 7th of (day first, in words)
)

type monthStyle int

const (
	plainMonth  monthStyle = iota // 9
	paddedMonth                   // 09
	fullMonth                     // September
	shortMonth                    // Sep, or Sept
	dotMonth                      // Sep., or Sept. (May stays May)
)

type yearStyle int

const (
	fourDigits yearStyle = iota // 1983
	twoDigits                   // 83
	apostrophe                  // '83
)

type letterCase int

const (
	titleCase letterCase = iota // Saturday, 17 September 1983
	lowerCase                   // saturday, 17 september 1983
	upperCase                   // SATURDAY, 17 SEPTEMBER 1983
)

// format writes t in f. sept picks "Sept" over "Sep" for a short September.
func (f dateFormat) format(t time.Time, sept bool) string {
	var b strings.Builder
	if f.weekday != noWeekday {
		name := t.Weekday().String()
		if f.weekday == shortWeekday {
			name = name[:3]
		}
		b.WriteString(name)
		if f.wdComma {
			b.WriteByte(',')
		}
		b.WriteByte(' ')
	}
	d, m, y := f.dayString(t.Day()), f.monthString(t.Month(), sept), f.yearString(t.Year())
	comma := ""
	if f.comma {
		comma = ","
	}
	switch f.family {
	case wordsDayFirst:
		b.WriteString(d + " " + m + comma + " " + y)
	case wordsMonthFirst:
		b.WriteString(m + " " + d + comma + " " + y)
	case slashMonthFirst:
		b.WriteString(m + "/" + d + "/" + y)
	case slashDayFirst:
		b.WriteString(d + "/" + m + "/" + y)
	case dotsDayFirst:
		b.WriteString(d + "." + m + "." + y)
	case yearFirst:
		b.WriteString(y + f.sep + m + f.sep + d)
	}
	switch f.letters {
	case lowerCase:
		return strings.ToLower(b.String())
	case upperCase:
		return strings.ToUpper(b.String())
	}
	return b.String()
}

func (f dateFormat) dayString(day int) string {
	switch f.day {
	case paddedDay:
		return fmt.Sprintf("%02d", day)
	case ordinalDay:
		return ordinal(day)
	case theDayOf:
		return "the " + ordinal(day) + " of"
	}
	return strconv.Itoa(day)
}

// ordinal writes 1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st, 22nd, 23rd, …, 31st.
func ordinal(day int) string {
	suffix := "th"
	if day/10 != 1 {
		switch day % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(day) + suffix
}

func (f dateFormat) monthString(m time.Month, sept bool) string {
	name := m.String()
	switch f.month {
	case plainMonth:
		return strconv.Itoa(int(m))
	case paddedMonth:
		return fmt.Sprintf("%02d", int(m))
	case fullMonth:
		return name
	}
	short := name[:3]
	if m == time.September && sept {
		short = "Sept"
	}
	if f.month == dotMonth && short != name {
		short += "."
	}
	return short
}

// yearString writes a year of 1950..2049; two digits drop the century.
func (f dateFormat) yearString(y int) string {
	switch f.year {
	case twoDigits:
		return fmt.Sprintf("%02d", y%100)
	case apostrophe:
		return fmt.Sprintf("'%02d", y%100)
	}
	return strconv.Itoa(y)
}

// usable reports whether f may write t: a day-first slash date needs a day
// over 12, or it would read as month first.
func (f dateFormat) usable(t time.Time) bool {
	return f.family != slashDayFirst || t.Day() > 12
}

// pattern names f in a notation for people: Weekday, Wkd; D, DD, Dth;
// Month, Mon, Mon. ("Sept" for September may stand for "Sep"); M, MM;
// YYYY, YY, 'YY; then the case if not title case.
func (f dateFormat) pattern() string {
	var b strings.Builder
	switch f.weekday {
	case fullWeekday:
		b.WriteString("Weekday")
	case shortWeekday:
		b.WriteString("Wkd")
	}
	if f.weekday != noWeekday {
		if f.wdComma {
			b.WriteByte(',')
		}
		b.WriteByte(' ')
	}
	d := map[dayStyle]string{plainDay: "D", paddedDay: "DD", ordinalDay: "Dth", theDayOf: "the Dth of"}[f.day]
	m := map[monthStyle]string{plainMonth: "M", paddedMonth: "MM", fullMonth: "Month", shortMonth: "Mon", dotMonth: "Mon."}[f.month]
	y := map[yearStyle]string{fourDigits: "YYYY", twoDigits: "YY", apostrophe: "'YY"}[f.year]
	// The words written by format, with the parts replaced by their names.
	parts := dateFormat{family: f.family, comma: f.comma, sep: f.sep}
	b.WriteString(strings.NewReplacer("D", d, "M", m, "Y", y).Replace(parts.layout()))
	switch f.letters {
	case lowerCase:
		b.WriteString(" (lower case)")
	case upperCase:
		b.WriteString(" (upper case)")
	}
	return b.String()
}

// layout is the family's order with the parts as D, M and Y.
func (f dateFormat) layout() string {
	comma := ""
	if f.comma {
		comma = ","
	}
	return map[dateFamily]string{
		wordsDayFirst:   "D M" + comma + " Y",
		wordsMonthFirst: "M D" + comma + " Y",
		slashMonthFirst: "M/D/Y",
		slashDayFirst:   "D/M/Y",
		dotsDayFirst:    "D.M.Y",
		yearFirst:       "Y" + f.sep + "M" + f.sep + "D",
	}[f.family]
}

// allDateFormats lists every format, family by family, each once: choices
// that would write the same strings are left out (a padded day over 12 is
// the plain day; without letters there is no case).
func allDateFormats() [numFamilies][]dateFormat {
	type weekday struct {
		style weekdayStyle
		comma bool
	}
	weekdays := []weekday{{noWeekday, false}, {fullWeekday, true}, {fullWeekday, false}, {shortWeekday, true}, {shortWeekday, false}}
	cases := []letterCase{titleCase, lowerCase, upperCase}
	var all [numFamilies][]dateFormat
	for family := range numFamilies {
		switch family {
		case wordsDayFirst, wordsMonthFirst:
			days := []dayStyle{plainDay, paddedDay, ordinalDay}
			if family == wordsDayFirst {
				days = append(days, theDayOf)
			}
			for _, wd := range weekdays {
				for _, d := range days {
					for _, m := range []monthStyle{fullMonth, shortMonth, dotMonth} {
						for _, comma := range []bool{false, true} {
							for _, y := range []yearStyle{fourDigits, twoDigits, apostrophe} {
								for _, c := range cases {
									all[family] = append(all[family], dateFormat{family: family, weekday: wd.style, wdComma: wd.comma,
										day: d, month: m, year: y, comma: comma, letters: c})
								}
							}
						}
					}
				}
			}
		case slashMonthFirst, slashDayFirst, dotsDayFirst:
			days := []dayStyle{plainDay, paddedDay}
			if family == slashDayFirst {
				days = days[:1]
			}
			for _, wd := range weekdays {
				for _, d := range days {
					for _, m := range []monthStyle{plainMonth, paddedMonth} {
						for _, y := range []yearStyle{fourDigits, twoDigits} {
							for _, c := range cases {
								if wd.style == noWeekday && c != titleCase {
									continue
								}
								all[family] = append(all[family], dateFormat{family: family, weekday: wd.style, wdComma: wd.comma,
									day: d, month: m, year: y, letters: c})
							}
						}
					}
				}
			}
		case yearFirst:
			for _, sep := range []string{"-", "/", "."} {
				for _, m := range []monthStyle{plainMonth, paddedMonth} {
					for _, d := range []dayStyle{plainDay, paddedDay} {
						all[family] = append(all[family], dateFormat{family: family, day: d, month: m, sep: sep})
					}
				}
			}
		}
	}
	return all
}

// keptFormats are written the way the README and the issue quote them, and
// stay among the training formats: 17 September 1983, Sept. 17th, 1983,
// 9/17/83 (and 1/4/71), 1983-09-17.
var keptFormats = []dateFormat{
	{family: wordsDayFirst, day: plainDay, month: fullMonth},
	{family: wordsMonthFirst, day: ordinalDay, month: dotMonth, comma: true},
	{family: slashMonthFirst, day: plainDay, month: plainMonth, year: twoDigits},
	{family: yearFirst, day: paddedDay, month: paddedMonth, sep: "-"},
}

// heldOutShare is the fraction of each family's formats that Dates never
// writes and HeldOutDates writes alone: 1 in 8.
const heldOutShare = 8

// trainFormats and heldOutFormats split every family's formats: a fixed
// shuffle of each family (PCG seed 1983, 917) holds out its first eighth,
// rounded up, skipping keptFormats.
var trainFormats, heldOutFormats = splitFormats()

func splitFormats() (train, heldOut [numFamilies][]dateFormat) {
	rng := rand.New(rand.NewPCG(1983, 917))
	for family, formats := range allDateFormats() {
		held := make([]bool, len(formats))
		n := (len(formats) + heldOutShare - 1) / heldOutShare
		for _, i := range rng.Perm(len(formats)) {
			if n > 0 && !slices.Contains(keptFormats, formats[i]) {
				held[i] = true
				n--
			}
		}
		for i, f := range formats { // in the order of allDateFormats
			if held[i] {
				heldOut[family] = append(heldOut[family], f)
			} else {
				train[family] = append(train[family], f)
			}
		}
	}
	return train, heldOut
}

// The dates Dates draws from: every day of the hundred years whose two-digit
// form is unambiguous under the rule "50..99 is 19xx, 00..49 is 20xx".
var (
	firstDate = time.Date(1950, time.January, 1, 0, 0, 0, 0, time.UTC)
	numDays   = int(time.Date(2050, time.January, 1, 0, 0, 0, 0, time.UTC).Sub(firstDate).Hours() / 24) // 36,525
)

// isoLayout is the target format, ISO 8601's calendar date.
const isoLayout = "2006-01-02"

// DateFormats returns the patterns of the formats [Dates] writes, family by
// family, in a notation for people — Weekday (Saturday) and Wkd (Sat); D
// (7), DD (07) and Dth (7th); Month (September), Mon (Sep or Sept) and Mon.
// (Sep. or Sept.); M (9) and MM (09); YYYY (1983), YY (83) and 'YY ('83);
// and the case when it is not title case:
//
//	D Month YYYY                    17 September 1983
//	Wkd, Mon. Dth, YYYY             Sat, Sept. 17th, 1983
//	the Dth of Month YY (lower case) the 17th of september 83
//	M/D/YY                          9/17/83
//	D.M.YYYY                        17.9.1983
//	YYYY-MM-DD                      1983-09-17
func DateFormats() []string { return patterns(trainFormats) }

// HeldOutDateFormats returns the patterns of the formats [HeldOutDates]
// writes and [Dates] never does, in the notation of [DateFormats]: an eighth
// of each family's formats, each a new combination of choices that the
// training formats make separately.
func HeldOutDateFormats() []string { return patterns(heldOutFormats) }

func patterns(formats [numFamilies][]dateFormat) []string {
	var out []string
	for _, fs := range formats {
		for _, f := range fs {
			out = append(out, f.pattern())
		}
	}
	return out
}

// Dates returns n date-normalisation pairs: Src is a date written the way
// people write it and Tgt the same date in ISO 8601 form,
//
//	{Src: "Sat, Sept. 17th, 1983", Tgt: "1983-09-17"}
//	{Src: "9/17/83", Tgt: "1983-09-17"}
//
// The date is drawn uniformly from 1 January 1950 to 31 December 2049, then
// a family (weighted: a quarter each for the two in words), then one of the
// family's formats ([DateFormats]). The rules that keep every Src
// unambiguous:
//
//   - A two-digit year means 1950..2049: 50..99 is 19xx, 00..49 is 20xx (a
//     pivot at 50; Go's time.Parse and POSIX strptime pivot at 69).
//   - Slashes are month first, as in the US ("9/17/83"), unless the first
//     number is over 12 and so must be a day ("17/9/83"): the day-first
//     slash family writes only days 13..31. Dots are day first ("17.9.83"),
//     as in Europe. A four-digit year first is ISO order, year-month-day,
//     with dashes, slashes or dots ("1983-09-17", "1983/9/17").
//   - Month names are English, in full, in three letters ("Sept" too), with
//     or without a period; weekdays likewise, and always the date's own.
//
// It panics if n is negative.
func Dates(rng *rand.Rand, n int) []data.Pair { return dates(rng, n, &trainFormats) }

// HeldOutDates is [Dates] drawing from the held-out formats
// ([HeldOutDateFormats]) instead: dates written in ways the training
// generator never writes, from the same families, to measure whether a
// model has learnt the parts of a date rather than its formats. Use another
// seed than for training, too.
func HeldOutDates(rng *rand.Rand, n int) []data.Pair { return dates(rng, n, &heldOutFormats) }

func dates(rng *rand.Rand, n int, formats *[numFamilies][]dateFormat) []data.Pair {
	if n < 0 {
		panic(fmt.Sprintf("tasks: negative number of examples %d", n))
	}
	pairs := make([]data.Pair, n)
	for i := 0; i < n; {
		t := firstDate.AddDate(0, 0, rng.IntN(numDays))
		total := 0
		for family, w := range familyWeights {
			if formats[family][0].usable(t) {
				total += w
			}
		}
		k := rng.IntN(total)
		family := 0
		for ; ; family++ {
			if formats[family][0].usable(t) {
				if k < familyWeights[family] {
					break
				}
				k -= familyWeights[family]
			}
		}
		f := formats[family][rng.IntN(len(formats[family]))]
		sept := rng.IntN(2) == 0
		if formats == &heldOutFormats && trained(f, t) {
			continue // a training format writes this string too: draw again
		}
		pairs[i] = data.Pair{Src: f.format(t, sept), Tgt: t.Format(isoLayout)}
		i++
	}
	return pairs
}

// isTrainFormat holds the training formats.
var isTrainFormat = func() map[dateFormat]bool {
	m := map[dateFormat]bool{}
	for _, fs := range trainFormats {
		for _, f := range fs {
			m[f] = true
		}
	}
	return m
}()

// trained reports whether some training format writes t as f does. Formats
// differ in the strings they write except where a choice makes no
// difference for t: a day or month of two digits is the same padded or
// not, and May is May in full, short or with a period. So f's string is a
// training string if a training format differs from f in those choices
// alone.
func trained(f dateFormat, t time.Time) bool {
	days, months := []dayStyle{f.day}, []monthStyle{f.month}
	if t.Day() >= 10 && (f.day == plainDay || f.day == paddedDay) {
		days = []dayStyle{plainDay, paddedDay}
	}
	switch {
	case t.Month() >= 10 && (f.month == plainMonth || f.month == paddedMonth):
		months = []monthStyle{plainMonth, paddedMonth}
	case t.Month() == time.May && f.month >= fullMonth:
		months = []monthStyle{fullMonth, shortMonth, dotMonth}
	}
	for _, d := range days {
		for _, m := range months {
			g := f
			g.day, g.month = d, m
			if isTrainFormat[g] {
				return true
			}
		}
	}
	return false
}

// CheckDate returns nil if s is a calendar date in ISO 8601 form,
// YYYY-MM-DD, that exists, and otherwise an error saying what is wrong:
// "1983-19-17" has month 19, "2023-02-29" is not a leap year's. A
// date model's output is not a date until it passes.
func CheckDate(s string) error {
	if len(s) != len(isoLayout) || s[4] != '-' || s[7] != '-' {
		return fmt.Errorf("tasks: %q is not a date: want YYYY-MM-DD", s)
	}
	var n [3]int
	for i, part := range []string{s[:4], s[5:7], s[8:]} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return fmt.Errorf("tasks: %q is not a date: want YYYY-MM-DD", s)
			}
			n[i] = 10*n[i] + int(c-'0')
		}
	}
	y, m, d := n[0], n[1], n[2]
	if m < 1 || m > 12 {
		return fmt.Errorf("tasks: %q is not a date: there is no month %d", s, m)
	}
	if last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); d < 1 || d > last {
		return fmt.Errorf("tasks: %q is not a date: %s %d has %d days", s, time.Month(m), y, last)
	}
	return nil
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
