#include "textflag.h"

// The single-precision kernel of SetPrecision(Float32): kernel6x8AVX2's
// register plan with float32 lanes, so each YMM accumulator holds 8 columns
// instead of 4 and the tile is 6×16 for the same 12 accumulators.

// One rank-1 update of the 6×16 float32 tile Y0..Y11 from the packed
// panels: row i of the tile (Y(2i), Y(2i+1)) += a[i] · b[0:16].
// AO and BO are byte offsets into the A (AX) and B (BX) micro-panels.
#define STEP32(AO, BO) \
	VMOVUPS      BO(BX), Y12;          \
	VMOVUPS      BO+32(BX), Y13;       \
	VBROADCASTSS AO(AX), Y14;          \
	VBROADCASTSS AO+4(AX), Y15;        \
	VFMADD231PS  Y12, Y14, Y0;         \
	VFMADD231PS  Y13, Y14, Y1;         \
	VFMADD231PS  Y12, Y15, Y2;         \
	VFMADD231PS  Y13, Y15, Y3;         \
	VBROADCASTSS AO+8(AX), Y14;        \
	VBROADCASTSS AO+12(AX), Y15;       \
	VFMADD231PS  Y12, Y14, Y4;         \
	VFMADD231PS  Y13, Y14, Y5;         \
	VFMADD231PS  Y12, Y15, Y6;         \
	VFMADD231PS  Y13, Y15, Y7;         \
	VBROADCASTSS AO+16(AX), Y14;       \
	VBROADCASTSS AO+20(AX), Y15;       \
	VFMADD231PS  Y12, Y14, Y8;         \
	VFMADD231PS  Y13, Y14, Y9;         \
	VFMADD231PS  Y12, Y15, Y10;        \
	VFMADD231PS  Y13, Y15, Y11

// C[row, OFF:OFF+4] += alpha · float64(the four float32 in XS).
#define ADDQUAD(XS, OFF) \
	VCVTPS2PD   XS, Y12;      \
	VMOVUPD     OFF(DX), Y13; \
	VFMADD231PD Y12, Y14, Y13; \
	VMOVUPD     Y13, OFF(DX)

// C[row, 0:16] += alpha · float64(R0, R1), then advance DX to the next row
// of C. X0 and X1 are the low halves of R0 and R1.
#define STOREROW32(R0, X0, R1, X1) \
	ADDQUAD(X0, 0);                \
	VEXTRACTF128 $1, R0, X15;      \
	ADDQUAD(X15, 32);              \
	ADDQUAD(X1, 64);               \
	VEXTRACTF128 $1, R1, X15;      \
	ADDQUAD(X15, 96);              \
	ADDQ        R8, DX

