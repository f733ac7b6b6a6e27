package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Config describes a forecaster and how it is trained.
type Config struct {
	Target  string   // the column forecast
	Inputs  []string // the columns read at each past step; the target is always read
	Window  int      // W, the past steps read
	Cell    string   // the recurrent cell: "lstm", "gru" or "rnn"
	Hidden  int      // H
	Layers  int      // stacked recurrent layers
	Delta   bool     // predict the change from the last value, not the value
	Diff    bool     // read each input column's change from the step before, not its value (for a trending series)
	Season  bool     // read the time of year, sin and cos of 2π·(day of year)/365.25 or 2π·month/12
	Members int      // networks trained side by side on the same batches, their forecasts averaged
	Batch   int      // windows per step
	LR      float64  // Adam's learning rate
	Decay   float64  // AdamW's decoupled weight decay λ (0: none)
	Clip    float64  // global gradient norm clip (0: none)
	Epochs  int      // passes over the training windows of a default run (seq2go train forecast)
	Seed    uint64
}

// WeatherConfig forecasts tomorrow's maximum temperature from the last 28
// days of the four weather columns and the time of year, with five LSTMs
// of 32 units averaged: the settings chosen on the validation year 2014
// (New York), among 8 to 32 units, 7 to 56 days, LSTM or GRU, the target
// alone or all four columns, weight decay 0 to 0.3, one or five members;
// 20 epochs, between the best validation MAE of New York (about 23) and
// of Seattle (about 15).
func WeatherConfig() Config {
	return Config{Target: "temp_max", Inputs: []string{"temp_max", "temp_min", "precipitation", "wind"},
		Window: 28, Cell: "lstm", Hidden: 32, Layers: 1, Delta: true, Season: true, Members: 5, Batch: 32,
		LR: 3e-3, Decay: 0.3, Clip: 1, Epochs: 20, Seed: 1}
}

// CO2Config forecasts next month's CO₂ from the changes of the last 36
// months, with five LSTMs of 16 units averaged, 40 epochs (chosen on the
// validation years 2012–2015).
func CO2Config() Config {
	return Config{Target: "co2", Inputs: []string{"co2"}, Window: 36, Cell: "lstm", Hidden: 16, Layers: 1,
		Delta: true, Diff: true, Season: true, Members: 5, Batch: 32, LR: 3e-3, Clip: 1, Epochs: 40, Seed: 1}
}

// Validate reports the first field out of range.
func (c Config) Validate() error {
	switch {
	case c.Target == "":
		return fmt.Errorf("forecast: no target column")
	case c.Window < 1:
		return fmt.Errorf("forecast: window %d: want at least 1", c.Window)
	case c.Cell != "lstm" && c.Cell != "gru" && c.Cell != "rnn":
		return fmt.Errorf("forecast: cell %q: want lstm, gru or rnn", c.Cell)
	case c.Hidden < 1 || c.Layers < 1 || c.Layers > 4:
		return fmt.Errorf("forecast: hidden %d, layers %d: want at least 1, and 1 to 4 layers", c.Hidden, c.Layers)
	case c.Batch < 1 || c.Members < 1:
		return fmt.Errorf("forecast: batch %d, members %d: want at least 1", c.Batch, c.Members)
	case !(c.LR > 0) || !(c.Clip >= 0) || !(c.Decay >= 0):
		return fmt.Errorf("forecast: lr %v, clip %v, decay %v: want a positive rate, a clip ≥ 0 and a decay ≥ 0", c.LR, c.Clip, c.Decay)
	}
	return nil
}

// Model is a recurrent forecaster: it reads the W steps before row t, each
// step a vector of the input columns (standardised with the training rows'
// mean and standard deviation), the time of year and a flag for filled
// rows, and predicts the target at row t from the top layer's last state:
//
//	x_k = [ (v_k − μ)/σ | sin, cos of the time of year | filled_k ]     k = t−W … t−1
//	h   = RNN(x_{t−W} … x_{t−1})_{last}                                 (H)
//	ŷ_t = y_{t−1} + σ_Δ·(h·W + b)      (Delta: the change, in units of its std)
//	    = μ_y + σ_y·(h·W + b)          (otherwise)
//
// trained on the mean squared error of the standardised target, rows whose
// target was filled left out. Predicting the change makes persistence the
// starting point and lets the model forecast levels it never saw in
// training, as a rising CO₂ record does.
type Model struct {
	Config Config
	// Mean and Std standardise the input columns (in Inputs order), DMean
	// and DStd the target (its change with Delta); from the training rows.
	Mean, Std   []float64
	DMean, DStd float64

	members []*member
}

