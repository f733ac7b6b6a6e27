package blas

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// int8 products for quantized inference.
//
// A float64 product x·W (m×k by k×n, weights in×out) is approximated by
// quantizing each row of x and each column of W to int8 with its own
// symmetric scale, multiplying the int8 matrices exactly in int32, and
// scaling the result back:
//
//	s_i = max_p |x_ip|,   qx_ip = round(127·x_ip / s_i)        (QuantizeRows)
//	t_j = max_p |W_pj|,   qW_pj = round(127·W_pj / t_j)        (QuantizeCols)
//	C_ij = Σ_p qx_ip·qW_pj                                      (Int8Gemm, exact)
//	(x·W)_ij ≈ C_ij · s_i·t_j / 127²                            (DequantizeTo)
//
// Each quantized value is within half a step (s_i/254) of the original.
// The int32 sum cannot overflow for k ≤ MaxInt8K.
//
// On amd64 with AVX-512 VNNI, Int8Gemm runs a 6×64 kernel of VPDPBUSD,
// which multiplies unsigned by signed bytes and adds groups of four
// products into int32 lanes. A is made unsigned by adding 128 (an XOR of
// the sign bit), and the excess is removed at the end:
//
//	Σ_p (a_ip+128)·b_pj = Σ_p a_ip·b_pj + 128·Σ_p b_pj
//
// with the column sums Σ_p b_pj computed once, when B is packed.
//
// With AVX2 but no VNNI, it runs a 6×16 kernel of VPMADDWD (int8_avx2_amd64.s):
// A and B are sign-extended to int16, and VPMADDWD multiplies int16 pairs
// and adds each two neighbouring products into an int32 lane,
//
//	lane j += a_i,2s·b_2s,j + a_i,2s+1·b_2s+1,j
//
// so B is packed in pairs of consecutive k per column and A is read as
// broadcast pairs. Each sum of two products is at most 2·128² = 2¹⁵ in
// magnitude, so nothing saturates (VPMADDUBSW, the unsigned×signed byte
// form, saturates at int16 once A is made unsigned with the +128 trick,
// which is why it is not used). Elsewhere a Go loop computes the same
// integers.

// MaxInt8K is the largest k for which Int8Gemm's int32 accumulators cannot
// overflow: each of the k terms (a+128)·b is at most 255·128 in magnitude,
// and 65536·255·128 < 2³¹.
const MaxInt8K = 65536

// QuantizeRows quantizes each row of src (m×k) with its own symmetric scale,
// writing the m×k int8 values row-major into dst (len ≥ m·k) and the scales
// s_i = max_p |src_ip| into scales (len ≥ m):
//
//	dst[i*k+p] = round(127·src_ip / s_i)
//
// so src_ip ≈ dst[i*k+p]·s_i/127. A row of zeros gets scale 0 and zeros.
// It panics if dst or scales is too short.
func QuantizeRows(dst []int8, scales []float64, src *mat.Dense) {
	m, k := src.Dims()
	if len(dst) < m*k || len(scales) < m {
		panic("blas: QuantizeRows: short dst or scales")
	}
	for i := 0; i < m; i++ {
		row := src.RawRowView(i)
		scales[i] = quantizeTo(dst[i*k:i*k+k], row)
	}
}

// QuantizeCols quantizes each column of src (k×n, a weight matrix in×out)
// with its own symmetric scale t_j = max_p |src_pj|, writing the k×n int8
// values row-major into dst (len ≥ k·n) and t_j into scales (len ≥ n):
//
//	dst[p*n+j] = round(127·src_pj / t_j)
//
// It panics if dst or scales is too short.
func QuantizeCols(dst []int8, scales []float64, src *mat.Dense) {
	k, n := src.Dims()
	if len(dst) < k*n || len(scales) < n {
		panic("blas: QuantizeCols: short dst or scales")
	}
	for j := 0; j < n; j++ {
		var s float64
		for p := 0; p < k; p++ {
			s = math.Max(s, math.Abs(src.At(p, j)))
		}
		scales[j] = s
	}
	for p := 0; p < k; p++ {
		row := src.RawRowView(p)
		for j, v := range row {
			dst[p*n+j] = quantize(v, scales[j])
		}
	}
}

