package tasks

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/data"
)

// day is a date at midnight UTC.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestDateFormat writes two dates in formats of every family: Saturday 17
// September 1983 (a date the issue quotes) and Monday 4 January 1971, whose
// day and month have one digit.
func TestDateFormat(t *testing.T) {
	sat, mon := day(1983, time.September, 17), day(1971, time.January, 4)
	for _, test := range []struct {
		f          dateFormat
		sept       bool
		sat, mon   string
		patternFor string
	}{
		{dateFormat{family: wordsDayFirst, month: fullMonth}, false, "17 September 1983", "4 January 1971", "D Month YYYY"},
		{dateFormat{family: wordsMonthFirst, day: ordinalDay, month: dotMonth, comma: true}, true, "Sept. 17th, 1983", "Jan. 4th, 1971", "Mon. Dth, YYYY"},
		{dateFormat{family: wordsMonthFirst, day: ordinalDay, month: dotMonth, comma: true}, false, "Sep. 17th, 1983", "Jan. 4th, 1971", "Mon. Dth, YYYY"},
		{dateFormat{family: wordsMonthFirst, weekday: shortWeekday, wdComma: true, month: shortMonth, year: apostrophe}, true, "Sat, Sept 17 '83", "Mon, Jan 4 '71", "Wkd, Mon D 'YY"},
		{dateFormat{family: wordsDayFirst, weekday: fullWeekday, day: theDayOf, month: fullMonth, comma: true, letters: lowerCase}, false,
			"saturday the 17th of september, 1983", "monday the 4th of january, 1971", "Weekday the Dth of Month, YYYY (lower case)"},
		{dateFormat{family: wordsDayFirst, day: paddedDay, month: shortMonth, year: twoDigits, letters: upperCase}, false, "17 SEP 83", "04 JAN 71", "DD Mon YY (upper case)"},
		{dateFormat{family: slashMonthFirst, year: twoDigits}, false, "9/17/83", "1/4/71", "M/D/YY"},
		{dateFormat{family: slashMonthFirst, day: paddedDay, month: paddedMonth}, false, "09/17/1983", "01/04/1971", "MM/DD/YYYY"},
		{dateFormat{family: slashDayFirst, month: paddedMonth, year: twoDigits}, false, "17/09/83", "4/01/71", "D/MM/YY"}, // (not usable for the 4th)
		{dateFormat{family: dotsDayFirst, weekday: shortWeekday}, false, "Sat 17.9.1983", "Mon 4.1.1971", "Wkd D.M.YYYY"},
		{dateFormat{family: dotsDayFirst, day: paddedDay, month: paddedMonth, year: twoDigits}, false, "17.09.83", "04.01.71", "DD.MM.YY"},
		{dateFormat{family: yearFirst, day: paddedDay, month: paddedMonth, sep: "-"}, false, "1983-09-17", "1971-01-04", "YYYY-MM-DD"},
		{dateFormat{family: yearFirst, sep: "/"}, false, "1983/9/17", "1971/1/4", "YYYY/M/D"},
	} {
		if got := test.f.format(sat, test.sept); got != test.sat {
			t.Errorf("%+v: %q, want %q", test.f, got, test.sat)
		}
		if got := test.f.format(mon, test.sept); got != test.mon {
			t.Errorf("%+v: %q, want %q", test.f, got, test.mon)
		}
		if got := test.f.pattern(); got != test.patternFor {
			t.Errorf("%+v: pattern %q, want %q", test.f, got, test.patternFor)
		}
	}
}

