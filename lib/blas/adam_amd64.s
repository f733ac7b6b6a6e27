#include "textflag.h"

// func adamAVX2(w, g, m, v []float64, c *[7]float64, decay float64)
//
// For len(w) &^ 3 elements, four at a time, with c = {b1, 1−b1, b2, 1−b2,
// eps, stepSize, sqrtBC2}:
//
//	m = b1·m + (1−b1)·g;   v = b2·v + ((1−b2)·g)·g
//	w = w·decay − (stepSize·m) / (√v / sqrtBC2 + eps)
//
// one IEEE operation per step, in the order Go evaluates adamGo's loop (no
// FMA), so the result equals adamGo's bit for bit.
TEXT ·adamAVX2(SB), NOSPLIT, $0-112
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), DX
	MOVQ v_base+72(FP), R8
	MOVQ c+96(FP), AX
	VBROADCASTSD 0(AX), Y8   // b1
	VBROADCASTSD 8(AX), Y9   // 1 − b1
	VBROADCASTSD 16(AX), Y10 // b2
	VBROADCASTSD 24(AX), Y11 // 1 − b2
	VBROADCASTSD 32(AX), Y12 // eps
	VBROADCASTSD 40(AX), Y13 // stepSize
	VBROADCASTSD 48(AX), Y14 // sqrtBC2
	VBROADCASTSD decay+104(FP), Y15
	SHRQ $2, CX
	JZ   done

loop:
	VMOVUPD (SI), Y0       // g
	VMULPD  (DX), Y8, Y1   // b1·m
	VMULPD  Y0, Y9, Y2     // (1−b1)·g
	VADDPD  Y2, Y1, Y1     // m
	VMOVUPD Y1, (DX)
	VMULPD  (R8), Y10, Y3  // b2·v
	VMULPD  Y0, Y11, Y4    // (1−b2)·g
	VMULPD  Y0, Y4, Y4     // ·g
	VADDPD  Y4, Y3, Y3     // v
	VMOVUPD Y3, (R8)
	VSQRTPD Y3, Y3
	VDIVPD  Y14, Y3, Y3    // √v / sqrtBC2
	VADDPD  Y12, Y3, Y3    // + eps
	VMULPD  Y1, Y13, Y1    // stepSize·m
	VDIVPD  Y3, Y1, Y1
	VMULPD  (DI), Y15, Y2  // w·decay
	VSUBPD  Y1, Y2, Y2
	VMOVUPD Y2, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	ADDQ    $32, DI
	DECQ    CX
	JNZ     loop
	VZEROUPPER

done:
	RET