// quantizeTo quantizes x with the scale s = max|x| into dst and returns
// s. It multiplies by 127/s rather than dividing each value by s, and
// rounds half to even (math.RoundToEven is one SSE4.1 ROUNDSD, math.Round
// a dozen bit operations): the product differs from 127·x/s by an ulp or
// two, so each value is still within half a step (s/254, to a relative
// 1e-15) of the original. This loop is the whole per-call cost of
// quantizing activations, once per row per layer and step.
func quantizeTo(dst []int8, x []float64) float64 {
	var s float64
	for _, v := range x {
		if a := math.Abs(v); a > s {
			s = a
		}
	}
	dst = dst[:len(x)]
	if s == 0 {
		clear(dst)
		return 0
	}
	r := 127 / s
	for p, v := range x {
		dst[p] = int8(math.RoundToEven(v * r))
	}
	return s
}

// quantize returns round(127·v/s), or 0 when s is 0. |v| ≤ s, so the
// result lies in [−127, 127].
func quantize(v, s float64) int8 {
	if s == 0 {
		return 0
	}
	return int8(math.Round(127 * v / s))
}

// DequantizeTo sets dst (m×n) to the float64 product that the int32 result
// c (m×n row-major, from Int8Gemm) stands for:
//
//	dst_ij = c[i*n+j] · rowScales[i] · colScales[j] / 127²
//
// with rowScales from QuantizeRows of A and colScales from QuantizeCols of
// B. It panics if a length does not match dst.
func DequantizeTo(dst *mat.Dense, c []int32, rowScales, colScales []float64) {
	m, n := dst.Dims()
	if len(c) < m*n || len(rowScales) < m || len(colScales) < n {
		panic("blas: DequantizeTo: short c or scales")
	}
	for i := 0; i < m; i++ {
		r := rowScales[i] / (127 * 127)
		row := dst.RawRowView(i)
		ci := c[i*n : i*n+n]
		cs := colScales[:n]
		for j := range row {
			row[j] = float64(ci[j]) * r * cs[j]
		}
	}
}

// Int8B is a k×n int8 matrix prepared as the right operand of Int8Gemm:
// kept row-major for the portable loop and, on CPUs with AVX-512 VNNI or
// AVX2, packed into the kernel's layout (with its column sums for VNNI).
// Prepare it once per weight matrix (it is read-only afterwards and safe
// for concurrent use) and multiply by it many times.
type Int8B struct {
	K, N int
	b    []int8 // k×n row-major

	kind int8Kind // the kernel packed is laid out for

	// For the VNNI kernel: 64-column panels, each k4 = ⌈k/4⌉ groups of
	// 64 columns × 4 consecutive k (256 bytes): byte s*256 + j*4 + r of
	// panel q is b[4s+r, 64q+j], zero past k and n.
	// For the AVX2 kernel: 16-column panels, each k2 = ⌈k/2⌉ groups of
	// 16 columns × 2 consecutive k (32 bytes): byte s*32 + j*2 + r of
	// panel q is b[2s+r, 16q+j], zero past k and n.
	packed []int8
	corr   []int32 // VNNI only: 128·Σ_p b[p, j], padded to whole panels
}

// int8Kind names an Int8Gemm kernel.
type int8Kind int

const (
	int8Go   int8Kind = iota // the portable loop
	int8VNNI                 // AVX-512 VNNI, 6×64 and 1×64
	int8AVX2                 // AVX2 VPMADDWD, 6×16 and 1×16
)

func (k int8Kind) String() string { return [...]string{"go", "vnni", "avx2"}[k] }

// int8Use is the kernel NewInt8B packs for: the best this CPU has. The
// tests change it to run every kernel the CPU can.
var int8Use = func() int8Kind {
	switch {
	case hasVNNI:
		return int8VNNI
	case useElemAVX2: // AVX2 (and FMA, which this kernel does not need)
		return int8AVX2
	}
	return int8Go
}()

// int8Panel is the width of a packed column panel: four 16-lane int32
// vectors.
const int8Panel = 64

