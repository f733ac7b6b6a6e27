package forecast

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// A forecast here is always one step ahead: the value at row t predicted
// from rows before t. Each forecaster fills in a slice as long as the
// series, with predictions at the rows asked for and NaN elsewhere.

// Persistence forecasts tomorrow as today, y_t = y_{t−1}: the forecast
// every weather forecaster must beat.
func Persistence(y []float64, rows []int) []float64 {
	return forecastRows(len(y), rows, func(t int) float64 { return y[t-1] })
}

// SeasonalNaive forecasts a value as the one a season earlier, y_t =
// y_{t−s}: the same day last year (s = 365) or the same month last year
// (s = 12).
func SeasonalNaive(y []float64, rows []int, season int) []float64 {
	return forecastRows(len(y), rows, func(t int) float64 { return y[t-season] })
}

// forecastRows returns a slice of n NaNs with f(t) at each row t of rows.
func forecastRows(n int, rows []int, f func(t int) float64) []float64 {
	out := nanSlice(n)
	for _, t := range rows {
		out[t] = f(t)
	}
	return out
}

// AR is a linear autoregression of order p:
//
//	y_t = c + Σ_{k=1}^{p} a_k·y_{t−k} + ε_t
//
// fitted by ordinary least squares (gonum's QR solve) on the rows given:
// each fit row t contributes the equation [1, y_{t−1}, …, y_{t−p}]·θ = y_t.
type AR struct {
	Order int
	Coef  []float64 // c, a_1 … a_p
}

// FitAR fits an AR(p) to y on the target rows fit (each ≥ p); rows whose
// mask is false are left out (a filled value, say). It returns an error
// when there are fewer equations than unknowns.
func FitAR(y []float64, fit []int, keep func(t int) bool, p int) (*AR, error) {
	var rows []int
	for _, t := range fit {
		if t >= p && (keep == nil || keep(t)) {
			rows = append(rows, t)
		}
	}
	if len(rows) < p+1 {
		return nil, fmt.Errorf("forecast: AR(%d) needs more than %d rows to fit, has %d", p, p+1, len(rows))
	}
	x := mat.NewDense(len(rows), p+1, nil)
	b := mat.NewVecDense(len(rows), nil)
	for i, t := range rows {
		x.Set(i, 0, 1)
		for k := 1; k <= p; k++ {
			x.Set(i, k, y[t-k])
		}
		b.SetVec(i, y[t])
	}
	var theta mat.VecDense
	if err := theta.SolveVec(x, b); err != nil { // least squares: x is tall
		return nil, fmt.Errorf("forecast: AR(%d): %w", p, err)
	}
	return &AR{Order: p, Coef: append([]float64(nil), theta.RawVector().Data...)}, nil
}

// Forecast returns the one-step forecasts of the rows (each ≥ Order).
func (a *AR) Forecast(y []float64, rows []int) []float64 {
	return forecastRows(len(y), rows, func(t int) float64 {
		v := a.Coef[0]
		for k := 1; k <= a.Order; k++ {
			v += a.Coef[k] * y[t-k]
		}
		return v
	})
}
