package forecast

import (
	"fmt"
	"math"
	"time"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/datasets"
)

// Step is the spacing of a series' calendar.
type Step int

const (
	Daily   Step = iota // one value a day
	Monthly             // one value a month, dated the 1st
)

func (s Step) String() string {
	if s == Monthly {
		return "monthly"
	}
	return "daily"
}

// Unit returns what the rows of a series count: "days" or "months".
func (s Step) Unit() string {
	if s == Monthly {
		return "months"
	}
	return "days"
}

// Season returns the number of steps in a year: 365 or 12.
func (s Step) Season() int {
	if s == Monthly {
		return 12
	}
	return 365
}

// Series is a table of measurements on a regular calendar, one row a day
// or a month from Start, without gaps: a missing observation is filled by
// linear interpolation between its neighbours and flagged in Filled, so
// that a model reads a regular sequence but no filled value is ever
// counted as a target or a score (see Forecaster and Compare).
type Series struct {
	Name   string
	Start  time.Time // the date of row 0
	Step   Step
	Names  []string    // the columns
	Values [][]float64 // [column][t]
	Filled []bool      // [t]: some column of row t was missing and is interpolated
}

// Len returns the number of rows.
func (s *Series) Len() int { return len(s.Filled) }

// Time returns the date of row t.
func (s *Series) Time(t int) time.Time {
	if s.Step == Monthly {
		return s.Start.AddDate(0, t, 0)
	}
	return s.Start.AddDate(0, 0, t)
}

// Index returns the row of date d (the row whose period holds it); it may
// be outside [0, Len).
func (s *Series) Index(d time.Time) int {
	if s.Step == Monthly {
		return (d.Year()-s.Start.Year())*12 + int(d.Month()) - int(s.Start.Month())
	}
	return int(math.Floor(d.Sub(s.Start).Hours() / 24))
}

// Column returns the values of the named column (the series' own slice),
// or an error listing the columns.
func (s *Series) Column(name string) ([]float64, error) {
	for i, n := range s.Names {
		if n == name {
			return s.Values[i], nil
		}
	}
	return nil, fmt.Errorf("forecast: series %s has no column %q (columns: %v)", s.Name, name, s.Names)
}

// FilledCount returns the number of filled rows.
func (s *Series) FilledCount() int {
	n := 0
	for _, f := range s.Filled {
		if f {
			n++
		}
	}
	return n
}

// NewSeries puts dated observations on a regular calendar: dates must
// increase strictly and fall on the step's grid (any time of a day; the
// 1st of a month for Monthly); a date the data skips, and a NaN value,
// becomes a row filled by linear interpolation between the nearest
// observed values of that column (the nearest one at either end), flagged
// in Filled. columns[c][i] is column c's value at dates[i].
func NewSeries(name string, dates []time.Time, step Step, names []string, columns [][]float64) (*Series, error) {
	if len(dates) == 0 {
		return nil, fmt.Errorf("forecast: %s: no observations", name)
	}
	if len(names) != len(columns) {
		panic("forecast: names and columns differ in number")
	}
	s := &Series{Name: name, Start: day(dates[0]), Step: step, Names: names}
	if step == Monthly && s.Start.Day() != 1 {
		return nil, fmt.Errorf("forecast: %s: monthly date %s is not the 1st of a month", name, dates[0].Format("2006-01-02"))
	}
	last := -1
	rows := make([]int, len(dates))
	for i, d := range dates {
		r := s.Index(d)
		switch {
		case step == Monthly && d.Day() != 1:
			return nil, fmt.Errorf("forecast: %s: monthly date %s is not the 1st of a month", name, d.Format("2006-01-02"))
		case r <= last:
			return nil, fmt.Errorf("forecast: %s: date %s out of order or repeated (after %s)", name, d.Format("2006-01-02"), dates[i-1].Format("2006-01-02"))
		}
		rows[i], last = r, r
	}
	n := last + 1
	s.Filled = make([]bool, n)
	observed := make([]bool, n)
	for _, r := range rows {
		observed[r] = true
	}
	for c, col := range columns {
		if len(col) != len(dates) {
			panic("forecast: a column differs in length from the dates")
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = math.NaN()
		}
		for i, r := range rows {
			v[r] = col[i]
		}
		if !interpolate(v, s.Filled) {
			return nil, fmt.Errorf("forecast: %s: column %q has no value at all", name, names[c])
		}
		s.Values = append(s.Values, v)
	}
	return s, nil
}

// interpolate fills the NaNs of v linearly between their observed
// neighbours (with the nearest observed value at the ends) and marks them
// in filled. It reports false when v has no observed value.
func interpolate(v []float64, filled []bool) bool {
	prev := -1
	for i := 0; i <= len(v); i++ {
		if i < len(v) && math.IsNaN(v[i]) {
			continue
		}
		// v[prev] and v[i] are observed (or the ends); fill between.
		for k := prev + 1; k < i; k++ {
			switch {
			case prev < 0 && i == len(v):
				return false
			case prev < 0:
				v[k] = v[i]
			case i == len(v):
				v[k] = v[prev]
			default:
				w := float64(k-prev) / float64(i-prev)
				v[k] = (1-w)*v[prev] + w*v[i]
			}
			filled[k] = true
		}
		prev = i
	}
	return true
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// Weather returns the daily NOAA weather of "Seattle" or "New York",
// 2012–2015, from the embedded "weather-seattle-nyc-daily": columns
// temp_max and temp_min (°C), precipitation (mm) and wind (m/s).
func Weather(city string) (*Series, error) {
	t, err := readCSV("weather-seattle-nyc-daily", "weather.csv")
	if err != nil {
		return nil, err
	}
	rows, err := t.Where("location", city)
	if err != nil {
		return nil, err
	}
	if rows.Len() == 0 {
		return nil, fmt.Errorf("forecast: no weather for %q (cities: Seattle, New York)", city)
	}
	return fromTable(city+" weather", rows, "date", "2006-01-02", Daily, "temp_max", "temp_min", "precipitation", "wind")
}

// CO2 returns the monthly Mauna Loa CO₂ record, 1958-03 … 2020-04, from the
// embedded "co2-mauna-loa-monthly": column co2 (ppm). Its five missing
// months are filled and flagged.
func CO2() (*Series, error) {
	t, err := readCSV("co2-mauna-loa-monthly", "co2-concentration.csv")
	if err != nil {
		return nil, err
	}
	s, err := fromTable("Mauna Loa CO₂", t, "Date", "2006-01-02", Monthly, "CO2")
	if err != nil {
		return nil, err
	}
	s.Names = []string{"co2"}
	return s, nil
}

func readCSV(name, file string) (*data.Table, error) {
	r, err := datasets.OpenFile(name, file)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return data.ReadCSV(r, file)
}

// fromTable reads the date column and the value columns of t into a
// Series.
func fromTable(name string, t *data.Table, dateCol, layout string, step Step, cols ...string) (*Series, error) {
	dates, err := t.Dates(dateCol, layout)
	if err != nil {
		return nil, err
	}
	var columns [][]float64
	for _, c := range cols {
		v, err := t.Floats(c)
		if err != nil {
			return nil, err
		}
		columns = append(columns, v)
	}
	return NewSeries(name, dates, step, cols, columns)
}
