package forecast

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/gradcheck"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNewSeriesFillsGaps(t *testing.T) {
	dates := []time.Time{date("2000-01-01"), date("2000-03-01"), date("2000-04-01"), date("2000-07-01")}
	s, err := NewSeries("x", dates, Monthly, []string{"v"}, [][]float64{{1, 3, math.NaN(), 10}})
	if err != nil {
		t.Fatal(err)
	}
	// Rows Jan … Jul: Feb missing (between 1 and 3), Apr NaN and May, Jun
	// missing (between 3 and 10, three steps of 7/4).
	want := []float64{1, 2, 3, 4.75, 6.5, 8.25, 10}
	filled := []bool{false, true, false, true, true, true, false}
	for i := range want {
		if math.Abs(s.Values[0][i]-want[i]) > 1e-12 || s.Filled[i] != filled[i] {
			t.Errorf("row %d (%s): %v filled %v, want %v filled %v", i, s.Time(i).Format("2006-01"), s.Values[0][i], s.Filled[i], want[i], filled[i])
		}
	}
	if s.FilledCount() != 4 || s.Index(date("2000-05-01")) != 4 {
		t.Errorf("%d filled, May at row %d", s.FilledCount(), s.Index(date("2000-05-01")))
	}
}

func TestNewSeriesErrors(t *testing.T) {
	for _, test := range []struct {
		name  string
		dates []string
		step  Step
		want  string
	}{
		{"order", []string{"2000-01-02", "2000-01-01"}, Daily, "date 2000-01-01 out of order or repeated (after 2000-01-02)"},
		{"repeat", []string{"2000-01-01", "2000-01-01"}, Daily, "out of order or repeated"},
		{"not the 1st", []string{"2000-01-01", "2000-02-15"}, Monthly, "monthly date 2000-02-15 is not the 1st of a month"},
	} {
		var ds []time.Time
		var v []float64
		for _, d := range test.dates {
			ds, v = append(ds, date(d)), append(v, 1)
		}
		_, err := NewSeries("x", ds, test.step, []string{"v"}, [][]float64{v})
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %v, want %q", test.name, err, test.want)
		}
	}
	_, err := NewSeries("x", []time.Time{date("2000-01-01")}, Daily, []string{"v"}, [][]float64{{math.NaN()}})
	if err == nil || !strings.Contains(err.Error(), `column "v" has no value`) {
		t.Errorf("all missing: %v", err)
	}
}

// TestCO2 reads the embedded record: 1958-03 … 2020-04 is 746 months, of
// which the 5 that SOURCE.md lists are filled.
func TestCO2(t *testing.T) {
	s, err := CO2()
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 746 || s.FilledCount() != 5 {
		t.Fatalf("%d months, %d filled; want 746 and 5", s.Len(), s.FilledCount())
	}
	for _, m := range []string{"1958-06-01", "1958-10-01", "1964-02-01", "1964-03-01", "1964-04-01"} {
		if !s.Filled[s.Index(date(m))] {
			t.Errorf("%s is not flagged as filled", m)
		}
	}
	w, err := Weather("New York")
	if err != nil || w.Len() != 1461 || w.FilledCount() != 0 {
		t.Fatalf("New York: %v, %d days, %d filled", err, w.Len(), w.FilledCount())
	}
	if _, err := Weather("Paris"); err == nil {
		t.Error("Weather(Paris): no error")
	}
}

