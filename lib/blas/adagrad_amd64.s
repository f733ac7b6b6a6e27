#include "textflag.h"

// func adagradAVX2(w, g, s []float64, lr, eps float64)
//
// For len(w) &^ 3 elements, four at a time:
//
//	s += g·g;   w −= (lr·g) / √(s + eps)
//
// one IEEE operation per step, in the order Go evaluates the scalar loop
// (no FMA), so the result equals adagradGo's bit for bit.
TEXT ·adagradAVX2(SB), NOSPLIT, $0-88
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ s_base+48(FP), DX
	VBROADCASTSD lr+72(FP), Y14
	VBROADCASTSD eps+80(FP), Y15
	SHRQ $2, CX
	JZ   done

loop:
	VMOVUPD (SI), Y0       // g
	VMOVUPD (DX), Y1       // s
	VMULPD  Y0, Y0, Y2
	VADDPD  Y2, Y1, Y1     // s + g·g
	VMOVUPD Y1, (DX)
	VADDPD  Y15, Y1, Y1    // s + eps
	VSQRTPD Y1, Y1
	VMULPD  Y0, Y14, Y2    // lr·g
	VDIVPD  Y1, Y2, Y2
	VMOVUPD (DI), Y3
	VSUBPD  Y2, Y3, Y3
	VMOVUPD Y3, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	DECQ    CX
	JNZ     loop
	VZEROUPPER

done:
	RET
