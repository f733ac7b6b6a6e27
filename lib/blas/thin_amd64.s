#include "textflag.h"

// func thinRowAVX2(k, n int, alpha float64, a *float64, inca int, b *float64, ldb int, c *float64)
//
// One row of C (n values at c) += Σ_l (alpha·a[l·inca])·B[l, :], B read in
// place with row stride ldb, l ascending, skipping terms whose coefficient
// alpha·a_l is zero. Each step is a separate multiply and add (no FMA), in
// the order of gonum's AxpyUnitary loop, so the result is bit for bit
// gonum's; the gain is that C stays in registers across the k steps.
//
// Columns go in chunks of 32 (Y0–Y7 accumulate, Y8–Y11 hold products),
// then of 4 (Y0), then one at a time (X0). Y15 holds alpha in its low lane,
// Y12 the broadcast coefficient.
TEXT ·thinRowAVX2(SB), NOSPLIT, $0-64
	MOVQ  k+0(FP), R8
	MOVQ  n+8(FP), R9
	VMOVSD alpha+16(FP), X15
	MOVQ  a+24(FP), R10
	MOVQ  inca+32(FP), R11
	SHLQ  $3, R11
	MOVQ  b+40(FP), R12
	MOVQ  ldb+48(FP), R13
	SHLQ  $3, R13
	MOVQ  c+56(FP), DI

chunk32:
	CMPQ R9, $32
	JLT  chunk4
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 128(DI), Y4
	VMOVUPD 160(DI), Y5
	VMOVUPD 192(DI), Y6
	VMOVUPD 224(DI), Y7
	MOVQ R10, SI
	MOVQ R12, BX
	MOVQ R8, CX

loop32:
	VMULSD       (SI), X15, X12 // alpha·a_l
	VMOVQ        X12, AX
	SHLQ         $1, AX         // drop the sign: ±0 → 0
	JZ           skip32
	VBROADCASTSD X12, Y12
	VMULPD       (BX), Y12, Y8
	VMULPD       32(BX), Y12, Y9
	VMULPD       64(BX), Y12, Y10
	VMULPD       96(BX), Y12, Y11
	VADDPD       Y8, Y0, Y0
	VADDPD       Y9, Y1, Y1
	VADDPD       Y10, Y2, Y2
	VADDPD       Y11, Y3, Y3
	VMULPD       128(BX), Y12, Y8
	VMULPD       160(BX), Y12, Y9
	VMULPD       192(BX), Y12, Y10
	VMULPD       224(BX), Y12, Y11
	VADDPD       Y8, Y4, Y4
	VADDPD       Y9, Y5, Y5
	VADDPD       Y10, Y6, Y6
	VADDPD       Y11, Y7, Y7

skip32:
	ADDQ R11, SI
	ADDQ R13, BX
	DECQ CX
	JNZ  loop32
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	ADDQ $256, DI
	ADDQ $256, R12
	SUBQ $32, R9
	JMP  chunk32

chunk4:
	CMPQ R9, $4
	JLT  chunk1
	VMOVUPD (DI), Y0
	MOVQ R10, SI
	MOVQ R12, BX
	MOVQ R8, CX

loop4:
	VMULSD       (SI), X15, X12
	VMOVQ        X12, AX
	SHLQ         $1, AX
	JZ           skip4
	VBROADCASTSD X12, Y12
	VMULPD       (BX), Y12, Y8
	VADDPD       Y8, Y0, Y0

skip4:
	ADDQ R11, SI
	ADDQ R13, BX
	DECQ CX
	JNZ  loop4
	VMOVUPD Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, R12
	SUBQ $4, R9
	JMP  chunk4

chunk1:
	TESTQ R9, R9
	JZ    done
	VMOVSD (DI), X0
	MOVQ R10, SI
	MOVQ R12, BX
	MOVQ R8, CX

loop1:
	VMULSD (SI), X15, X12
	VMOVQ  X12, AX
	SHLQ   $1, AX
	JZ     skip1
	VMULSD (BX), X12, X8
	VADDSD X8, X0, X0

skip1:
	ADDQ R11, SI
	ADDQ R13, BX
	DECQ CX
	JNZ  loop1
	VMOVSD X0, (DI)
	ADDQ $8, DI
	ADDQ $8, R12
	DECQ R9
	JMP  chunk1

done:
	VZEROUPPER
	RET
