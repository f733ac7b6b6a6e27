/*
Package blas is a faster gonum BLAS: an implementation of
gonum.org/v1/gonum/blas.Float64 whose Dgemm is cache-blocked and runs a SIMD
micro-kernel, whose Ddot, Daxpy, Dscal, Dgemv and Dger run AVX2 kernels on
unit strides (vec.go: 1.3–2.9× gonum's SSE2 assembly in BenchmarkVec), and
whose every other routine is gonum's own. It also has
a single-precision mode for the products of training (SetPrecision), operands
packed once for many products (PackedB, GemmPacked), int8 products for
quantized inference (QuantizeRows, QuantizeCols,
NewInt8B, Int8Gemm, DequantizeTo; see int8.go), and the vectorised
element-wise kernels of the training loop: SigmoidTo and TanhTo for the
recurrent cells of lib/nn (elem.go) and AdagradStep for lib/optim
(adagrad.go).

	blas.Use() // blas64.Use(blas.Implementation{}): every mat.Dense product now uses it

No package of the library calls Use: importing one changes no
process-wide state. The program does, once, at start-up (the seq2go
binary in its main, the REPL's and the kernel's evaluator when it starts),
and a Go program that imports the library should do the same for its
speed. Nothing else changes: the results agree with gonum's to rounding
(the summation order differs), and bad arguments panic with gonum's
messages.

# Conventions

Matrices are row-major, as in gonum: element (i, j) of an r×c matrix with
stride ld is a[i*ld+j], and ld ≥ c. op(X) is X or Xᵀ. Dgemm computes

	C = alpha·op(A)·op(B) + beta·C,   op(A) m×k, op(B) k×n, C m×n

and follows the reference BLAS on special values: beta = 0 overwrites C
without reading it (NaNs in C vanish), alpha = 0 or k = 0 only scales C.

# The blocked algorithm

A naive triple loop reads every element of A and B from memory n (or m)
times and runs at memory speed. The Goto algorithm reorganises the product
into five loops around a tiny, register-resident micro-kernel, so that each
operand is read from the slowest memory level that its reuse allows:

	for jc := 0; jc < n; jc += nc           // 5: column panel of B and C    (B panel → L3)
	    for pc := 0; pc < k; pc += kc       // 4: rank-kc update
	        pack op(B)[pc:pc+kc, jc:jc+nc] → B̃  (kc×nc, nr-wide micro-panels)
	        for ic := 0; ic < m; ic += mc   // 3: row block of A and C       (A block → L2)
	            pack op(A)[ic:ic+mc, pc:pc+kc] → Ã  (mc×kc, mr-tall micro-panels)
	            for jr := 0; jr < nc; jr += nr      // 2: micro-panel of B̃      (→ L1)
	                for ir := 0; ir < mc; ir += mr  // 1: micro-panel of Ã
	                    C[ic+ir:+mr, jc+jr:+nr] += alpha · Ã[ir] · B̃[jr]   // micro-kernel, kc steps

Pictured for one iteration of loops 4 and 3:

	       kc                 nc                      nc
	   ┌────────┐      ┌──────────────┐        ┌──────────────┐
	   │        │      │ B̃ ┆  ┆  ┆  ┆  │ kc     │              │
	mc │   Ã    │  ·   └──────────────┘   →  mc │  C block     │
	   │ ══ mr  │        ↑ nr                   │ ▪ mr×nr tile │
	   └────────┘                               └──────────────┘

Packing copies each block into the order the micro-kernel reads it, so the
kernel walks both operands with unit stride; it pads the ragged last
micro-panels with zeros, so the kernel always computes a full mr×nr tile (an
edge tile is computed into a scratch tile and only its valid part is added
to C). Packing also absorbs the transposes and the strides: after it, all
four cases of tA and tB run the same code.

The micro-kernel keeps an mr×nr tile of C in registers and performs kc
rank-1 updates: at each step it loads one row of B̃ (nr values), broadcasts
mr values of Ã and issues mr·nr/4 fused multiply–adds. On amd64 with AVX2
and FMA (checked with CPUID at start-up) it is a 6×8 assembly kernel
(kernel_amd64.s): 12 YMM accumulators, 2 B loads and 6 broadcasts per
96 flops, blocked as mc×kc×nc = 144×256×4080, the BLIS Haswell/Zen choice.
With AVX-512 there is also an 8×24 kernel (kernel512_amd64.s, 24 ZMM
accumulators); on Zen 4, which splits each 512-bit FMA in two, both reach
the same 55 GFLOPS on L1-resident panels (BenchmarkMicroKernel), so the
8×24 is used only where its tile shape pads less (see below).
Everywhere else it is a 4×4 Go kernel with 16 scalar accumulators. KernelName
reports which one runs.

# Short products: B read in place

For a short op(A) (m ≤ 96 rows) and an untransposed B, packing B costs
about as much as the product: the recurrent step of an LSTM,
(B×H)·(H×4H) with B = 32, packs all of Wh on every time step. Since a row
of a row-major B is contiguous, gemmNoPackB packs only A and lets the
kernel read each kc×nr block of B in place with its stride (smallm.go). The
8×24 AVX-512 kernel takes such a product when its tiles pad less than the
6×8 (32 rows are four 8-row tiles but five and a third 6-row ones). The
recurrent layers of lib/nn multiply by Wh through a PackedB (see below),
which under Float64 reads Wh in place by this path; Whᵀ, for
backpropagation, is packed once per sequence.

# Small, thin and large products

Tiny products (m·n·k < 8³) and thin ones (m ≤ 2 or n ≤ 2, matrix–vector
products in disguise) are cheaper without packing and go to gonum, except
that with AVX2 a product of one or two rows by an untransposed B (the
batch-1 step of min-char-rnn) runs gemmThin (thin.go): gonum's own
arithmetic, bit for bit, with a 32-column strip of C held in registers
instead of being loaded and stored once per step of k. Large
ones (at least 2·96³ multiply–adds) are split into up to GOMAXPROCS
stripes of C along its longer side, each computed by its own goroutine with
its own packing buffers. The measurements behind these thresholds are next
to the constants in blas.go.

# Single precision: SetPrecision(Float32)

A float64 FMA instruction does 4 multiply–adds per AVX2 register, a float32
one 8, at the same rate; PyTorch trains in float32 and gets twice the
arithmetic out of every instruction. SetPrecision(Float32) does the same
for every following product of float64 matrices: the packing step, which
copies the operands anyway, rounds them to float32 (cvtRows, packBT: 4
values per instruction, in assembly), the micro-kernel multiplies and sums
along k in float32 — a 6×16 AVX2 kernel (kernel32_amd64.s) with
kernel6x8AVX2's register plan, or for short products (m ≤ 32) an 8×32
AVX-512 one — and each finished tile is widened back to float64 as it is
added into C. Both reach 2× the float64 kernels' 55 GFLOPS on L1-resident
panels (BenchmarkMicroKernel: about 110). The error of an element of C is
about √k·2⁻²⁴ of its size instead of √k·2⁻⁵³: fine for training, too
coarse for a finite-difference gradient check, so Float64 stays the
default and the trainers of cmd/seq2go switch (--precision).

A float32 kernel cannot read B in place, since B must be converted: a short
product packs all of B on every call. For the step of a recurrent layer,
where the same Wh multiplies T times, PackedB packs it once and GemmPacked
multiplies by the packed copy (packed.go); under Float64 a PackedB of an
untransposed B keeps reading it in place.

# References

	K. Goto and R. A. van de Geijn (2008), "Anatomy of high-performance matrix
	multiplication", ACM TOMS 34(3), article 12.
	F. G. Van Zee and R. A. van de Geijn (2015), "BLIS: A framework for rapidly
	instantiating BLAS functionality", ACM TOMS 41(3), article 14.
	T. M. Low, F. D. Igual, T. M. Smith and E. S. Quintana-Ortí (2016),
	"Analytical modeling is enough for high-performance BLIS", ACM TOMS 43(2),
	article 12 (how mr, nr, kc, mc and nc follow from the cache sizes).
*/
package blas
