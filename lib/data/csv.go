package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Table is a CSV file with a header line: named columns of text fields,
// one row per record, each row remembering its line in the file so that
// a bad value is reported where it is. The readers of measurements over
// time (the NOAA weather, the Mauna Loa CO₂ record) take their columns
// from a Table:
//
//	t, _ := data.ReadCSV(r, "weather.csv")
//	seattle, _ := t.Where("location", "Seattle")
//	days, _ := seattle.Dates("date", "2006-01-02")
//	tmax, _ := seattle.Floats("temp_max")   // NaN where a value is missing
type Table struct {
	Name   string     // the file name errors give
	Header []string   // the column names
	Rows   [][]string // the records, each len(Header) fields
	lines  []int      // the file line of each row
}

// ReadCSV reads a CSV file (RFC 4180: commas, fields optionally in double
// quotes) whose first line names the columns. Every record must have as
// many fields as the header; the column names must be distinct and not
// empty. Errors name the file and line:
//
//	data: weather.csv:12: 6 fields, want 7 (location,date,precipitation,…)
//	data: weather.csv:1: column 3 has no name
func ReadCSV(r io.Reader, name string) (*Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked below, with a better message
	cr.ReuseRecord = false
	t := &Table{Name: name}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("data: %s: empty file: want a header line naming the columns", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], byteOrderMark)
	}
	seen := map[string]bool{}
	for i, h := range header {
		switch {
		case h == "":
			return nil, fmt.Errorf("data: %s:1: column %d has no name", name, i+1)
		case seen[h]:
			return nil, fmt.Errorf("data: %s:1: column %q named twice", name, h)
		}
		seen[h] = true
	}
	t.Header = header
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, fmt.Errorf("data: %s:%d: %d fields, want %d (%s)", name, line, len(rec), len(header), strings.Join(header, ","))
		}
		t.Rows = append(t.Rows, rec)
		t.lines = append(t.lines, line)
	}
}

// csvError turns encoding/csv's error into the package's form.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("data: %s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("data: %s: %w", name, err)
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.Rows) }

// Line returns the file line of row i.
func (t *Table) Line(i int) int { return t.lines[i] }

// column returns the index of the named column, or an error listing the
// columns there are.
func (t *Table) column(name string) (int, error) {
	for i, h := range t.Header {
		if h == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("data: %s: no column %q (columns: %s)", t.Name, name, strings.Join(t.Header, ", "))
}

// Column returns the fields of the named column, one per row.
func (t *Table) Column(name string) ([]string, error) {
	c, err := t.column(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = r[c]
	}
	return out, nil
}

// Where returns the rows whose named column equals value, as a Table of
// the same file (lines kept for errors).
func (t *Table) Where(column, value string) (*Table, error) {
	c, err := t.column(column)
	if err != nil {
		return nil, err
	}
	out := &Table{Name: t.Name, Header: t.Header}
	for i, r := range t.Rows {
		if r[c] == value {
			out.Rows = append(out.Rows, r)
			out.lines = append(out.lines, t.lines[i])
		}
	}
	return out, nil
}

// IsMissing reports whether a field stands for a missing value: empty,
// "NA" or "NaN" (any case), surrounding spaces ignored.
func IsMissing(field string) bool {
	f := strings.ToLower(strings.TrimSpace(field))
	return f == "" || f == "na" || f == "nan"
}

// Floats returns the named column as numbers, with NaN for a missing value
// (see [IsMissing]): missing values are kept, in their place, for the
// caller to fill or mask — never dropped. Anything else that is not a
// finite decimal number is an error naming the file, line and column:
//
//	data: weather.csv:88: column "temp_max": "12,5" is not a number
func (t *Table) Floats(name string) ([]float64, error) {
	c, err := t.column(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		if IsMissing(r[c]) {
			out[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(r[c]), 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, fmt.Errorf("data: %s:%d: column %q: %q is not a number", t.Name, t.lines[i], name, r[c])
		}
		out[i] = v
	}
	return out, nil
}

// Dates returns the named column parsed with layout (time.Parse's, e.g.
// "2006-01-02"), as UTC times. A missing or malformed date is an error
// naming the file and line: a row without its time cannot be placed.
func (t *Table) Dates(name, layout string) ([]time.Time, error) {
	c, err := t.column(name)
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, len(t.Rows))
	for i, r := range t.Rows {
		d, err := time.Parse(layout, strings.TrimSpace(r[c]))
		if err != nil {
			return nil, fmt.Errorf("data: %s:%d: column %q: %q is not a date like %s", t.Name, t.lines[i], name, r[c], layout)
		}
		out[i] = d
	}
	return out, nil
}