// member is one of the networks of a Model.
type member struct {
	rnn   *nn.Stack
	out   *nn.Linear
	loss  nn.MeanSquaredError
	steps int // T of the last forward
}

// New returns a freshly initialised forecaster of s for cfg, its
// standardisation taken from the target rows train.
func New(cfg Config, s *Series, train []int) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Config: cfg}
	cfg.Inputs = m.inputNames()
	m.Config.Inputs = cfg.Inputs
	if len(train) == 0 {
		return nil, fmt.Errorf("forecast: no training rows")
	}
	lo, hi := train[0]-cfg.Window, train[len(train)-1]
	if lo < 0 {
		return nil, fmt.Errorf("forecast: training row %d has fewer than %d rows before it", train[0], cfg.Window)
	}
	for _, name := range cfg.Inputs {
		col, err := s.Column(name)
		if err != nil {
			return nil, err
		}
		vals := col[lo:hi]
		if cfg.Diff {
			vals = diffs(col[max(lo, 1)-1 : hi])
		}
		mean, std := stat.MeanStdDev(vals, nil)
		m.Mean, m.Std = append(m.Mean, mean), append(m.Std, math.Max(std, 1e-9))
	}
	y, err := s.Column(cfg.Target)
	if err != nil {
		return nil, err
	}
	var d []float64
	for _, t := range train {
		d = append(d, m.rawTarget(y, t))
	}
	m.DMean, m.DStd = stat.MeanStdDev(d, nil)
	m.DStd = math.Max(m.DStd, 1e-9)
	m.build(rand.New(rand.NewPCG(cfg.Seed, 0xf0)))
	return m, nil
}

// inputNames returns the input columns, the target first.
func (m *Model) inputNames() []string {
	names := []string{m.Config.Target}
	for _, n := range m.Config.Inputs {
		if n != m.Config.Target {
			names = append(names, n)
		}
	}
	return names
}

// build makes the members' layers.
func (m *Model) build(rng *rand.Rand) {
	cfg := m.Config
	m.members = nil
	for k := 0; k < cfg.Members; k++ {
		in := m.width()
		var layers []nn.SeqLayer
		for i := 0; i < cfg.Layers; i++ {
			switch cfg.Cell {
			case "lstm":
				layers = append(layers, nn.NewLSTM(rng, in, cfg.Hidden))
			case "gru":
				layers = append(layers, nn.NewGRU(rng, in, cfg.Hidden))
			default:
				layers = append(layers, nn.NewRNN(rng, in, cfg.Hidden))
			}
			in = cfg.Hidden
		}
		mb := &member{rnn: nn.NewStack(layers...), out: nn.NewLinear(rng, cfg.Hidden, 1)}
		// "m0.rnn.0.Wx", "m0.out.W": member, block, layer, weight.
		nn.NameParams(fmt.Sprintf("m%d.rnn", k), mb.rnn)
		nn.PrefixNames(fmt.Sprintf("m%d.out", k), mb.out.Params())
		m.members = append(m.members, mb)
	}
}

// width returns the size of an input step: the columns, two for the time
// of year, one for the filled flag.
func (m *Model) width() int {
	w := len(m.Config.Inputs) + 1
	if m.Config.Season {
		w += 2
	}
	return w
}

// Params returns every trainable parameter, member by member.
func (m *Model) Params() []*nn.Param {
	var ps []*nn.Param
	for _, mb := range m.members {
		ps = append(append(ps, mb.rnn.Params()...), mb.out.Params()...)
	}
	return ps
}

// rawTarget returns the unstandardised training target at row t: y_t, or
// y_t − y_{t−1} with Delta.
func (m *Model) rawTarget(y []float64, t int) float64 {
	if m.Config.Delta {
		return y[t] - y[t-1]
	}
	return y[t]
}

