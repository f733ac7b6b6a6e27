package blas

// thinRowAVX2 is implemented in thin_amd64.s; see gemmThin. k ≥ 1.
//
//go:noescape
func thinRowAVX2(k, n int, alpha float64, a *float64, inca int, b *float64, ldb int, c *float64)

// thinRow is thinRowAVX2 where the CPU has AVX2 (nil otherwise).
var thinRow = func() func(k, n int, alpha float64, a *float64, inca int, b *float64, ldb int, c *float64) {
	if hasAVX2FMA() {
		return thinRowAVX2
	}
	return nil
}()
