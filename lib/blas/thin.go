package blas

// gemmThin computes C = alpha·op(A)·B + C for a thin product, op(A) with
// m ≤ thinRows rows and B untransposed, one row of C at a time with
// thinRow. The caller has applied beta and checked the arguments; alpha ≠ 0
// and k ≥ 1.
//
// Such a product — the batch-1 step of min-char-rnn, (1×H)·(H×H) — used to
// go to gonum, which adds one scaled row of B into the row of C per step
// of k (AxpyUnitary): C is loaded and stored k times, and every step is a
// call. thinRow keeps a 32-column strip of C in registers across all k
// steps and reads each row of B in place, once. It does the same
// multiplies and adds in the same order as gonum, skipping the same zero
// coefficients (one-hot inputs), so the results are identical to gonum's
// bit for bit: min-char-rnn trains exactly as it did.
func gemmThin(aT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	_ = b[(k-1)*ldb+n-1]
	for i := 0; i < m; i++ {
		// Row i of op(A): a[i*lda+l] or, transposed, a[l*lda+i].
		off, inc := i*lda, 1
		if aT {
			off, inc = i, lda
		}
		_ = a[off+(k-1)*inc]
		_ = c[i*ldc+n-1]
		thinRow(k, n, alpha, &a[off], inc, &b[0], ldb, &c[i*ldc])
	}
}