// inputs returns the W input steps (each B×F) of the windows before rows.
func (m *Model) inputs(s *Series, rows []int) ([]*mat.Dense, error) {
	cfg := m.Config
	cols := make([][]float64, len(cfg.Inputs))
	for i, name := range cfg.Inputs {
		c, err := s.Column(name)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	b, f := len(rows), m.width()
	x := mat.NewDense(cfg.Window*b, f, nil)
	for i, t := range rows {
		if t < cfg.Window || t > s.Len() {
			panic(fmt.Sprintf("forecast: row %d has no window of %d rows before it", t, cfg.Window))
		}
		for k := 0; k < cfg.Window; k++ {
			r := t - cfg.Window + k
			row := x.RawRowView(k*b + i)
			for c, col := range cols {
				v := col[r]
				if cfg.Diff {
					v -= col[max(r, 1)-1]
				}
				row[c] = (v - m.Mean[c]) / m.Std[c]
			}
			j := len(cols)
			if cfg.Season {
				a := 2 * math.Pi * yearFraction(s, r)
				row[j], row[j+1] = math.Sin(a), math.Cos(a)
				j += 2
			}
			if s.Filled[r] {
				row[j] = 1
			}
		}
	}
	return nn.SplitSteps(x, cfg.Window, b), nil
}

// yearFraction returns the position of row r in its year, in [0, 1).
func yearFraction(s *Series, r int) float64 {
	d := s.Time(r)
	if s.Step == Monthly {
		return float64(d.Month()-1) / 12
	}
	return float64(d.YearDay()-1) / 365.25
}

// forward runs every member over the windows before rows and returns
// their standardised outputs (B×1 each).
func (m *Model) forward(s *Series, rows []int) ([]*mat.Dense, error) {
	xs, err := m.inputs(s, rows)
	if err != nil {
		return nil, err
	}
	out := make([]*mat.Dense, len(m.members))
	for k, mb := range m.members {
		hs := mb.rnn.ForwardSeq(xs, nil)
		mb.steps = len(hs)
		out[k] = mb.out.Forward(hs[len(hs)-1]) // the top layer's last state
	}
	return out, nil
}

// Loss returns the mean squared error of the standardised forecasts of the
// target at rows, averaged over the members, the filled rows left out.
func (m *Model) Loss(s *Series, rows []int) (float64, error) {
	preds, err := m.forward(s, rows)
	if err != nil {
		return 0, err
	}
	y, err := s.Column(m.Config.Target)
	if err != nil {
		return 0, err
	}
	target := mat.NewDense(len(rows), 1, nil)
	mask := make([]float64, len(rows))
	for i, t := range rows {
		target.Set(i, 0, (m.rawTarget(y, t)-m.DMean)/m.DStd)
		if !s.Filled[t] && !(m.Config.Delta && s.Filled[t-1]) {
			mask[i] = 1
		}
	}
	loss := 0.0
	for k, mb := range m.members {
		loss += mb.loss.Forward(preds[k], target, mask)
	}
	return loss / float64(len(m.members)), nil
}

// Backward backpropagates the last Loss, adding every parameter's gradient.
func (m *Model) Backward() {
	scale := 1 / float64(len(m.members))
	for _, mb := range m.members {
		var d mat.Dense
		d.Scale(scale, mb.loss.Backward())
		dys := make([]*mat.Dense, mb.steps)
		dys[mb.steps-1] = mb.out.Backward(&d) // only the last step's state is read
		mb.rnn.BackwardSeq(dys)
	}
}

// Forecast returns the one-step forecasts of the target at rows (the mean
// of the members'), in a slice as long as the series (NaN at the other
// rows). Each forecast reads the values before its row only.
func (m *Model) Forecast(s *Series, rows []int) ([]float64, error) {
	y, err := s.Column(m.Config.Target)
	if err != nil {
		return nil, err
	}
	out := nanSlice(s.Len())
	const chunk = 256
	for lo := 0; lo < len(rows); lo += chunk {
		part := rows[lo:min(lo+chunk, len(rows))]
		preds, err := m.forward(s, part)
		if err != nil {
			return nil, err
		}
		for i, t := range part {
			z := 0.0
			for _, p := range preds {
				z += p.At(i, 0)
			}
			v := m.DMean + m.DStd*z/float64(len(preds))
			if m.Config.Delta {
				v += y[t-1]
			}
			out[t] = v
		}
	}
	return out, nil
}

// diffs returns v[i] − v[i−1] for i ≥ 1.
func diffs(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for i := 1; i < len(v); i++ {
		out = append(out, v[i]-v[i-1])
	}
	return out
}

func nanSlice(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}
