//go:build !amd64

package blas

// thinRow is nil: thin products go to gonum on this architecture.
var thinRow func(k, n int, alpha float64, a *float64, inca int, b *float64, ldb int, c *float64)
