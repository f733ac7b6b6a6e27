package blas

// defaultSmallM: products whose op(A) has at most this many rows, with B
// not transposed, read B in place instead of packing it (gemmNoPackB).
// Measured with BenchmarkDgemmSmallM (m×1024×256, one goroutine, AVX2
// kernel, shared machine; see the numbers there): the in-place path wins
// while m is small enough that packing B is a large share of the work.
const defaultSmallM = 96

// smallM is defaultSmallM; the tests and BenchmarkDgemmSmallM change it to
// force one path or the other.
var smallM = defaultSmallM

// gemmNoPackB computes C = alpha·op(A)·B + C on one goroutine for a short
// op(A) (m ≤ smallM) and an untransposed B, without packing B.
//
// The packed path copies the whole k×n operand B into micro-panels before
// it multiplies, and amortises that copy over the m/mr row tiles of A. When
// m is small — the recurrent step of an RNN is (B×H)·(H×4H) with B = 32 —
// the copy costs about as much as the arithmetic (packB8 was 24 % of an
// LSTM profile). A row of B is contiguous in row-major storage, so the
// micro-kernel can read the kc×nr block of B directly, row p at
// b[p*ldb : p*ldb+nr]:
//
//	for pc := 0; pc < k; pc += kc           // rank-kc update
//	    pack op(A)[0:m, pc:pc+kc] → Ã           (m×kc: small, stays in L2)
//	    for jr := 0; jr < n; jr += nr       // nr-wide strip of B, read in place
//	        for ir := 0; ir < m; ir += mr   // the strip stays in L1 across these
//	            C[ir:+mr, jr:+nr] += alpha · Ã[ir] · B[pc:pc+kc, jr:jr+nr]
//
// Each element of B is loaded from memory once, as in the packed path, but
// never written back. The last strip, when n is not a multiple of nr, is
// packed (zero-padded) because reading nr columns past the end of the last
// row could leave the slice.
func gemmNoPackB(kern *microKernel[float64], aT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	mr, nr, kc := kern.mr, kern.nr, kern.kc

	buf := bufPool64.Get().(*gemmBuffers[float64])
	defer bufPool64.Put(buf)
	buf.a = grow(buf.a, roundUp(m, mr)*min(kc, k))
	buf.b = grow(buf.b, nr*min(kc, k))
	buf.scratch = grow(buf.scratch, mr*nr)
	scratch := buf.scratch

	for pc := 0; pc < k; pc += kc {
		kcur := min(kc, k-pc)
		packA(buf.a, aT, a, lda, 0, pc, m, kcur, mr)
		for jr := 0; jr < n; jr += nr {
			w := min(nr, n-jr)
			bp := b[pc*ldb+jr:]
			if w < nr {
				packB(buf.b, false, b, ldb, pc, jr, kcur, w, nr)
			}
			for ir := 0; ir < m; ir += mr {
				h := min(mr, m-ir)
				ap := buf.a[ir*kcur:]
				if h == mr && w == nr {
					kern.runB(kcur, ap, bp, ldb, c[ir*ldc+jr:], ldc, alpha)
					continue
				}
				clear(scratch)
				if w < nr {
					kern.run(kcur, ap, buf.b, scratch, nr, alpha)
				} else {
					kern.runB(kcur, ap, bp, ldb, scratch, nr, alpha)
				}
				for i := 0; i < h; i++ {
					ci := c[(ir+i)*ldc+jr : (ir+i)*ldc+jr+w]
					for j, v := range scratch[i*nr : i*nr+w] {
						ci[j] += v
					}
				}
			}
		}
	}
}