// func kernel6x16F32AVX2(k int, a, b *float32, c *float64, ldc int, alpha float64)
TEXT ·kernel6x16F32AVX2(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	// Touch the six rows of C (128 bytes each) early.
	MOVQ DX, R10
	PREFETCHT0 (R10)
	PREFETCHT0 64(R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)
	PREFETCHT0 64(R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)
	PREFETCHT0 64(R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)
	PREFETCHT0 64(R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)
	PREFETCHT0 64(R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)
	PREFETCHT0 64(R10)
	MOVQ CX, R9
	SHRQ $2, R9 // k/4 unrolled iterations
	ANDQ $3, CX // k%4 remaining
	TESTQ R9, R9
	JZ   tail
loop4:
	PREFETCHT0 512(BX)
	STEP32(0, 0)
	STEP32(24, 64)
	PREFETCHT0 576(BX)
	STEP32(48, 128)
	STEP32(72, 192)
	ADDQ $96, AX
	ADDQ $256, BX
	DECQ R9
	JNZ  loop4
tail:
	TESTQ CX, CX
	JZ    store
loop1:
	STEP32(0, 0)
	ADDQ $24, AX
	ADDQ $64, BX
	DECQ CX
	JNZ  loop1
store:
	VBROADCASTSD alpha+40(FP), Y14
	STOREROW32(Y0, X0, Y1, X1)
	STOREROW32(Y2, X2, Y3, X3)
	STOREROW32(Y4, X4, Y5, X5)
	STOREROW32(Y6, X6, Y7, X7)
	STOREROW32(Y8, X8, Y9, X9)
	STOREROW32(Y10, X10, Y11, X11)
	VZEROUPPER
	RET

// func cvtRowsAVX(d *float32, ds int, b *float64, ldb, k, w int)
//
// d[p*ds+j] = float32(b[p*ldb+j]) for 0 ≤ p < k, 0 ≤ j < w, w a multiple of
// 4: k rows of w float64, ldb apart, rounded (to nearest, as Go's
// conversion) into rows ds apart of a packed float32 micro-panel.
TEXT ·cvtRowsAVX(SB), NOSPLIT, $0-48
	MOVQ d+0(FP), DI
	MOVQ ds+8(FP), R12
	SHLQ $2, R12
	MOVQ b+16(FP), SI
	MOVQ ldb+24(FP), R8
	SHLQ $3, R8
	MOVQ k+32(FP), CX
	MOVQ w+40(FP), R9
	SHRQ $2, R9 // 4-wide pieces per row
	TESTQ CX, CX
	JZ   done
row:
	MOVQ SI, R10
	MOVQ DI, R13
	MOVQ R9, R11
piece:
	VCVTPD2PSY (R10), X0
	VMOVUPS    X0, (R13)
	ADDQ $32, R10
	ADDQ $16, R13
	DECQ R11
	JNZ  piece
	ADDQ R8, SI
	ADDQ R12, DI
	DECQ CX
	JNZ  row
done:
	VZEROUPPER
	RET

// Four rows of op(B)ᵀ — stored rows j..j+3 of B at R10, R10+R8, R10+2·R8,
// R10+R11 (R11 = 3·R8), columns p..p+3 — converted to float32 and
// transposed into columns j..j+3 of four packed rows of d, at R12, R12+R13,
// R12+2·R13, R12+R14 (R13 the packed row in bytes, R14 = 3·R13).
#define TRANS4 \
	VCVTPD2PSY (R10), X0;         \
	VCVTPD2PSY (R10)(R8*1), X1;   \
	VCVTPD2PSY (R10)(R8*2), X2;   \
	VCVTPD2PSY (R10)(R11*1), X3;  \
	VUNPCKLPS  X1, X0, X4;        \ // a0 b0 a1 b1
	VUNPCKHPS  X1, X0, X5;        \ // a2 b2 a3 b3
	VUNPCKLPS  X3, X2, X6;        \ // c0 d0 c1 d1
	VUNPCKHPS  X3, X2, X7;        \ // c2 d2 c3 d3
	VMOVLHPS   X6, X4, X8;        \ // a0 b0 c0 d0
	VMOVHLPS   X4, X6, X9;        \ // a1 b1 c1 d1
	VMOVLHPS   X7, X5, X10;       \ // a2 b2 c2 d2
	VMOVHLPS   X5, X7, X11;       \ // a3 b3 c3 d3
	VMOVUPS    X8, (R12);         \
	VMOVUPS    X9, (R12)(R13*1);  \
	VMOVUPS    X10, (R12)(R13*2); \
	VMOVUPS    X11, (R12)(R14*1)

// func packBTAVX(d *float32, ds int, b *float64, ldb, k, w int)
//
// d[p*ds+j] = float32(b[j*ldb+p]) for 0 ≤ j < w and 0 ≤ p < k, k and w
// multiples of 4: w stored rows of B (columns of op(B) = Bᵀ) packed into
// rows ds apart of a float32 micro-panel, 4×4 blocks at a time.
TEXT ·packBTAVX(SB), NOSPLIT, $0-48
	MOVQ d+0(FP), DI
	MOVQ ds+8(FP), R13
	SHLQ $2, R13 // a packed row in bytes
	LEAQ (R13)(R13*2), R14
	MOVQ b+16(FP), SI
	MOVQ ldb+24(FP), R8
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R11
	MOVQ k+32(FP), CX
	SHRQ $2, CX
	MOVQ w+40(FP), R9
	SHRQ $2, R9 // groups of 4 rows of B
	TESTQ CX, CX
	JZ   tdone
quad:
	MOVQ SI, R10
	MOVQ DI, R12
	MOVQ R9, BX
group:
	TRANS4
	LEAQ (R10)(R8*4), R10
	ADDQ $16, R12
	DECQ BX
	JNZ  group
	ADDQ $32, SI
	LEAQ (DI)(R13*4), DI
	DECQ CX
	JNZ  quad
tdone:
	VZEROUPPER
	RET

// The 8×32 AVX-512 single-precision kernel: the tile of C lives in 16 ZMM
// accumulators, Z(2i) and Z(2i+1) holding row i (2 × 16 float32); Z16–Z17
// hold one 32-wide row of B and Z18–Z21 broadcast elements of A. Each step
// along k is 2 loads, 8 broadcasts and 16 VFMADD231PS: 512 flops in 26
// instructions, against 192 in 20 for the AVX2 6×16.

// One rank-1 update from the packed A micro-panel (byte offset AO from AX)
// and the packed B micro-panel (byte offset BO from BX).
#define STEP32X(AO, BO) \
	VMOVUPS      BO(BX), Z16;      \
	VMOVUPS      BO+64(BX), Z17;   \
	VBROADCASTSS AO(AX), Z18;      \
	VBROADCASTSS AO+4(AX), Z19;    \
	VBROADCASTSS AO+8(AX), Z20;    \
	VBROADCASTSS AO+12(AX), Z21;   \
	VFMADD231PS  Z16, Z18, Z0;     \
	VFMADD231PS  Z17, Z18, Z1;     \
	VFMADD231PS  Z16, Z19, Z2;     \
	VFMADD231PS  Z17, Z19, Z3;     \
	VFMADD231PS  Z16, Z20, Z4;     \
	VFMADD231PS  Z17, Z20, Z5;     \
	VFMADD231PS  Z16, Z21, Z6;     \
	VFMADD231PS  Z17, Z21, Z7;     \
	VBROADCASTSS AO+16(AX), Z18;   \
	VBROADCASTSS AO+20(AX), Z19;   \
	VBROADCASTSS AO+24(AX), Z20;   \
	VBROADCASTSS AO+28(AX), Z21;   \
	VFMADD231PS  Z16, Z18, Z8;     \
	VFMADD231PS  Z17, Z18, Z9;     \
	VFMADD231PS  Z16, Z19, Z10;    \
	VFMADD231PS  Z17, Z19, Z11;    \
	VFMADD231PS  Z16, Z20, Z12;    \
	VFMADD231PS  Z17, Z20, Z13;    \
	VFMADD231PS  Z16, Z21, Z14;    \
	VFMADD231PS  Z17, Z21, Z15

// C[row, OFF:OFF+8] += alpha(Z31) · float64(the eight float32 in YS).
#define ADDOCT(YS, OFF) \
	VCVTPS2PD   YS, Z22;       \
	VMOVUPD     OFF(DX), Z23;  \
	VFMADD231PD Z22, Z31, Z23; \
	VMOVUPD     Z23, OFF(DX)

// C[row, 0:32] += alpha · float64(R0, R1), then DX += ldc. Y0 and Y1 are
// the low halves of R0 and R1.
#define STOREROW32X(R0, Y0, R1, Y1) \
	ADDOCT(Y0, 0);                  \
	VEXTRACTF64X4 $1, R0, Y24;      \
	ADDOCT(Y24, 64);                \
	ADDOCT(Y1, 128);                \
	VEXTRACTF64X4 $1, R1, Y24;      \
	ADDOCT(Y24, 192);               \
	ADDQ        R8, DX

// func kernel8x32F32AVX512(k int, a, b *float32, c *float64, ldc int, alpha float64)
TEXT ·kernel8x32F32AVX512(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8
	VPXORD Z0, Z0, Z0
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z0, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z0, Z7
	VMOVAPS Z0, Z8
	VMOVAPS Z0, Z9
	VMOVAPS Z0, Z10
	VMOVAPS Z0, Z11
	VMOVAPS Z0, Z12
	VMOVAPS Z0, Z13
	VMOVAPS Z0, Z14
	VMOVAPS Z0, Z15
	MOVQ CX, R9
	SHRQ $2, R9
	ANDQ $3, CX
	TESTQ R9, R9
	JZ   xtail
xloop4:
	PREFETCHT0 1024(BX)
	STEP32X(0, 0)
	PREFETCHT0 1088(BX)
	STEP32X(32, 128)
	PREFETCHT0 1152(BX)
	STEP32X(64, 256)
	PREFETCHT0 1216(BX)
	STEP32X(96, 384)
	ADDQ $128, AX
	ADDQ $512, BX
	DECQ R9
	JNZ  xloop4
xtail:
	TESTQ CX, CX
	JZ    xstore
xloop1:
	STEP32X(0, 0)
	ADDQ $32, AX
	ADDQ $128, BX
	DECQ CX
	JNZ  xloop1
xstore:
	VBROADCASTSD alpha+40(FP), Z31
	STOREROW32X(Z0, Y0, Z1, Y1)
	STOREROW32X(Z2, Y2, Z3, Y3)
	STOREROW32X(Z4, Y4, Z5, Y5)
	STOREROW32X(Z6, Y6, Z7, Y7)
	STOREROW32X(Z8, Y8, Z9, Y9)
	STOREROW32X(Z10, Y10, Z11, Y11)
	STOREROW32X(Z12, Y12, Z13, Y13)
	STOREROW32X(Z14, Y14, Z15, Y15)
	VZEROUPPER
	RET
