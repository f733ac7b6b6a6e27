package tasks

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDateFormats(t *testing.T) {
	// 26 November 2026 is a Thursday: US Thanksgiving, the fourth Thursday
	// of November, falls on it.
	want := []string{
		"26 November 2026", "November 26, 2026", "Nov 26 2026", "26 Nov 2026",
		"Nov 26, 2026", "11/26/26", "11/26/2026", "26/11/2026", "26.11.2026",
		"2026-11-26", "Thursday, Nov 26 2026", "Thursday, 26 November 2026",
		"Thu 26 Nov 2026", "thursday november 26 2026", "26 november 2026",
		"nov 26, 2026", "26 NOV 2026", "NOVEMBER 26, 2026",
	}
	if got := DateFormats(); !reflect.DeepEqual(got, want) {
		t.Errorf("DateFormats() =\n%q\nwant\n%q", got, want)
	}
}

// TestDateWeekdays pins weekday names to dates known from outside the
// calendar arithmetic.
func TestDateWeekdays(t *testing.T) {
	for _, test := range []struct {
		date time.Time
		want string // formatted with "Monday, 2 January 2006"
	}{
		{time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), "Sunday, 1 January 1950"},   // first day of the range
		{time.Date(1969, 7, 20, 0, 0, 0, 0, time.UTC), "Sunday, 20 July 1969"},    // Apollo 11 landing
		{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), "Saturday, 1 January 2000"}, // Y2K
		{time.Date(2049, 12, 31, 0, 0, 0, 0, time.UTC), "Friday, 31 December 2049"},
	} {
		if got := (dateFormat{layout: "Monday, 2 January 2006"}).format(test.date); got != test.want {
			t.Errorf("%v: %q, want %q", test.date, got, test.want)
		}
	}
}

// parseDate reads s back in format f, with the two-digit-year rule of Dates
// (50..99 is 19xx, 00..49 is 20xx) in place of time.Parse's (69..99, 00..68).
// It reports false unless f writes exactly s for the date it reads.
func parseDate(f dateFormat, s string) (time.Time, bool) {
	d, err := time.Parse(f.layout, s) // month and day names match in any case
	if err != nil {
		return time.Time{}, false
	}
	if !strings.Contains(f.layout, "2006") && d.Year() >= 2050 {
		d = d.AddDate(-100, 0, 0)
	}
	// time.Parse checks a weekday name's spelling but not that it fits the
	// date; writing the date again does, and also rejects the wrong case.
	if !f.usable(d) || f.format(d) != s {
		return time.Time{}, false
	}
	return d, true
}

func TestDates(t *testing.T) {
	const n = 10000
	rng := rand.New(rand.NewPCG(1, 1))
	pairs := Dates(rng, n)
	if len(pairs) != n {
		t.Fatalf("%d pairs, want %d", len(pairs), n)
	}
	lo := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(2049, 12, 31, 0, 0, 0, 0, time.UTC)
	used := make([]int, len(dateFormats))
	years := make(map[int]bool)
	for _, p := range pairs {
		want, err := time.Parse("2006-01-02", p.Tgt)
		if err != nil {
			t.Fatalf("%q: target: %v", p, err)
		}
		if want.Before(lo) || want.After(hi) {
			t.Errorf("%q: date outside 1950..2049", p)
		}
		years[want.Year()] = true
		// Every format that can read Src must read the same date as Tgt:
		// no input is ambiguous.
		matched := false
		for i, f := range dateFormats {
			got, ok := parseDate(f, p.Src)
			if !ok {
				continue
			}
			if !got.Equal(want) {
				t.Errorf("%q: format %q reads %s", p, f.format(want), got.Format(isoLayout))
			}
			matched = true
			used[i]++
		}
		if !matched {
			t.Errorf("%q: no format reads the source", p)
		}
	}
	for i, c := range used {
		if c == 0 {
			t.Errorf("format %q never used in %d pairs", DateFormats()[i], n)
		}
	}
	// 100 years at 100 draws each: missing one has odds of about 36525·e^-100.
	if len(years) != 100 {
		t.Errorf("%d distinct years, want 100", len(years))
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
	for _, s := range DateFormats() {
		if got := strings.Join(DateTokens(s), ""); got != s {
			t.Errorf("Join(DateTokens(%q)) = %q", s, got)
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