func TestOrdinal(t *testing.T) {
	want := "1st 2nd 3rd 4th 10th 11th 12th 13th 14th 20th 21st 22nd 23rd 24th 30th 31st"
	var got []string
	for _, d := range []int{1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 30, 31} {
		got = append(got, ordinal(d))
	}
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

// TestDateFormatSplit checks the split into training and held-out formats:
// disjoint, an eighth of each family held out, the formats the README
// quotes kept for training, and every choice of a held-out format made by
// some training format of its family — a held-out format is a new
// combination, not a new part.
func TestDateFormatSplit(t *testing.T) {
	all := allDateFormats()
	wantAll := [numFamilies]int{wordsDayFirst: 1080, wordsMonthFirst: 810, slashMonthFirst: 104, slashDayFirst: 52, dotsDayFirst: 104, yearFirst: 12}
	for family, formats := range all {
		if len(formats) != wantAll[family] {
			t.Errorf("family %d: %d formats, want %d", family, len(formats), wantAll[family])
		}
		seen := map[string]bool{} // as written for two dates: each format writes its own strings
		for _, f := range formats {
			key := f.format(day(1983, time.September, 17), true) + "|" + f.format(day(2004, time.February, 1), false)
			if seen[key] {
				t.Errorf("two formats write %q", key)
			}
			seen[key] = true
		}
		train, held := trainFormats[family], heldOutFormats[family]
		if len(train)+len(held) != len(formats) || len(held) != (len(formats)+7)/8 {
			t.Errorf("family %d: %d training and %d held-out formats of %d", family, len(train), len(held), len(formats))
		}
		inTrain := map[dateFormat]bool{}
		choices := map[string]bool{}
		for _, f := range train {
			inTrain[f] = true
			for _, c := range formatChoices(f) {
				choices[c] = true
			}
		}
		for _, f := range held {
			if inTrain[f] {
				t.Errorf("%s is both held out and trained on", f.pattern())
			}
			for _, c := range formatChoices(f) {
				if !choices[c] {
					t.Errorf("held-out %s: choice %s is in no training format of its family", f.pattern(), c)
				}
			}
		}
	}
	train := strings.Join(DateFormats(), "\n")
	for _, p := range []string{"D Month YYYY", "Mon. Dth, YYYY", "M/D/YY", "YYYY-MM-DD"} {
		if !strings.Contains("\n"+train+"\n", "\n"+p+"\n") {
			t.Errorf("%s is not a training format", p)
		}
	}
	if n, h := len(DateFormats()), len(HeldOutDateFormats()); n != 1890 || h != 272 {
		t.Errorf("%d training and %d held-out formats, want 1890 and 272", n, h)
	}
}

// formatChoices names each choice of f separately.
func formatChoices(f dateFormat) []string {
	return []string{
		"weekday " + strconv.Itoa(int(f.weekday)) + strconv.FormatBool(f.wdComma), "day " + strconv.Itoa(int(f.day)),
		"month " + strconv.Itoa(int(f.month)), "year " + strconv.Itoa(int(f.year)), "comma " + strconv.FormatBool(f.comma),
		"sep " + f.sep, "case " + strconv.Itoa(int(f.letters)),
	}
}

// readDate reads a date by the rules Dates documents, independently of the
// generator: weekday names, month names and numbers, ordinal suffixes, the
// order of each family and the two-digit-year pivot. It reports false for
// anything else, a weekday that is not the date's included.
func readDate(s string) (time.Time, bool) {
	s = strings.ToLower(s)
	weekday := -1
	for i := range 7 {
		full := strings.ToLower(time.Weekday(i).String())
		for _, name := range []string{full, full[:3]} {
			if rest, ok := strings.CutPrefix(s, name); ok && (strings.HasPrefix(rest, ", ") || strings.HasPrefix(rest, " ")) {
				weekday, s = i, strings.TrimPrefix(strings.TrimPrefix(rest, ","), " ")
				break
			}
		}
		if weekday >= 0 {
			break
		}
	}
	year := func(y string) (int, bool) {
		n, err := strconv.Atoi(strings.TrimPrefix(y, "'"))
		switch {
		case err != nil || n < 0:
			return 0, false
		case len(y) == 4 && y[0] != '\'':
			return n, true
		case len(y) == 2 || len(y) == 3 && y[0] == '\'':
			if n >= 50 {
				return 1900 + n, true
			}
			return 2000 + n, true
		}
		return 0, false
	}
	var y, m, d int
	var ok bool
	if strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") {
		// In words: the month is the word, the day the first number (with
		// its ordinal suffix if any), the year the second.
		var nums []string
		for _, w := range strings.Fields(strings.ReplaceAll(s, ",", " ")) {
			switch {
			case w == "the" || w == "of":
			case w[0] >= 'a' && w[0] <= 'z':
				for i := 1; i <= 12; i++ {
					name := strings.ToLower(time.Month(i).String())
					w := strings.TrimSuffix(w, ".")
					if w == name || w == name[:3] || i == 9 && w == "sept" {
						m = i
					}
				}
				if m == 0 {
					return time.Time{}, false
				}
			default:
				nums = append(nums, w)
			}
		}
		if len(nums) != 2 {
			return time.Time{}, false
		}
		digits := strings.TrimRight(nums[0], "abcdefghijklmnopqrstuvwxyz")
		n, err := strconv.Atoi(digits)
		if err != nil || digits != nums[0] && ordinal(n) != nums[0] {
			return time.Time{}, false
		}
		d = n
		if y, ok = year(nums[1]); !ok {
			return time.Time{}, false
		}
	} else {
		sep := strings.IndexAny(s, "/.-")
		if sep < 0 {
			return time.Time{}, false
		}
		parts := strings.Split(s, s[sep:sep+1])
		if len(parts) != 3 {
			return time.Time{}, false
		}
		var n [3]int
		for i, p := range parts {
			var err error
			if n[i], err = strconv.Atoi(p); err != nil {
				return time.Time{}, false
			}
		}
		switch {
		case len(parts[0]) == 4: // year first, any separator
			y, m, d = n[0], n[1], n[2]
		case s[sep] == '.' || s[sep] == '/' && n[0] > 12: // day first
			d, m = n[0], n[1]
			y, ok = year(parts[2])
		case s[sep] == '/': // month first (US)
			m, d = n[0], n[1]
			y, ok = year(parts[2])
		}
		if len(parts[0]) != 4 && !ok {
			return time.Time{}, false
		}
	}
	t := day(y, time.Month(m), d)
	if t.Day() != d || t.Month() != time.Month(m) || weekday >= 0 && int(t.Weekday()) != weekday {
		return time.Time{}, false
	}
	return t, true
}

