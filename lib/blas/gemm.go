package blas

import "sync"

// gemmBuffers holds the packing buffers of one serial gemm call, in the
// kernel's element type T. They are recycled through pools because a
// 144×256 A block plus a 256×4080 B panel is 8.6 MiB in float64, which we
// do not want to allocate on every product.
type gemmBuffers[T element] struct {
	a, b    []T
	scratch []float64 // one mr×nr tile for the ragged edges of C
}

var (
	bufPool64 = sync.Pool{New: func() any { return new(gemmBuffers[float64]) }}
	bufPool32 = sync.Pool{New: func() any { return new(gemmBuffers[float32]) }}
)

// bufPool returns the pool of packing buffers of element type T.
func bufPool[T element]() *sync.Pool {
	if _, ok := any(T(0)).(float32); ok {
		return &bufPool32
	}
	return &bufPool64
}

// grow returns s resliced to length n, reallocating only when it is too short.
func grow[T element](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// roundUp rounds n up to a multiple of q.
func roundUp(n, q int) int { return (n + q - 1) / q * q }

// gemmSerial computes C = alpha·op(A)·op(B) + C on one goroutine with the
// five-loop blocked algorithm described in the package documentation. C is
// m×n with stride ldc, op(A) is m×k, op(B) is k×n. The caller has already
// applied beta to C and checked every argument.
//
// A float32 kernel (T = float32) gets op(A) and op(B) converted to single
// precision as they are packed: the products are float32, the sums into C
// float64.
//
// With pre set, op(B) is not read from b: its blocks are taken from pre, a
// whole op(B) packed in advance for kern (PackedB), starting at its column
// col0.
func gemmSerial[T element](kern *microKernel[T], aT, bT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, pre *packedOperand[T], col0 int) {
	if k64, ok := any(kern).(*microKernel[float64]); ok && pre == nil && !bT && m <= smallM && kern.runB != nil {
		gemmNoPackB(inPlaceKernel(k64, m, n), aT, m, n, k, alpha, a, lda, b, ldb, c, ldc)
		return
	}
	mr, nr := kern.mr, kern.nr
	mc, kc, nc := kern.mc, kern.kc, kern.nc

	pool := bufPool[T]()
	buf := pool.Get().(*gemmBuffers[T])
	defer pool.Put(buf)
	buf.a = grow(buf.a, roundUp(min(mc, m), mr)*min(kc, k))
	if pre == nil {
		buf.b = grow(buf.b, roundUp(min(nc, n), nr)*min(kc, k))
	}
	buf.scratch = grow(buf.scratch, mr*nr)

	for jc := 0; jc < n; jc += nc { // loop 5: nc-wide column panels of B and C
		ncur := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc { // loop 4: kc-deep slices of the k dimension
			kcur := min(kc, k-pc)
			pb := buf.b
			if pre != nil {
				pb = pre.block(pc, col0+jc, kcur)
			} else {
				packB(pb, bT, b, ldb, pc, jc, kcur, ncur, nr)
			}
			for ic := 0; ic < m; ic += mc { // loop 3: mc-tall row blocks of A and C
				mcur := min(mc, m-ic)
				packA(buf.a, aT, a, lda, ic, pc, mcur, kcur, mr)
				macroKernel(kern, mcur, ncur, kcur, alpha, buf.a, pb, c[ic*ldc+jc:], ldc, buf.scratch)
			}
		}
	}
}

// packedOperand is a whole k×n op(B) packed for one kernel (nr wide, kc
// deep), as gemmSerial packs it block by block: the kc-deep slab that
// starts at row pc holds all np = roundUp(n, nr) columns as nr-wide
// micro-panels of kcur = min(kc, k−pc) rows, so the block of columns
// j… of that slab is the contiguous data[pc·np + j·kcur:].
type packedOperand[T element] struct {
	data  []T
	k, np int
}

// pack packs the k×n op(B) for kern into p, reusing p's storage.
func (p *packedOperand[T]) pack(kern *microKernel[T], bT bool, k, n int, b []float64, ldb int) {
	p.k, p.np = k, roundUp(n, kern.nr)
	p.data = grow(p.data, p.np*k)
	for pc := 0; pc < k; pc += kern.kc {
		packB(p.data[pc*p.np:], bT, b, ldb, pc, 0, min(kern.kc, k-pc), n, kern.nr)
	}
}

// block returns the packed block of the slab at row pc from column j on;
// kcur is the slab's depth.
func (p *packedOperand[T]) block(pc, j, kcur int) []T { return p.data[pc*p.np+j*kcur:] }

// macroKernel runs loops 2 and 1 around the micro-kernel: it multiplies the
// packed mc×kc block of A by the packed kc×nc panel of B into the mc×nc
// block of C that starts at c[0].
func macroKernel[T element](kern *microKernel[T], mc, nc, kc int, alpha float64, pa, pb []T, c []float64, ldc int, scratch []float64) {
	mr, nr := kern.mr, kern.nr
	for jr := 0; jr < nc; jr += nr { // loop 2: nr-wide micro-panels of B
		w := min(nr, nc-jr)
		bp := pb[jr*kc:]
		for ir := 0; ir < mc; ir += mr { // loop 1: mr-tall micro-panels of A
			h := min(mr, mc-ir)
			ap := pa[ir*kc:]
			if h == mr && w == nr {
				kern.run(kc, ap, bp, c[ir*ldc+jr:], ldc, alpha)
				continue
			}
			// Ragged edge: compute the full padded tile into scratch and
			// add only its valid h×w corner to C.
			clear(scratch)
			kern.run(kc, ap, bp, scratch, nr, alpha)
			for i := 0; i < h; i++ {
				ci := c[(ir+i)*ldc+jr : (ir+i)*ldc+jr+w]
				for j, v := range scratch[i*nr : i*nr+w] {
					ci[j] += v
				}
			}
		}
	}
}

// packB copies the kc×nc block of op(B) that starts at row pc and column jc
// into dst as nr-wide micro-panels, each stored row by row
// (dst[jp*kc + p*nr + j] = op(B)[pc+p, jc+jp+j]), so the micro-kernel
// reads it with unit stride. The last micro-panel is padded with zeros.
// dst of type float32 gets the values rounded to single precision.
func packB[T element](dst []T, bT bool, b []float64, ldb, pc, jc, kc, nc, nr int) {
	for jp := 0; jp < nc; jp += nr {
		w := min(nr, nc-jp)
		d := dst[jp*kc : jp*kc+nr*kc]
		if w == nr && packBFull(d, bT, b, ldb, pc, jc+jp, kc, nr) {
			continue
		}
		if !bT {
			// op(B)[p, j] = b[p*ldb + j]: rows of B are contiguous.
			for p := 0; p < kc; p++ {
				off := (pc+p)*ldb + jc + jp
				dp := d[p*nr : p*nr+nr]
				for j, v := range b[off : off+w] {
					dp[j] = T(v)
				}
				clear(dp[w:])
			}
			continue
		}
		// op(B)[p, j] = b[j*ldb + p]: columns of op(B) are contiguous.
		for j := 0; j < w; j++ {
			off := (jc+jp+j)*ldb + pc
			for p, v := range b[off : off+kc] {
				d[p*nr+j] = T(v)
			}
		}
		if w < nr {
			for p := 0; p < kc; p++ {
				clear(d[p*nr+w : p*nr+nr])
			}
		}
	}
}

// packA copies the mc×kc block of op(A) that starts at row ic and column pc
// into dst as mr-tall micro-panels, each stored column by column
// (dst[ip*kc + p*mr + i] = op(A)[ic+ip+i, pc+p]). The last micro-panel is
// padded with zeros.
// dst of type float32 gets the values rounded to single precision.
//
// An mr-tall panel of op(A) is an mr-wide panel of op(A)ᵀ, stored row by
// row (op(A)[ic+ip+i, pc+p] = op(A)ᵀ[pc+p, ic+ip+i]), and op(A)ᵀ is a
// transposed exactly when op(A) is not: packA is packB on the transpose.
func packA[T element](dst []T, aT bool, a []float64, lda, ic, pc, mc, kc, mr int) {
	packB(dst, !aT, a, lda, pc, ic, kc, mc, mr)
}

// packBFull packs one full nr-wide micro-panel starting at column j0 with
// a routine unrolled for its width and element type, and reports whether
// it had one: packB6 and packB8 for float64 panels 6 and 8 wide, packConv
// for float32 panels of the AVX kernels (6 to 32 wide). Through packA it
// packs the kernels' A panels too (6 or 8 tall). Packing is pure memory
// traffic, and for thin products (m ≲ 32) it costs as much as the
// arithmetic.
func packBFull[T element](d []T, bT bool, b []float64, ldb, pc, j0, kc, nr int) bool {
	switch d := any(d).(type) {
	case []float64:
		switch nr {
		case 6:
			packB6(d, bT, b, ldb, pc, j0, kc)
			return true
		case 8:
			packB8(d, bT, b, ldb, pc, j0, kc)
			return true
		}
	case []float32:
		if nr >= 6 {
			// op(B)[pc+p, j0+j] is b[(pc+p)*ldb + j0+j], or
			// b[(j0+j)*ldb + pc+p] transposed.
			if bT {
				packConv(d, nr, false, b[j0*ldb+pc:], ldb, kc, nr)
			} else {
				packConv(d, nr, true, b[pc*ldb+j0:], ldb, kc, nr)
			}
			return true
		}
	}
	return false
}

// packB8 is packB for one full 8-wide float64 micro-panel, element by
// element so that the copy does not call memmove for every 64 bytes (an
// [8]float64 array assignment does).
func packB8(d []float64, bT bool, b []float64, ldb, pc, j0, kc int) {
	if !bT {
		for p := 0; p < kc; p++ {
			off := (pc+p)*ldb + j0
			src := b[off : off+8 : off+8]
			dp := d[p*8 : p*8+8 : p*8+8]
			dp[0], dp[1], dp[2], dp[3] = src[0], src[1], src[2], src[3]
			dp[4], dp[5], dp[6], dp[7] = src[4], src[5], src[6], src[7]
		}
		return
	}
	col := func(j int) []float64 { off := (j0+j)*ldb + pc; return b[off : off+kc : off+kc] }
	c0, c1, c2, c3, c4, c5, c6, c7 := col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7)
	for p := 0; p < kc; p++ {
		dp := (*[8]float64)(d[p*8:])
		dp[0], dp[1], dp[2], dp[3] = c0[p], c1[p], c2[p], c3[p]
		dp[4], dp[5], dp[6], dp[7] = c4[p], c5[p], c6[p], c7[p]
	}
}

