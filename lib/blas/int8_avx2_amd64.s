#include "textflag.h"

// The AVX2 int8 kernels (see int8.go): Y0–Y11 are the 6×16 int32
// accumulator tile (row i in Y(2i), Y(2i+1), 8 lanes each), Y12–Y13 one
// 32-byte group of the packed B panel sign-extended to 16 int16 each
// (columns 0–7 and 8–15, two consecutive k per column), Y14 a broadcast
// pair of int16 from a row of A, Y15 the products. VPMADDWD multiplies the
// int16 lanes and adds neighbouring pairs into int32 lanes:
//
//	lane j = a_2s·b_2s,j + a_2s+1·b_2s+1,j

#define MADD2(R0, R1) \
	VPMADDWD Y12, Y14, Y15; \
	VPADDD   Y15, R0, R0;   \
	VPMADDWD Y13, Y14, Y15; \
	VPADDD   Y15, R1, R1

// func int8Kernel6x16AVX2(k2 int, a16 *int16, lda int, bp *int8, c *int32, ldc int)
TEXT ·int8Kernel6x16AVX2(SB), NOSPLIT, $0-48
	MOVQ k2+0(FP), CX
	MOVQ a16+8(FP), AX
	MOVQ lda+16(FP), R11
	LEAQ (R11)(R11*2), R12 // 3·lda
	LEAQ (R11)(R11*4), R13 // 5·lda
	MOVQ bp+24(FP), BX
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8

	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	VPXOR Y4, Y4, Y4
	VPXOR Y5, Y5, Y5
	VPXOR Y6, Y6, Y6
	VPXOR Y7, Y7, Y7
	VPXOR Y8, Y8, Y8
	VPXOR Y9, Y9, Y9
	VPXOR Y10, Y10, Y10
	VPXOR Y11, Y11, Y11

loop6:
	VPMOVSXBW    (BX), Y12
	VPMOVSXBW    16(BX), Y13
	VPBROADCASTD (AX), Y14
	MADD2(Y0, Y1)
	VPBROADCASTD (AX)(R11*1), Y14
	MADD2(Y2, Y3)
	VPBROADCASTD (AX)(R11*2), Y14
	MADD2(Y4, Y5)
	VPBROADCASTD (AX)(R12*1), Y14
	MADD2(Y6, Y7)
	VPBROADCASTD (AX)(R11*4), Y14
	MADD2(Y8, Y9)
	VPBROADCASTD (AX)(R13*1), Y14
	MADD2(Y10, Y11)
	ADDQ $4, AX
	ADDQ $32, BX
	DECQ CX
	JNZ  loop6

	VMOVDQU Y0, (DX)
	VMOVDQU Y1, 32(DX)
	ADDQ    R8, DX
	VMOVDQU Y2, (DX)
	VMOVDQU Y3, 32(DX)
	ADDQ    R8, DX
	VMOVDQU Y4, (DX)
	VMOVDQU Y5, 32(DX)
	ADDQ    R8, DX
	VMOVDQU Y6, (DX)
	VMOVDQU Y7, 32(DX)
	ADDQ    R8, DX
	VMOVDQU Y8, (DX)
	VMOVDQU Y9, 32(DX)
	ADDQ    R8, DX
	VMOVDQU Y10, (DX)
	VMOVDQU Y11, 32(DX)
	VZEROUPPER
	RET

// func int8Kernel1x16AVX2(k2 int, a16 *int16, bp *int8, c *int32)
//
// One row of A: two sets of accumulators (Y0–Y1 for even groups, Y2–Y3
// for odd ones) halve the dependency chains.
TEXT ·int8Kernel1x16AVX2(SB), NOSPLIT, $0-32
	MOVQ k2+0(FP), CX
	MOVQ a16+8(FP), AX
	MOVQ bp+16(FP), BX
	MOVQ c+24(FP), DX

	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3

	MOVQ  CX, R9
	SHRQ  $1, R9
	ANDQ  $1, CX
	TESTQ R9, R9
	JZ    tail1

loop1:
	VPMOVSXBW    (BX), Y12
	VPMOVSXBW    16(BX), Y13
	VPBROADCASTD (AX), Y14
	MADD2(Y0, Y1)
	VPMOVSXBW    32(BX), Y12
	VPMOVSXBW    48(BX), Y13
	VPBROADCASTD 4(AX), Y14
	MADD2(Y2, Y3)
	ADDQ $8, AX
	ADDQ $64, BX
	DECQ R9
	JNZ  loop1

tail1:
	TESTQ CX, CX
	JZ    store1
	VPMOVSXBW    (BX), Y12
	VPMOVSXBW    16(BX), Y13
	VPBROADCASTD (AX), Y14
	MADD2(Y0, Y1)

store1:
	VPADDD  Y2, Y0, Y0
	VPADDD  Y3, Y1, Y1
	VMOVDQU Y0, (DX)
	VMOVDQU Y1, 32(DX)
	VZEROUPPER
	RET
