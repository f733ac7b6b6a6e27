package blas

import (
	"fmt"
	"runtime"
)

// PackedB is the right operand of many products, packed once.
//
// Dgemm copies op(B) into the micro-kernel's panel layout on every call
// (and under Float32 converts it too). When one matrix is multiplied many
// times while it does not change — a recurrent layer's Wh at each of the T
// steps of a sequence, forward and transposed in the backward pass — that
// copy is repeated T times: for the char-LSTM with H = 512 under Float32
// it was a quarter of the training time. Packing it once per sequence,
//
//	var wh blas.PackedB
//	wh.Pack(false, H, 4*H, Wh.RawMatrix().Data, 4*H) // op(B) = Wh, H×4H
//	for t := range T {
//		blas.GemmPacked(false, B, 1, h[t], H, &wh, 1, gates[t], 4*H) // gates_t += h_{t−1}·Wh
//	}
//
// leaves only the arithmetic. The packing follows the precision set when
// Pack was called (SetPrecision), and GemmPacked computes in that
// precision. Under Float64 an untransposed B is not copied but read in
// place, as Dgemm reads a short product's B (it is as fast: the copy is
// the conversion that Float32 needs). After the matrix changes (an
// optimizer step), Pack it again. The zero value is an empty PackedB ready
// for Pack, which reuses its storage.
type PackedB struct {
	k, n int
	prec Precision
	f64  packedOperand[float64]
	f32  packedOperand[float32]
	k32  *microKernel[float32] // the kernel f32 is packed for

	// b and ldb: an untransposed B under Float64, read in place.
	b   []float64
	ldb int
}

// Pack packs op(B) — B if tB is false, Bᵀ if true — a k×n matrix read from
// b with row stride ldb, in the current precision.
func (p *PackedB) Pack(tB bool, k, n int, b []float64, ldb int) {
	r, c := k, n
	if tB {
		r, c = n, k
	}
	if k < 0 || n < 0 || ldb < max(1, c) || (r > 0 && len(b) < (r-1)*ldb+c) {
		panic(fmt.Sprintf("blas: PackedB.Pack: bad shape: %d×%d with stride %d in %d values", r, c, ldb, len(b)))
	}
	p.k, p.n, p.prec = k, n, CurrentPrecision()
	p.b, p.ldb = nil, 0
	switch {
	case p.prec == Float32:
		// The kernel of a short product: a packed operand serves the
		// steps of a recurrent layer, B×H by H×4H with a batch B of 32
		// or 64 rows.
		p.k32 = kernel32For(shortRows32)
		p.f32.pack(p.k32, tB, k, n, b, ldb)
	case tB:
		p.f64.pack(kernel, tB, k, n, b, ldb)
	default:
		p.b, p.ldb = b, ldb
	}
}

// Dims returns the shape k×n of the packed op(B).
func (p *PackedB) Dims() (k, n int) { return p.k, p.n }

// Precision reports the precision p was packed in, which its products use.
func (p *PackedB) Precision() Precision { return p.prec }

// GemmPacked computes C = alpha·op(A)·op(B) + beta·C, where op(B) is the
// k×n matrix packed in p, op(A) is the m×k matrix A (aT false) or Aᵀ (aT
// true) read from a with stride lda, and C is m×n with stride ldc. It
// follows Dgemm on special values (beta = 0 overwrites C) and uses
// GOMAXPROCS goroutines for large products.
func GemmPacked(aT bool, m int, alpha float64, a []float64, lda int, p *PackedB, beta float64, c []float64, ldc int) {
	k, n := p.k, p.n
	ar, ac := m, k
	if aT {
		ar, ac = k, m
	}
	if m < 0 || lda < max(1, ac) || ldc < max(1, n) || (ar > 0 && len(a) < (ar-1)*lda+ac) || (m > 0 && len(c) < (m-1)*ldc+n) {
		panic(fmt.Sprintf("blas: GemmPacked: bad shape: A %d×%d (stride %d, %d values), op(B) %d×%d, C stride %d (%d values)",
			ar, ac, lda, len(a), k, n, ldc, len(c)))
	}
	p.gemm(runtime.GOMAXPROCS(0), aT, m, alpha, a, lda, beta, c, ldc)
}

// gemm is GemmPacked after argument checking, on at most threads goroutines.
func (p *PackedB) gemm(threads int, aT bool, m int, alpha float64, a []float64, lda int, beta float64, c []float64, ldc int) {
	k, n := p.k, p.n
	switch {
	case p.prec == Float32:
		dgemm(p.k32, threads, aT, false, m, n, k, alpha, a, lda, nil, 0, beta, c, ldc, &p.f32)
	case p.b != nil:
		dgemm(kernel, threads, aT, false, m, n, k, alpha, a, lda, p.b, p.ldb, beta, c, ldc, nil)
	default:
		dgemm(kernel, threads, aT, false, m, n, k, alpha, a, lda, nil, 0, beta, c, ldc, &p.f64)
	}
}
