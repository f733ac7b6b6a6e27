//go:build !amd64

package blas

// useElemAVX2 is false: SigmoidTo, TanhTo and ExpTo run their Go loops.
var useElemAVX2 = false

func sigmoidAVX2(dst, x []float64) { panic("unreachable") }

func tanhAVX2(dst, x []float64) { panic("unreachable") }

func expAVX2(dst, x []float64) { panic("unreachable") }

func clampAVX2(dst, x []float64, lo, hi float64) { panic("unreachable") }

func adagradAVX2(w, g, s []float64, lr, eps float64) { panic("unreachable") }

func adamAVX2(w, g, m, v []float64, c *[7]float64, decay float64) { panic("unreachable") }