// NewInt8B prepares the k×n row-major int8 matrix b (len ≥ k·n) for
// Int8Gemm. It copies b. It panics if k > MaxInt8K.
func NewInt8B(b []int8, k, n int) *Int8B {
	if k < 0 || n < 0 || len(b) < k*n {
		panic("blas: NewInt8B: bad dimensions")
	}
	if k > MaxInt8K {
		panic("blas: NewInt8B: k > MaxInt8K")
	}
	w := &Int8B{K: k, N: n, b: append([]int8(nil), b[:k*n]...)}
	switch int8Use {
	case int8VNNI:
		w.pack()
	case int8AVX2:
		w.packPairs()
	}
	return w
}

// int8Pair is the width of a packed column panel for the AVX2 kernel: two
// 8-lane int32 vectors.
const int8Pair = 16

// packPairs fills packed for the AVX2 kernel (see Int8B).
func (w *Int8B) packPairs() {
	k, n := w.K, w.N
	k2 := (k + 1) / 2
	panels := (n + int8Pair - 1) / int8Pair
	w.kind = int8AVX2
	w.packed = make([]int8, panels*k2*2*int8Pair)
	for q := 0; q < panels; q++ {
		d := w.packed[q*k2*2*int8Pair:]
		for j := 0; j < int8Pair && q*int8Pair+j < n; j++ {
			col := q*int8Pair + j
			for p := 0; p < k; p++ {
				d[(p/2)*2*int8Pair+j*2+p%2] = w.b[p*n+col]
			}
		}
	}
}

// pack fills packed and corr (see Int8B).
func (w *Int8B) pack() {
	k, n := w.K, w.N
	k4 := (k + 3) / 4
	panels := (n + int8Panel - 1) / int8Panel
	w.kind = int8VNNI
	w.packed = make([]int8, panels*k4*4*int8Panel)
	w.corr = make([]int32, panels*int8Panel)
	for q := 0; q < panels; q++ {
		d := w.packed[q*k4*4*int8Panel:]
		for j := 0; j < int8Panel && q*int8Panel+j < n; j++ {
			col := q*int8Panel + j
			var sum int32
			for p := 0; p < k; p++ {
				v := w.b[p*n+col]
				d[(p/4)*4*int8Panel+j*4+p%4] = v
				sum += int32(v)
			}
			w.corr[col] = 128 * sum
		}
	}
}

// Int8Gemm computes the exact int32 product c = a·b of the m×k int8 matrix
// a (row-major, len ≥ m·k) and the prepared k×n matrix b, writing the m×n
// result row-major into c (len ≥ m·n). It panics if a or c is too short.
func Int8Gemm(c []int32, a []int8, m int, b *Int8B) {
	k, n := b.K, b.N
	if m < 0 || len(a) < m*k || len(c) < m*n {
		panic("blas: Int8Gemm: short a or c")
	}
	if m == 0 || n == 0 {
		return
	}
	switch {
	case k == 0:
	case b.kind == int8VNNI:
		int8GemmVNNI(c, a, m, b)
		return
	case b.kind == int8AVX2:
		int8GemmAVX2(c, a, m, b)
		return
	}
	int8GemmGo(c, a, m, b)
}

// int8GemmGo is the portable Int8Gemm: rows of c accumulated from rows of
// b, which the Go compiler turns into plain scalar loops.
func int8GemmGo(c []int32, a []int8, m int, b *Int8B) {
	k, n := b.K, b.N
	for i := 0; i < m; i++ {
		ci := c[i*n : i*n+n]
		clear(ci)
		for p, av := range a[i*k : i*k+k] {
			if av == 0 {
				continue
			}
			x := int32(av)
			for j, bv := range b.b[p*n : p*n+n] {
				ci[j] += x * int32(bv)
			}
		}
	}
}

// int8Buf holds the unsigned copy of A (VNNI) or its int16 copy (AVX2)
// and a scratch tile for one call.
type int8Buf struct {
	a       []uint8
	a16     []int16
	scratch []int32
}

var int8Pool = sync.Pool{New: func() any { return new(int8Buf) }}