// packConv converts a w-wide float32 micro-panel, d[p*ds+j] for p < k and
// j < w (w a multiple of 4, or 6), from src in one of two layouts: row p
// at src[p*ld:] (byRows), or column j at src[j*ld:]. It is cvtRows or
// packBT; a 6-wide panel is two 4-wide ones, columns 0–3 and 2–5 (the
// overlap is written twice with the same values).
func packConv(d []float32, ds int, byRows bool, src []float64, ld, k, w int) {
	conv := func(d []float32, src []float64, w int) {
		if byRows {
			cvtRows(d, ds, src, ld, k, w)
		} else {
			packBT(d, ds, src, ld, k, w)
		}
	}
	if w%4 == 0 {
		conv(d, src, w)
		return
	}
	conv(d, src, 4)
	if byRows {
		conv(d[w-4:], src[w-4:], 4)
	} else {
		conv(d[w-4:], src[(w-4)*ld:], 4)
	}
}

// packB6 is packB8 for a 6-wide float64 micro-panel: the A panels of the
// 6×8 kernel, packed as the transpose (see packA).
func packB6(d []float64, bT bool, b []float64, ldb, pc, j0, kc int) {
	if !bT {
		for p := 0; p < kc; p++ {
			off := (pc+p)*ldb + j0
			src := b[off : off+6 : off+6]
			dp := d[p*6 : p*6+6 : p*6+6]
			dp[0], dp[1], dp[2] = src[0], src[1], src[2]
			dp[3], dp[4], dp[5] = src[3], src[4], src[5]
		}
		return
	}
	col := func(j int) []float64 { off := (j0+j)*ldb + pc; return b[off : off+kc : off+kc] }
	c0, c1, c2, c3, c4, c5 := col(0), col(1), col(2), col(3), col(4), col(5)
	for p := 0; p < kc; p++ {
		dp := (*[6]float64)(d[p*6:])
		dp[0], dp[1], dp[2] = c0[p], c1[p], c2[p]
		dp[3], dp[4], dp[5] = c3[p], c4[p], c5[p]
	}
}
