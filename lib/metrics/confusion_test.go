package metrics

import (
	"math"
	"testing"
)

func TestConfusion(t *testing.T) {
	c := NewConfusion([]string{"NOUN", "VERB", "ADJ"})
	// gold, predicted: 3 NOUN right, 1 NOUN taken for ADJ, 2 VERB right, 1 VERB taken for NOUN.
	for _, p := range [][2]int{{0, 0}, {0, 0}, {0, 0}, {0, 2}, {1, 1}, {1, 1}, {1, 0}} {
		c.Add(p[0], p[1])
	}
	if c.Total() != 7 || c.Correct() != 5 || math.Abs(c.Accuracy()-5.0/7) > 1e-15 {
		t.Errorf("total %d, correct %d, accuracy %v", c.Total(), c.Correct(), c.Accuracy())
	}
	if c.Recall(0) != 0.75 || c.Precision(0) != 0.75 || c.Recall(1) != 2.0/3 || c.Precision(1) != 1 {
		t.Errorf("NOUN recall %v precision %v, VERB recall %v precision %v", c.Recall(0), c.Precision(0), c.Recall(1), c.Precision(1))
	}
	if !math.IsNaN(c.Recall(2)) || c.Precision(2) != 0 {
		t.Errorf("ADJ (never gold, predicted once wrongly): recall %v, precision %v; want NaN, 0", c.Recall(2), c.Precision(2))
	}
	n := c.RowNormalized()
	if n.At(0, 2) != 0.25 || n.At(1, 0) != 1.0/3 || n.At(2, 2) != 0 {
		t.Errorf("normalised rows %v", n)
	}
	c.Merge(c)
	if c.Total() != 14 || c.Correct() != 10 {
		t.Errorf("merged: total %d, correct %d", c.Total(), c.Correct())
	}
}

func TestForecastErrors(t *testing.T) {
	f := []float64{1, 2, 3, math.NaN()}
	y := []float64{2, 2, 6, 100}
	// |−1|, 0, |−3| over 3 points (the NaN forecast is left out).
	if got := MAE(f, y); got != 4.0/3 {
		t.Errorf("MAE %v, want 4/3", got)
	}
	if got := RMSE(f, y); math.Abs(got-math.Sqrt(10.0/3)) > 1e-15 {
		t.Errorf("RMSE %v, want √(10/3)", got)
	}
	if got := MAE([]float64{math.NaN()}, []float64{1}); !math.IsNaN(got) {
		t.Errorf("MAE of no point %v, want NaN", got)
	}
}