// TestDates reads every generated source back with readDate: each is
// written by the documented rules, and no source has two readings.
func TestDates(t *testing.T) {
	lo, hi := day(1950, 1, 1), day(2049, 12, 31)
	for _, gen := range []struct {
		name string
		f    func(*rand.Rand, int) []data.Pair
	}{{"Dates", Dates}, {"HeldOutDates", HeldOutDates}} {
		const n = 10000
		pairs := gen.f(rand.New(rand.NewPCG(1, 1)), n)
		if len(pairs) != n {
			t.Fatalf("%s: %d pairs, want %d", gen.name, len(pairs), n)
		}
		years := map[int]bool{}
		sources := map[string]string{}
		sept := map[string]bool{}
		for _, p := range pairs {
			want, err := time.Parse(isoLayout, p.Tgt)
			if err != nil {
				t.Fatalf("%s: %q: target: %v", gen.name, p, err)
			}
			if want.Before(lo) || want.After(hi) {
				t.Errorf("%s: %q: date outside 1950..2049", gen.name, p)
			}
			years[want.Year()] = true
			if got, ok := readDate(p.Src); !ok || !got.Equal(want) {
				t.Errorf("%s: %q reads as %s (%v)", gen.name, p, got.Format(isoLayout), ok)
			}
			if tgt, dup := sources[p.Src]; dup && tgt != p.Tgt {
				t.Errorf("%s: %q means %s and %s", gen.name, p.Src, tgt, p.Tgt)
			}
			sources[p.Src] = p.Tgt
			for _, s := range []string{"sept", "sep "} {
				sept[s] = sept[s] || strings.Contains(strings.ToLower(p.Src), s)
			}
		}
		// 100 years at 100 draws each: missing one has odds of about 100·e^-100.
		if len(years) != 100 {
			t.Errorf("%s: %d distinct years, want 100", gen.name, len(years))
		}
		if !sept["sept"] || !sept["sep "] {
			t.Errorf("%s: Sept and Sep should both occur: %v", gen.name, sept)
		}
	}
	// The examples of the issue.
	for src, want := range map[string]string{"9/17/83": "1983-09-17", "1/4/71": "1971-01-04", "17/9/83": "1983-09-17", "17.9.83": "1983-09-17", "Sept. 17th, 1983": "1983-09-17", "4/1/49": "2049-04-01"} {
		if got, ok := readDate(src); !ok || got.Format(isoLayout) != want {
			t.Errorf("readDate(%q) = %s, %v; want %s", src, got.Format(isoLayout), ok, want)
		}
	}
}

