package data

import (
	"math"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
)

func TestReadCSV(t *testing.T) {
	in := "\uFEFFcity,date,temp\n" +
		"A,2012-01-01,1.5\n" +
		"B,2012-01-01,\n" +
		"\"A\",2012-01-02,NA\n" +
		"A,2012-01-03, -2 \n"
	tab, err := ReadCSV(strings.NewReader(in), "w.csv")
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 4 || strings.Join(tab.Header, ",") != "city,date,temp" {
		t.Fatalf("%d rows, header %q", tab.Len(), tab.Header)
	}
	a, err := tab.Where("city", "A")
	if err != nil || a.Len() != 3 || a.Line(2) != 5 {
		t.Fatalf("Where: %d rows, %v", a.Len(), err)
	}
	temp, err := a.Floats("temp")
	if err != nil {
		t.Fatal(err)
	}
	if temp[0] != 1.5 || !math.IsNaN(temp[1]) || temp[2] != -2 {
		t.Errorf("temp %v, want [1.5 NaN -2]", temp)
	}
	days, err := a.Dates("date", "2006-01-02")
	if err != nil || days[2].Day() != 3 {
		t.Errorf("dates %v, %v", days, err)
	}
}

func TestReadCSVErrors(t *testing.T) {
	for _, test := range []struct {
		name, in, want string
		read           func(*Table) error
	}{
		{name: "empty", in: "", want: "data: x.csv: empty file"},
		{name: "fields", in: "a,b\n1,2\n3\n", want: "data: x.csv:3: 1 fields, want 2 (a,b)"},
		{name: "unnamed", in: "a,,c\n", want: "data: x.csv:1: column 2 has no name"},
		{name: "twice", in: "a,a\n", want: `data: x.csv:1: column "a" named twice`},
		{name: "quote", in: "a\n\"x\n", want: "data: x.csv:2:"},
		{name: "not a number", in: "a,b\n1,2\n1,12.5.3\n", want: `data: x.csv:3: column "b": "12.5.3" is not a number`,
			read: func(t *Table) error { _, err := t.Floats("b"); return err }},
		{name: "infinite", in: "a\nInf\n", want: `data: x.csv:2: column "a": "Inf" is not a number`,
			read: func(t *Table) error { _, err := t.Floats("a"); return err }},
		{name: "no column", in: "a,b\n1,2\n", want: `data: x.csv: no column "c" (columns: a, b)`,
			read: func(t *Table) error { _, err := t.Floats("c"); return err }},
		{name: "bad date", in: "d\n2012-13-01\n", want: `data: x.csv:2: column "d": "2012-13-01" is not a date like 2006-01-02`,
			read: func(t *Table) error { _, err := t.Dates("d", "2006-01-02"); return err }},
		{name: "missing date", in: "d,v\n,1\n", want: `data: x.csv:2: column "d": "" is not a date`,
			read: func(t *Table) error { _, err := t.Dates("d", "2006-01-02"); return err }},
	} {
		t.Run(test.name, func(t *testing.T) {
			tab, err := ReadCSV(strings.NewReader(test.in), "x.csv")
			if err == nil && test.read != nil {
				err = test.read(tab)
			}
			if err == nil || !strings.HasPrefix(err.Error(), test.want) {
				t.Errorf("error %v, want %q", err, test.want)
			}
		})
	}
}

// TestWeatherCSV reads the embedded NOAA file: 1,461 days for each city,
// no missing value (its SOURCE.md), Seattle's maximum −1.6 … 35.6 °C.
func TestWeatherCSV(t *testing.T) {
	r, err := datasets.Open("weather-seattle-nyc-daily")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tab, err := ReadCSV(r, "weather.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, city := range []string{"Seattle", "New York"} {
		c, err := tab.Where("location", city)
		if err != nil {
			t.Fatal(err)
		}
		if c.Len() != 1461 {
			t.Errorf("%s: %d days, want 1461", city, c.Len())
		}
		for _, col := range []string{"precipitation", "temp_max", "temp_min", "wind"} {
			v, err := c.Floats(col)
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range v {
				if math.IsNaN(x) {
					t.Errorf("%s %s: missing at line %d", city, col, c.Line(i))
				}
			}
		}
	}
}

// FuzzReadCSV checks that ReadCSV never panics, names the file in its
// errors, and returns rows as wide as the header.
func FuzzReadCSV(f *testing.F) {
	f.Add("a,b\n1,2\n")
	f.Add("\"a\nb\",c\n\"x\"\"\",\n")
	f.Add("a,,\n1")
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := ReadCSV(strings.NewReader(in), "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "data: f.csv") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		for i, r := range tab.Rows {
			if len(r) != len(tab.Header) {
				t.Fatalf("row %d has %d fields, header %d", i, len(r), len(tab.Header))
			}
		}
		for _, h := range tab.Header {
			if _, err := tab.Floats(h); err != nil && !strings.HasPrefix(err.Error(), "data: f.csv:") {
				t.Fatalf("Floats error without file and line: %v", err)
			}
		}
	})
}
