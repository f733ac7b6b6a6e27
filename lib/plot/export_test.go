package plot

// NiceTickLabels returns the labelled values of niceTicks{n} over [min, max].
func NiceTickLabels(min, max float64, n int) []float64 {
	var v []float64
	for _, t := range (niceTicks{n: n}).Ticks(min, max) {
		if t.Label != "" {
			v = append(v, t.Value)
		}
	}
	return v
}

// LogTickLabels returns the labels of logTicks over [min, max].
func LogTickLabels(min, max float64) []string {
	var s []string
	for _, t := range (logTicks{}).Ticks(min, max) {
		if t.Label != "" {
			s = append(s, t.Label)
		}
	}
	return s
}

// CellZ returns the value gonum draws in column c, row r (from the bottom)
// of h's grid.
func (h *HeatMap) CellZ(c, r int) float64 { return matGrid{h.m}.Z(c, r) }

// Quantiles exposes the contour levels' quantile rule.
var Quantiles = quantiles

// NiceTickText returns the labels of niceTicks{n} over [min, max].
func NiceTickText(min, max float64, n int) []string {
	var s []string
	for _, t := range (niceTicks{n: n}).Ticks(min, max) {
		if t.Label != "" {
			s = append(s, t.Label)
		}
	}
	return s
}
