//go:build !amd64

package nn

// useCellAVX2 is false: LSTM.backStep runs its Go loop.
var useCellAVX2 = false

func lstmCellGradAVX2(gates, dgates, cp, tc, c, dh, dc *float64, hid, n int, clip float64) {
	panic("unreachable")
}
