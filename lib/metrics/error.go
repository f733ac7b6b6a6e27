package metrics

import "math"

// MAE returns the mean absolute error of a forecast against the actual
// values, and RMSE the root of the mean squared error:
//
//	MAE = Σ_t |ŷ_t − y_t| / N,       RMSE = √(Σ_t (ŷ_t − y_t)² / N)
//
// Points where either value is NaN — a missing observation — are left out
// and not counted in N; with no point left both are NaN. RMSE weighs large
// errors more: a forecaster that is usually close but sometimes far off has
// RMSE well above its MAE.
func MAE(forecast, actual []float64) float64 {
	s, n := errorSums(forecast, actual, func(d float64) float64 { return math.Abs(d) })
	return s / float64(n)
}

// RMSE returns the root mean squared error; see [MAE].
func RMSE(forecast, actual []float64) float64 {
	s, n := errorSums(forecast, actual, func(d float64) float64 { return d * d })
	return math.Sqrt(s / float64(n))
}

func errorSums(forecast, actual []float64, f func(float64) float64) (float64, int) {
	if len(forecast) != len(actual) {
		panic("metrics: forecast and actual differ in length")
	}
	s, n := 0.0, 0
	for i, y := range actual {
		if math.IsNaN(y) || math.IsNaN(forecast[i]) {
			continue
		}
		s += f(forecast[i] - y)
		n++
	}
	if n == 0 {
		return math.NaN(), 1
	}
	return s, n
}
