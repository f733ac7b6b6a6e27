#include "textflag.h"

// One rank-1 update of the 6×8 accumulator tile Y0..Y11 from the packed
// panels: row i of the tile (Y(2i), Y(2i+1)) += a[i] · b[0:8].
// AO and BO are byte offsets into the A (AX) and B (BX) micro-panels.
#define STEP(AO, BO) \
	VMOVUPD      BO(BX), Y12;          \
	VMOVUPD      BO+32(BX), Y13;       \
	VBROADCASTSD AO(AX), Y14;          \
	VBROADCASTSD AO+8(AX), Y15;        \
	VFMADD231PD  Y12, Y14, Y0;         \
	VFMADD231PD  Y13, Y14, Y1;         \
	VFMADD231PD  Y12, Y15, Y2;         \
	VFMADD231PD  Y13, Y15, Y3;         \
	VBROADCASTSD AO+16(AX), Y14;       \
	VBROADCASTSD AO+24(AX), Y15;       \
	VFMADD231PD  Y12, Y14, Y4;         \
	VFMADD231PD  Y13, Y14, Y5;         \
	VFMADD231PD  Y12, Y15, Y6;         \
	VFMADD231PD  Y13, Y15, Y7;         \
	VBROADCASTSD AO+32(AX), Y14;       \
	VBROADCASTSD AO+40(AX), Y15;       \
	VFMADD231PD  Y12, Y14, Y8;         \
	VFMADD231PD  Y13, Y14, Y9;         \
	VFMADD231PD  Y12, Y15, Y10;        \
	VFMADD231PD  Y13, Y15, Y11

// C[row, 0:8] += alpha · (R0, R1), then advance DX to the next row of C.
#define STOREROW(R0, R1) \
	VMOVUPD     (DX), Y12;   \
	VMOVUPD     32(DX), Y13; \
	VFMADD231PD R0, Y14, Y12; \
	VFMADD231PD R1, Y14, Y13; \
	VMOVUPD     Y12, (DX);   \
	VMOVUPD     Y13, 32(DX); \
	ADDQ        R8, DX

// func kernel6x8AVX2(k int, a, b, c *float64, ldc int, alpha float64)
TEXT ·kernel6x8AVX2(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11

	// Touch the six rows of C early so they are in cache by the epilogue.
	MOVQ DX, R10
	PREFETCHT0 (R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)
	ADDQ R8, R10
	PREFETCHT0 (R10)

	MOVQ CX, R9
	SHRQ $2, R9 // k/4 unrolled iterations
	ANDQ $3, CX // k%4 remaining
	TESTQ R9, R9
	JZ   tail

loop4:
	PREFETCHT0 512(BX)
	STEP(0, 0)
	STEP(48, 64)
	PREFETCHT0 576(BX)
	STEP(96, 128)
	STEP(144, 192)
	ADDQ $192, AX
	ADDQ $256, BX
	DECQ R9
	JNZ  loop4

tail:
	TESTQ CX, CX
	JZ    store

loop1:
	STEP(0, 0)
	ADDQ $48, AX
	ADDQ $64, BX
	DECQ CX
	JNZ  loop1

store:
	VBROADCASTSD alpha+40(FP), Y14
	STOREROW(Y0, Y1)
	STOREROW(Y2, Y3)
	STOREROW(Y4, Y5)
	STOREROW(Y6, Y7)
	STOREROW(Y8, Y9)
	STOREROW(Y10, Y11)
	VZEROUPPER
	RET

// One rank-1 update of the 6×8 tile from an unpacked row of B at address
// BROW (8 contiguous float64: a row of a row-major B with any stride) and
// the packed A micro-panel at byte offset AO.
#define STEPROW(AO, BROW0, BROW1) \
	VMOVUPD      BROW0, Y12;           \
	VMOVUPD      BROW1, Y13;           \
	VBROADCASTSD AO(AX), Y14;          \
	VBROADCASTSD AO+8(AX), Y15;        \
	VFMADD231PD  Y12, Y14, Y0;         \
	VFMADD231PD  Y13, Y14, Y1;         \
	VFMADD231PD  Y12, Y15, Y2;         \
	VFMADD231PD  Y13, Y15, Y3;         \
	VBROADCASTSD AO+16(AX), Y14;       \
	VBROADCASTSD AO+24(AX), Y15;       \
	VFMADD231PD  Y12, Y14, Y4;         \
	VFMADD231PD  Y13, Y14, Y5;         \
	VFMADD231PD  Y12, Y15, Y6;         \
	VFMADD231PD  Y13, Y15, Y7;         \
	VBROADCASTSD AO+32(AX), Y14;       \
	VBROADCASTSD AO+40(AX), Y15;       \
	VFMADD231PD  Y12, Y14, Y8;         \
	VFMADD231PD  Y13, Y14, Y9;         \
	VFMADD231PD  Y12, Y15, Y10;        \
	VFMADD231PD  Y13, Y15, Y11

// func kernel6x8StridedAVX2(k int, a, b *float64, ldb int, c *float64, ldc int, alpha float64)
//
// kernel6x8AVX2 with B read in place: row p of the kc×8 block is
// b[p*ldb : p*ldb+8], so B needs no packing.
TEXT ·kernel6x8StridedAVX2(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ ldb+24(FP), R11
	SHLQ $3, R11        // R11 = ldb in bytes
	LEAQ (R11)(R11*2), R12 // R12 = 3·ldb in bytes
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $3, R8

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11

	MOVQ CX, R9
	SHRQ $2, R9
	ANDQ $3, CX
	TESTQ R9, R9
	JZ   stail

sloop4:
	STEPROW(0, (BX), 32(BX))
	STEPROW(48, (BX)(R11*1), 32(BX)(R11*1))
	STEPROW(96, (BX)(R11*2), 32(BX)(R11*2))
	STEPROW(144, (BX)(R12*1), 32(BX)(R12*1))
	ADDQ $192, AX
	LEAQ (BX)(R11*4), BX
	DECQ R9
	JNZ  sloop4

stail:
	TESTQ CX, CX
	JZ    sstore

sloop1:
	STEPROW(0, (BX), 32(BX))
	ADDQ $48, AX
	ADDQ R11, BX
	DECQ CX
	JNZ  sloop1

sstore:
	VBROADCASTSD alpha+48(FP), Y14
	STOREROW(Y0, Y1)
	STOREROW(Y2, Y3)
	STOREROW(Y4, Y5)
	STOREROW(Y6, Y7)
	STOREROW(Y8, Y9)
	STOREROW(Y10, Y11)
	VZEROUPPER
	RET
