package plot

import (
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
)

// niceTicks labels a linear axis at multiples of 1, 2, 2.5 or 5 × 10ᵏ,
// choosing the step whose number of labels is closest to n, with an
// unlabelled minor tick halfway between labels. (gonum's DefaultTicks aims at
// three labels, which leaves a loss axis from 1.1 to 4.3 with "2" and "4"
// only.)
type niceTicks struct{ n int }

func (t niceTicks) Ticks(min, max float64) []gplot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return nil
	}
	count := func(step float64) int {
		return int(math.Floor(max/step+1e-9) - math.Ceil(min/step-1e-9) + 1)
	}
	raw := (max - min) / float64(t.n)
	k := int(math.Floor(math.Log10(raw)))
	step, best, decimals := 0.0, math.MaxInt, 0
	for e := k - 1; e <= k+1; e++ {
		for _, m := range []float64{1, 2, 2.5, 5} {
			s := m * math.Pow10(e)
			if d := abs(count(s) - t.n); d < best || (d == best && s > step) {
				step, best = s, d
				// Decimals for m×10^e: 0.5 needs one, 0.25 two, 500 none.
				decimals = -e
				if m == 2.5 {
					decimals++
				}
				if decimals < 0 {
					decimals = 0
				}
			}
		}
	}
	format := func(v float64) string {
		if a := math.Abs(v); a != 0 && (a >= 1e6 || a < 1e-4) {
			return strconv.FormatFloat(v, 'g', 4, 64)
		}
		return strconv.FormatFloat(v, 'f', decimals, 64)
	}
	var ticks []gplot.Tick
	first := math.Ceil(min/step - 1e-9)
	for i := first - 1; ; i++ {
		v := i * step
		if math.Abs(v) < step*1e-9 {
			v = 0 // not -0, nor 1e-17 from rounding
		}
		if v > max+step*1e-9 {
			break
		}
		if v >= min-step*1e-9 {
			ticks = append(ticks, gplot.Tick{Value: v, Label: format(v)})
		}
		if h := v + step/2; h >= min && h <= max {
			ticks = append(ticks, gplot.Tick{Value: h})
		}
	}
	return ticks
}