// TestHeldOutDatesDiffer: no source of the held-out generator is one the
// training generator writes for its date.
func TestHeldOutDatesDiffer(t *testing.T) {
	for _, p := range HeldOutDates(rand.New(rand.NewPCG(5, 5)), 300) {
		d, _ := time.Parse(isoLayout, p.Tgt)
		for _, fs := range trainFormats {
			for _, f := range fs {
				if f.usable(d) && (f.format(d, false) == p.Src || f.format(d, true) == p.Src) {
					t.Fatalf("%q is also written by training format %s", p.Src, f.pattern())
				}
			}
		}
	}
}

func TestDatesDeterministic(t *testing.T) {
	a := Dates(rand.New(rand.NewPCG(1, 1)), 100)
	b := Dates(rand.New(rand.NewPCG(1, 1)), 100)
	c := Dates(rand.New(rand.NewPCG(2, 2)), 100)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different pairs")
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("seeds 1 and 2 give the same pairs")
	}
	if got := Dates(rand.New(rand.NewPCG(1, 1)), 0); len(got) != 0 {
		t.Errorf("Dates(0) = %q", got)
	}
}

func TestCheckDate(t *testing.T) {
	for _, test := range []struct {
		in, err string // err empty: a date
	}{
		{"1983-09-17", ""},
		{"2000-02-29", ""}, // divisible by 400: a leap year
		{"2049-12-31", ""},
		{"1983-19-17", `tasks: "1983-19-17" is not a date: there is no month 19`},
		{"1971-11-00", `tasks: "1971-11-00" is not a date: November 1971 has 30 days`},
		{"1900-02-29", `tasks: "1900-02-29" is not a date: February 1900 has 28 days`},
		{"2023-04-31", `tasks: "2023-04-31" is not a date: April 2023 has 30 days`},
		{"1983-9-17", `tasks: "1983-9-17" is not a date: want YYYY-MM-DD`},
		{"1983-09-1x", `tasks: "1983-09-1x" is not a date: want YYYY-MM-DD`},
		{"", `tasks: "" is not a date: want YYYY-MM-DD`},
		{"1983/09/17", `tasks: "1983/09/17" is not a date: want YYYY-MM-DD`},
	} {
		err := CheckDate(test.in)
		if test.err == "" && err != nil || test.err != "" && (err == nil || err.Error() != test.err) {
			t.Errorf("CheckDate(%q) = %v, want %q", test.in, err, test.err)
		}
	}
}

func TestDateTokens(t *testing.T) {
	for _, test := range []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"26 Nov", []string{"2", "6", " ", "N", "o", "v"}},
		{"1.1", []string{"1", ".", "1"}},
		{"août", []string{"a", "o", "û", "t"}}, // one token per rune, not per byte
		{"a\xffb", []string{"a", "\uFFFD", "b"}},
	} {
		got := DateTokens(test.in)
		if !reflect.DeepEqual(got, test.want) {
			t.Errorf("DateTokens(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

func TestPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, test := range []struct {
		name string
		f    func()
	}{
		{"Dates n<0", func() { Dates(rng, -1) }},
		{"HeldOutDates n<0", func() { HeldOutDates(rng, -1) }},
		{"Reversal n<0", func() { Reversal(rng, -1, 5, 1, 3) }},
		{"Reversal vocab 0", func() { Reversal(rng, 1, 0, 1, 3) }},
		{"Reversal vocab 27", func() { Reversal(rng, 1, 27, 1, 3) }},
		{"Reversal minLen 0", func() { Reversal(rng, 1, 5, 0, 3) }},
		{"Reversal max<min", func() { Reversal(rng, 1, 5, 4, 3) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", test.name)
				}
			}()
			test.f()
		}()
	}
}
