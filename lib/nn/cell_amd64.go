package nn

import seqblas "github.com/seq2go/seq2go/lib/blas"

// useCellAVX2 selects lstmCellGradAVX2 (cell_amd64.s) for the bulk of each
// row of LSTM.backStep; the tests turn it off to pin it to the Go loop.
var useCellAVX2 = seqblas.HasAVX2FMA()

//go:noescape
func lstmCellGradAVX2(gates, dgates, cp, tc, c, dh, dc *float64, hid, n int, clip float64)
