package forecast

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"github.com/seq2go/seq2go/lib/metrics"
	"github.com/seq2go/seq2go/lib/plot"
)

// Split holds the target rows of a series in three consecutive periods:
// training, validation (for choosing settings: the AR order, the network's
// size and training length) and test (scored once, at the end). Time is
// never shuffled across them: every training row comes before every
// validation row, which comes before every test row.
type Split struct {
	Train, Val, Test []int
}

// SplitByDate cuts the rows from first (the earliest row with enough
// history for every forecaster) at the dates val and test.
func SplitByDate(s *Series, first int, val, test time.Time) (Split, error) {
	v, t := s.Index(val), s.Index(test)
	if !(first < v && v < t && t < s.Len()) {
		return Split{}, fmt.Errorf("forecast: split of %s at %s and %s leaves a period empty (rows %d, %d, %d of %d)",
			s.Name, val.Format("2006-01-02"), test.Format("2006-01-02"), first, v, t, s.Len())
	}
	return Split{Train: span(first, v), Val: span(v, t), Test: span(t, s.Len())}, nil
}

func span(lo, hi int) []int {
	out := make([]int, hi-lo)
	for i := range out {
		out[i] = lo + i
	}
	return out
}

// Result is one forecaster's one-step forecasts over a period and their
// errors against the observed values (filled rows not counted).
type Result struct {
	Name      string
	Forecast  []float64 // as long as the series; NaN outside the period
	MAE, RMSE float64
}

// Score returns the result of forecast over rows of s's target column y.
func Score(name string, s *Series, y, forecast []float64, rows []int) Result {
	f, a := make([]float64, len(rows)), make([]float64, len(rows))
	for i, t := range rows {
		f[i], a[i] = forecast[t], y[t]
		if s.Filled[t] {
			a[i] = math.NaN() // never score a value that was not observed
		}
	}
	return Result{Name: name, Forecast: forecast, MAE: metrics.MAE(f, a), RMSE: metrics.RMSE(f, a)}
}

// Baselines returns the three forecasts a forecaster must beat, scored on
// rows: persistence, seasonal naive (a season of s.Step earlier), and the
// linear autoregression whose order, among orders, forecasts the
// validation rows best when fitted on the training rows (least squares;
// filled targets left out of the fit). The AR is then refitted on the
// training and validation rows before it forecasts rows.
func Baselines(s *Series, target string, sp Split, rows []int, orders []int) ([]Result, error) {
	y, err := s.Column(target)
	if err != nil {
		return nil, err
	}
	keep := func(t int) bool { return !s.Filled[t] }
	best, bestMAE := 0, math.Inf(1)
	for _, p := range orders {
		ar, err := FitAR(y, sp.Train, keep, p)
		if err != nil {
			return nil, err
		}
		if mae := Score("", s, y, ar.Forecast(y, sp.Val), sp.Val).MAE; mae < bestMAE {
			best, bestMAE = p, mae
		}
	}
	if best == 0 {
		return nil, fmt.Errorf("forecast: no AR order to choose from")
	}
	ar, err := FitAR(y, append(append([]int(nil), sp.Train...), sp.Val...), keep, best)
	if err != nil {
		return nil, err
	}
	season := s.Step.Season()
	what := "same day last year"
	if s.Step == Monthly {
		what = "same month last year"
	}
	return []Result{
		Score("persistence", s, y, Persistence(y, rows), rows),
		Score(fmt.Sprintf("seasonal naive (%s)", what), s, y, SeasonalNaive(y, rows, season), rows),
		Score(fmt.Sprintf("linear AR(%d), least squares", best), s, y, ar.Forecast(y, rows), rows),
	}, nil
}

// Comparison is the forecasts of several forecasters over one period.
type Comparison struct {
	Series  *Series
	Target  string
	Unit    string // of the target, for the plot's axis ("°C"); may be empty
	Rows    []int
	Results []Result
}

// WriteTable writes the MAE and RMSE of each forecaster.
func (c *Comparison) WriteTable(w io.Writer) error {
	first, last := c.Series.Time(c.Rows[0]), c.Series.Time(c.Rows[len(c.Rows)-1])
	fmt.Fprintf(w, "%s, %s: one step ahead over %s … %s (%d %s)\n", c.Series.Name, c.Target,
		first.Format("2006-01-02"), last.Format("2006-01-02"), len(c.Rows), c.Series.Step.Unit())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "forecaster\tMAE\tRMSE\t")
	for _, r := range c.Results {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t\n", r.Name, r.MAE, r.RMSE)
	}
	return tw.Flush()
}

// Plot draws the observed values over the period and each forecast, with
// time in years on the x axis.
func (c *Comparison) Plot() *plot.Line { return c.PlotRange(0, len(c.Rows)) }

// PlotRange is Plot over Rows[from:to] only: a season of a year of daily
// forecasts is easier to read than the whole year. The MAEs in the legend
// are those of the whole period.
func (c *Comparison) PlotRange(from, to int) *plot.Line {
	rows := c.Rows[from:to]
	y, _ := c.Series.Column(c.Target)
	label := c.Target
	if c.Unit != "" {
		label += " (" + c.Unit + ")"
	}
	p := plot.NewLine(fmt.Sprintf("%s: one-step forecasts of %s", c.Series.Name, c.Target), "year", label)
	xs, obs := make([]float64, len(rows)), make([]float64, len(rows))
	for i, t := range rows {
		xs[i], obs[i] = decimalYear(c.Series.Time(t)), y[t]
		if c.Series.Filled[t] {
			obs[i] = math.NaN()
		}
	}
	p.Add("observed", xs, obs)
	for _, r := range c.Results {
		f := make([]float64, len(rows))
		for i, t := range rows {
			f[i] = r.Forecast[t]
		}
		p.Add(fmt.Sprintf("%s (MAE %.2f)", r.Name, r.MAE), xs, f)
	}
	p.Width, p.Height = 24, 12
	return p
}

// decimalYear returns d as a year with a fraction: 2015.5 is about July 2.
func decimalYear(d time.Time) float64 {
	start := time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	return float64(d.Year()) + d.Sub(start).Hours()/end.Sub(start).Hours()
}
