#include "textflag.h"

// The training kernels with AVX2 and FMA3: 16 float32s per loop iteration in
// two YMM registers, then at most one 8-wide, one 4-wide and three scalar
// steps for the tail (d = 100 is 6×16 + 4). Loads are unaligned (VMOVUPS):
// rows start wherever d·4 bytes put them. VZEROUPPER before returning avoids
// the AVX–SSE transition penalty in the Go code that follows.

// func dotAVX2(x, y *float32, n int) float32
TEXT ·dotAVX2(SB), NOSPLIT, $0-28
	MOVQ   x+0(FP), SI
	MOVQ   y+8(FP), DI
	MOVQ   n+16(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1

dot16:
	CMPQ        CX, $16
	JLT         dot8
	VMOVUPS     (SI), Y2
	VMOVUPS     32(SI), Y3
	VFMADD231PS (DI), Y2, Y0
	VFMADD231PS 32(DI), Y3, Y1
	ADDQ        $64, SI
	ADDQ        $64, DI
	SUBQ        $16, CX
	JMP         dot16

dot8:
	CMPQ        CX, $8
	JLT         dot4
	VMOVUPS     (SI), Y2
	VFMADD231PS (DI), Y2, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX

dot4:
	VADDPS       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	CMPQ         CX, $4
	JLT          dotsum
	VMOVUPS      (SI), X2
	VFMADD231PS  (DI), X2, X0
	ADDQ         $16, SI
	ADDQ         $16, DI
	SUBQ         $4, CX

dotsum:
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0

dot1:
	TESTQ       CX, CX
	JEQ         dotdone
	VMOVSS      (SI), X2
	VFMADD231SS (DI), X2, X0
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JMP         dot1

dotdone:
	VZEROUPPER
	MOVSS X0, ret+24(FP)
	RET

// func axpyAVX2(a float32, x, y *float32, n int)
// y += a·x
TEXT ·axpyAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS a+0(FP), Y0
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	MOVQ         n+24(FP), CX

axpy16:
	CMPQ        CX, $16
	JLT         axpy8
	VMOVUPS     (DI), Y1
	VMOVUPS     32(DI), Y2
	VFMADD231PS (SI), Y0, Y1
	VFMADD231PS 32(SI), Y0, Y2
	VMOVUPS     Y1, (DI)
	VMOVUPS     Y2, 32(DI)
	ADDQ        $64, SI
	ADDQ        $64, DI
	SUBQ        $16, CX
	JMP         axpy16

axpy8:
	CMPQ        CX, $8
	JLT         axpy4
	VMOVUPS     (DI), Y1
	VFMADD231PS (SI), Y0, Y1
	VMOVUPS     Y1, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX

axpy4:
	CMPQ        CX, $4
	JLT         axpy1
	VMOVUPS     (DI), X1
	VFMADD231PS (SI), X0, X1
	VMOVUPS     X1, (DI)
	ADDQ        $16, SI
	ADDQ        $16, DI
	SUBQ        $4, CX

axpy1:
	TESTQ       CX, CX
	JEQ         axpydone
	VMOVSS      (DI), X1
	VFMADD231SS (SI), X0, X1
	VMOVSS      X1, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JMP         axpy1

axpydone:
	VZEROUPPER
	RET

// func fusedAVX2(step float32, in, t, e *float32, n int)
// e += step·t (t before the update), then t += step·in
TEXT ·fusedAVX2(SB), NOSPLIT, $0-40
	VBROADCASTSS step+0(FP), Y0
	MOVQ         in+8(FP), SI
	MOVQ         t+16(FP), DI
	MOVQ         e+24(FP), DX
	MOVQ         n+32(FP), CX

fused16:
	CMPQ        CX, $16
	JLT         fused8
	VMOVUPS     (DI), Y1             // t
	VMOVUPS     32(DI), Y2
	VMOVUPS     (DX), Y3             // e
	VMOVUPS     32(DX), Y4
	VFMADD231PS Y1, Y0, Y3           // e += g·t
	VFMADD231PS Y2, Y0, Y4
	VFMADD231PS (SI), Y0, Y1         // t += g·in
	VFMADD231PS 32(SI), Y0, Y2
	VMOVUPS     Y3, (DX)
	VMOVUPS     Y4, 32(DX)
	VMOVUPS     Y1, (DI)
	VMOVUPS     Y2, 32(DI)
	ADDQ        $64, SI
	ADDQ        $64, DI
	ADDQ        $64, DX
	SUBQ        $16, CX
	JMP         fused16

fused8:
	CMPQ        CX, $8
	JLT         fused4
	VMOVUPS     (DI), Y1
	VMOVUPS     (DX), Y3
	VFMADD231PS Y1, Y0, Y3
	VFMADD231PS (SI), Y0, Y1
	VMOVUPS     Y3, (DX)
	VMOVUPS     Y1, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	SUBQ        $8, CX

fused4:
	CMPQ        CX, $4
	JLT         fused1
	VMOVUPS     (DI), X1
	VMOVUPS     (DX), X3
	VFMADD231PS X1, X0, X3
	VFMADD231PS (SI), X0, X1
	VMOVUPS     X3, (DX)
	VMOVUPS     X1, (DI)
	ADDQ        $16, SI
	ADDQ        $16, DI
	ADDQ        $16, DX
	SUBQ        $4, CX

fused1:
	TESTQ       CX, CX
	JEQ         fuseddone
	VMOVSS      (DI), X1
	VMOVSS      (DX), X3
	VFMADD231SS X1, X0, X3
	VFMADD231SS (SI), X0, X1
	VMOVSS      X3, (DX)
	VMOVSS      X1, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	ADDQ        $4, DX
	DECQ        CX
	JMP         fused1

fuseddone:
	VZEROUPPER
	RET
