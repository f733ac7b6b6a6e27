package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/forecast"
)

func init() {
	trainers["forecast"] = command{"train a recurrent forecaster on a weather or CO₂ series and compare it with the baselines on the test period", trainForecast}
}

func trainForecast(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train forecast", stderr)
	series := fs.String("series", "new-york", "the task: "+strings.Join(forecast.Setups, ", "))
	cell := fs.String("cell", "", "recurrent cell: lstm, gru or rnn (default: the series')")
	hidden := fs.Int("hidden", 0, "units (default: the series')")
	window := fs.Int("window", 0, "past steps read (default: the series')")
	members := fs.Int("members", 0, "networks averaged (default: the series')")
	seed := fs.Uint64("seed", 1, "random seed: weights and batch order")
	plotFile := fs.String("plot", "", "draw the forecasts of the test period against the observed values to this file (.png or .svg)")
	tf := addTrainFlags(fs, trainDefaults{out: "forecast.safetensors", logEvery: 50, valEvery: 100})
	fs.Lookup("epochs").Usage = "passes over the training windows (default: the series')"
	restore, err := tf.parse(fs, args)
	if err != nil {
		return err
	}
	defer restore()

	st, err := forecast.NewSetup(*series)
	if err != nil {
		return usageError{err.Error()}
	}
	split, err := st.Split()
	if err != nil {
		return err
	}
	var (
		m       *forecast.Model
		resumed *checkpoint.State
	)
	if *tf.resume != "" {
		if err := tf.fixed("cell", "hidden", "window", "members", "seed"); err != nil {
			return err
		}
		if m, resumed, err = forecast.Open(*tf.resume); err != nil {
			return err
		}
	} else {
		cfg := st.Config
		if *cell != "" {
			cfg.Cell = *cell
		}
		for _, f := range []struct{ dst, v *int }{{&cfg.Hidden, hidden}, {&cfg.Window, window}, {&cfg.Members, members}} {
			if *f.v > 0 {
				*f.dst = *f.v
			}
		}
		cfg.Seed = *seed
		if err := cfg.Validate(); err != nil {
			return usageError{err.Error()}
		}
		if m, err = forecast.New(cfg, st.Series, split.Train); err != nil {
			return err
		}
	}
	t, err := forecast.NewTrainer(m, st.Series, split)
	if err != nil {
		return err
	}
	if resumed != nil {
		if err := t.Restore(resumed); err != nil {
			return fmt.Errorf("%s: %w", *tf.resume, err)
		}
	}
	if !tf.set["steps"] && !tf.set["epochs"] {
		*tf.steps = m.Config.Epochs * t.StepsPerEpoch()
	}
	c := m.Config
	fmt.Fprintf(stderr, "train forecast: %s, %s from %v; %d training, %d validation, %d test %s; %s %d×%d, window %d, %d members\n",
		*series, c.Target, c.Inputs, len(split.Train), len(split.Val), len(split.Test), st.Series.Step.Unit(), c.Cell, c.Layers, c.Hidden, c.Window, c.Members)
	if err := tf.run(loopRun{name: "forecast", loop: t.Loop}, stdout, stderr); err != nil {
		return err
	}
	return forecastTable(st, split, m, *plotFile, stdout)
}

// forecastTable prints the MAE and RMSE of the baselines and the model on
// the test period, and draws them when plotFile is set.
func forecastTable(st *forecast.Setup, split forecast.Split, m *forecast.Model, plotFile string, stdout io.Writer) error {
	results, err := forecast.Baselines(st.Series, m.Config.Target, split, split.Test, st.Orders)
	if err != nil {
		return err
	}
	rnn, err := m.Score(st.Series, split.Test)
	if err != nil {
		return err
	}
	c := &forecast.Comparison{Series: st.Series, Target: m.Config.Target, Unit: st.Unit, Rows: split.Test, Results: append(results, rnn)}
	if err := c.WriteTable(stdout); err != nil {
		return err
	}
	if plotFile != "" {
		if err := c.Plot().Save(plotFile); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "plot drawn to %s\n", plotFile)
	}
	return nil
}