// TestAR fits an AR(2) to a simulated AR(2) process and must find its
// coefficients: y_t = 1 + 0.6 y_{t−1} − 0.3 y_{t−2} + ε, ε ~ N(0, 0.1²).
func TestAR(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	y := make([]float64, 5000)
	for i := 2; i < len(y); i++ {
		y[i] = 1 + 0.6*y[i-1] - 0.3*y[i-2] + 0.1*rng.NormFloat64()
	}
	ar, err := FitAR(y, span(100, len(y)), nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{1, 0.6, -0.3} {
		if math.Abs(ar.Coef[i]-want) > 0.03 { // 4,900 equations: the standard error is about 0.01
			t.Errorf("coefficient %d = %.4f, want %.1f", i, ar.Coef[i], want)
		}
	}
	f := ar.Forecast(y, []int{10})
	if want := ar.Coef[0] + ar.Coef[1]*y[9] + ar.Coef[2]*y[8]; f[10] != want || !math.IsNaN(f[11]) {
		t.Errorf("forecast %v, want %v at row 10 and NaN elsewhere", f[10], want)
	}
	if _, err := FitAR(y, []int{5, 6}, nil, 2); err == nil {
		t.Error("AR(2) fitted on 2 rows")
	}
	p, sn := Persistence(y, []int{20}), SeasonalNaive(y, []int{20}, 7)
	if p[20] != y[19] || sn[20] != y[13] {
		t.Errorf("persistence %v (want %v), seasonal naive %v (want %v)", p[20], y[19], sn[20], y[13])
	}
}

// sine is a daily series of two years of a noisy yearly cycle with a fast
// 7-day wave: enough pattern for the network, on top of what the
// persistence forecast gets right.
func sine(t *testing.T) *Series {
	rng := rand.New(rand.NewPCG(2, 2))
	var dates []time.Time
	var v []float64
	for i := 0; i < 730; i++ {
		dates = append(dates, date("2000-01-01").AddDate(0, 0, i))
		v = append(v, 10*math.Sin(2*math.Pi*float64(i)/365)+3*math.Sin(2*math.Pi*float64(i)/7)+0.3*rng.NormFloat64())
	}
	s, err := NewSeries("sine", dates, Daily, []string{"v"}, [][]float64{v})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGradModel(t *testing.T) {
	s := sine(t)
	for _, cell := range []string{"lstm", "gru", "rnn"} {
		cfg := Config{Target: "v", Window: 4, Cell: cell, Hidden: 3, Layers: 2, Delta: true, Diff: true, Season: true,
			Members: 2, Batch: 3, LR: 1e-3, Seed: 1}
		m, err := New(cfg, s, []int{10, 11, 12, 13, 14})
		if err != nil {
			t.Fatal(err)
		}
		s.Filled[11] = true // a filled target is left out of the loss, and flagged in the input
		rows := []int{10, 12, 13}
		r := gradcheck.Check(func() float64 { l, _ := m.Loss(s, rows); return l }, m.Backward, m.Params())
		s.Filled[11] = false
		if err := r.Err(gradcheck.Tol); err != nil {
			t.Errorf("%s: %v", cell, err)
		}
	}
}

// TestLearns trains on the first year of the sine series and must forecast
// the second better than persistence, seasonal naive and AR(1).
func TestLearns(t *testing.T) {
	s := sine(t)
	cfg := Config{Target: "v", Window: 14, Cell: "lstm", Hidden: 16, Layers: 1, Delta: true, Season: true,
		Members: 1, Batch: 16, LR: 1e-2, Clip: 1, Seed: 1}
	train, test := span(14, 365), span(365, 730)
	m, err := New(cfg, s, train)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(m, s, Split{Train: train, Val: test})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(context.Background(), 15*tr.StepsPerEpoch(), nil); err != nil {
		t.Fatal(err)
	}
	f, err := m.Forecast(s, test)
	if err != nil {
		t.Fatal(err)
	}
	y := s.Values[0]
	rnn := Score("rnn", s, y, f, test)
	base, err := Baselines(s, "v", Split{Train: span(14, 300), Val: span(300, 365), Test: test}, test, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range base {
		t.Logf("%s: MAE %.3f", b.Name, b.MAE)
		if rnn.MAE >= b.MAE {
			t.Errorf("RNN MAE %.3f, not below %s's %.3f", rnn.MAE, b.Name, b.MAE)
		}
	}
	t.Logf("rnn: MAE %.3f", rnn.MAE)
}

func TestSplitByDate(t *testing.T) {
	s := sine(t)
	sp, err := SplitByDate(s, 30, date("2000-07-01"), date("2001-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if sp.Train[0] != 30 || sp.Val[0] != 182 || sp.Test[0] != 366 || sp.Test[len(sp.Test)-1] != 729 {
		t.Errorf("split at %d, %d, %d … %d", sp.Train[0], sp.Val[0], sp.Test[0], sp.Test[len(sp.Test)-1])
	}
	if _, err := SplitByDate(s, 30, date("2001-01-01"), date("2000-07-01")); err == nil {
		t.Error("a split with test before validation")
	}
}

func TestWindows(t *testing.T) {
	w, err := NewWindows(span(10, 17), 3, 1) // 7 rows: batches of 3, 3, 1
	if err != nil {
		t.Fatal(err)
	}
	if w.PerEpoch() != 3 {
		t.Fatalf("%d batches per epoch, want 3", w.PerEpoch())
	}
	seen := map[int]bool{}
	for s := 0; s < 3; s++ {
		for _, r := range w.At(s) {
			seen[r] = true
		}
	}
	if len(seen) != 7 {
		t.Errorf("an epoch served %d distinct rows, want 7", len(seen))
	}
	a, b := w.At(4), w.At(1) // out of order, across epochs
	w2, _ := NewWindows(span(10, 17), 3, 1)
	if fmt.Sprint(w2.At(1)) != fmt.Sprint(b) || fmt.Sprint(w2.At(4)) != fmt.Sprint(a) {
		t.Error("At is not a function of the step")
	}
	if _, err := NewWindows(nil, 3, 1); err == nil {
		t.Error("no rows: no error")
	}
}

// TestResumeIsExact: 10 steps, a checkpoint, and 10 more from it give the
// weights of 20 steps in one go, bit for bit; the model file alone
// forecasts as the model did.
func TestResumeIsExact(t *testing.T) {
	s := sine(t)
	cfg := Config{Target: "v", Window: 7, Cell: "gru", Hidden: 4, Layers: 1, Delta: true, Season: true,
		Members: 2, Batch: 8, LR: 1e-2, Decay: 0.1, Clip: 1, Seed: 1}
	sp := Split{Train: span(7, 200), Val: span(200, 260)}
	newTrainer := func(m *Model) *Trainer {
		if m == nil {
			var err error
			if m, err = New(cfg, s, sp.Train); err != nil {
				t.Fatal(err)
			}
		}
		tr, err := NewTrainer(m, s, sp)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	ctx := context.Background()
	straight := newTrainer(nil)
	if err := straight.Run(ctx, 20, nil); err != nil {
		t.Fatal(err)
	}
	first := newTrainer(nil)
	if err := first.Run(ctx, 10, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "f.safetensors")
	if err := first.Save(path); err != nil {
		t.Fatal(err)
	}
	m, st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	resumed := newTrainer(m)
	if err := resumed.Restore(st); err != nil {
		t.Fatal(err)
	}
	if err := resumed.Run(ctx, 20, nil); err != nil {
		t.Fatal(err)
	}
	for i, p := range straight.M.Params() {
		if q := resumed.M.Params()[i]; !mat.Equal(p.Value, q.Value) {
			t.Fatalf("%s differs after resume", p.Name)
		}
	}
	if err := resumed.M.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := straight.M.Forecast(s, sp.Val)
	b, _ := loaded.Forecast(s, sp.Val)
	for _, r := range sp.Val {
		if a[r] != b[r] {
			t.Fatalf("row %d: loaded model forecasts %v, trained one %v", r, b[r], a[r])
		}
	}
	if v := straight.Validate(false); len(v.Metrics) == 0 || !(v.Metrics[0].Value > 0) {
		t.Errorf("validation %v", v)
	}
}