// int8GemmVNNI is Int8Gemm on the VNNI kernels: A is copied with 128 added
// (the sign bit flipped) and padded to whole groups of 4 along k with
// unsigned 128 (signed 0); then, panel by panel of B, full 6-row blocks of
// A go through the 6×64 kernel and the remaining rows through the 1×64
// one. A panel of B (k·64 bytes) stays in cache across all rows of A.
func int8GemmVNNI(c []int32, a []int8, m int, b *Int8B) {
	k, n := b.K, b.N
	k4 := (k + 3) / 4
	lda := 4 * k4
	buf := int8Pool.Get().(*int8Buf)
	defer int8Pool.Put(buf)
	if cap(buf.a) < m*lda {
		buf.a = make([]uint8, m*lda)
	}
	au := buf.a[:m*lda]
	for i := 0; i < m; i++ {
		row := au[i*lda : i*lda+lda]
		for p, v := range a[i*k : i*k+k] {
			row[p] = uint8(v) ^ 0x80
		}
		for p := k; p < lda; p++ {
			row[p] = 0x80
		}
	}
	int8Panels(c, m, n, int8Panel, buf, func(q, i int, dst *int32, ldc int) {
		int8Kernel6x64(k4, &au[i*lda], lda, &b.packed[q*k4*4*int8Panel], &b.corr[q*int8Panel], dst, ldc)
	}, func(q, i int, dst *int32) {
		int8Kernel1x64(k4, &au[i*lda], &b.packed[q*k4*4*int8Panel], &b.corr[q*int8Panel], dst)
	})
}

// int8GemmAVX2 is Int8Gemm on the AVX2 kernels: A is sign-extended to
// int16 and padded to an even k with a zero; then, panel by panel of B,
// full 6-row blocks of A go through the 6×16 kernel and the remaining rows
// through the 1×16 one. A panel of B (k·16 bytes) stays in L1 or L2 across
// all rows of A.
func int8GemmAVX2(c []int32, a []int8, m int, b *Int8B) {
	k, n := b.K, b.N
	k2 := (k + 1) / 2
	lda := 2 * k2 // int16 elements per row
	buf := int8Pool.Get().(*int8Buf)
	defer int8Pool.Put(buf)
	if cap(buf.a16) < m*lda {
		buf.a16 = make([]int16, m*lda)
	}
	a16 := buf.a16[:m*lda]
	for i := 0; i < m; i++ {
		row := a16[i*lda : i*lda+lda]
		for p, v := range a[i*k : i*k+k] {
			row[p] = int16(v)
		}
		if k < lda {
			row[k] = 0
		}
	}
	int8Panels(c, m, n, int8Pair, buf, func(q, i int, dst *int32, ldc int) {
		int8Kernel6x16AVX2(k2, &a16[i*lda], 2*lda, &b.packed[q*k2*2*int8Pair], dst, ldc)
	}, func(q, i int, dst *int32) {
		int8Kernel1x16AVX2(k2, &a16[i*lda], &b.packed[q*k2*2*int8Pair], dst)
	})
}

// int8Panels is the loop of the assembly drivers around their kernels:
// panel by panel of B (pw columns each; q the panel), full 6-row blocks of
// A (from row i) through tile6, which writes a 6×pw tile at dst with row
// stride ldc, and the remaining rows through tile1, which writes 1×pw. The
// kernels write whole tiles, so those of a last, narrower panel go to
// buf's scratch and their valid columns are copied into C (m×n).
func int8Panels(c []int32, m, n, pw int, buf *int8Buf, tile6 func(q, i int, dst *int32, ldc int), tile1 func(q, i int, dst *int32)) {
	if cap(buf.scratch) < 6*pw {
		buf.scratch = make([]int32, 6*pw)
	}
	scratch := buf.scratch[:6*pw]
	for q := 0; q < (n+pw-1)/pw; q++ {
		j0 := q * pw
		w := min(pw, n-j0)
		i := 0
		for ; i+6 <= m; i += 6 {
			if w == pw {
				tile6(q, i, &c[i*n+j0], n)
				continue
			}
			tile6(q, i, &scratch[0], pw)
			for r := 0; r < 6; r++ {
				copy(c[(i+r)*n+j0:(i+r)*n+j0+w], scratch[r*pw:r*pw+w])
			}
		}
		for ; i < m; i++ {
			if w == pw {
				tile1(q, i, &c[i*n+j0])
				continue
			}
			tile1(q, i, &scratch[0])
			copy(c[i*n+j0:i*n+j0+w], scratch[:w])
		}
	}
}
