#include "textflag.h"

// The vector kernels of Ddot, Daxpy, Dscal, Dgemv and Dger (vec.go), for
// unit strides and a length that is a multiple of 4; the callers finish the
// last n mod 4 elements in Go.

// func dotAVX2(x, y []float64) float64
//
// Σ x[i]·y[i] over len(x) &^ 3 elements, in four 4-wide FMA accumulators
// (16 elements a step), summed at the end.
TEXT ·dotAVX2(SB), NOSPLIT, $0-56
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	MOVQ   CX, BX
	SHRQ   $4, BX
	JZ     dot4

dot16:
	VMOVUPD     (SI), Y4
	VMOVUPD     32(SI), Y5
	VMOVUPD     64(SI), Y6
	VMOVUPD     96(SI), Y7
	VFMADD231PD (DI), Y4, Y0
	VFMADD231PD 32(DI), Y5, Y1
	VFMADD231PD 64(DI), Y6, Y2
	VFMADD231PD 96(DI), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        BX
	JNZ         dot16

dot4:
	ANDQ $15, CX
	SHRQ $2, CX
	JZ   dotsum

dot4loop:
	VMOVUPD     (SI), Y4
	VFMADD231PD (DI), Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         dot4loop

dotsum:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	VZEROUPPER
	MOVSD        X0, ret+48(FP)
	RET

// func dot4AVX2(a []float64, lda int, x []float64, r *[4]float64)
//
// r[k] = Σ_j a[k·lda+j]·x[j] for the four rows k = 0…3 of a, over the
// len(x) &^ 3 first columns: the row dots of Dgemv, four rows per pass so
// that each load of x serves four rows. Two accumulators a row (8 columns
// a step) keep eight FMAs in flight.
TEXT ·dot4AVX2(SB), NOSPLIT, $0-64
	MOVQ   a_base+0(FP), SI
	MOVQ   lda+24(FP), DX
	SHLQ   $3, DX            // row stride in bytes
	MOVQ   x_base+32(FP), DI
	MOVQ   x_len+40(FP), CX
	MOVQ   r+56(FP), AX
	LEAQ   (SI)(DX*1), R8    // row 1
	LEAQ   (SI)(DX*2), R9    // row 2
	LEAQ   (R8)(DX*2), R10   // row 3
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ   BX, BX            // byte offset into the rows and x
	MOVQ   CX, R11
	SHRQ   $3, R11
	JZ     row4

row8:
	VMOVUPD     (DI)(BX*1), Y8
	VMOVUPD     32(DI)(BX*1), Y9
	VFMADD231PD (SI)(BX*1), Y8, Y0
	VFMADD231PD 32(SI)(BX*1), Y9, Y4
	VFMADD231PD (R8)(BX*1), Y8, Y1
	VFMADD231PD 32(R8)(BX*1), Y9, Y5
	VFMADD231PD (R9)(BX*1), Y8, Y2
	VFMADD231PD 32(R9)(BX*1), Y9, Y6
	VFMADD231PD (R10)(BX*1), Y8, Y3
	VFMADD231PD 32(R10)(BX*1), Y9, Y7
	ADDQ        $64, BX
	DECQ        R11
	JNZ         row8

row4:
	TESTQ $4, CX
	JZ    rowsum
	VMOVUPD     (DI)(BX*1), Y8
	VFMADD231PD (SI)(BX*1), Y8, Y0
	VFMADD231PD (R8)(BX*1), Y8, Y1
	VFMADD231PD (R9)(BX*1), Y8, Y2
	VFMADD231PD (R10)(BX*1), Y8, Y3

rowsum:
	VADDPD       Y4, Y0, Y0
	VADDPD       Y5, Y1, Y1
	VADDPD       Y6, Y2, Y2
	VADDPD       Y7, Y3, Y3
	VHADDPD      Y1, Y0, Y0  // [r0 pairs, r1 pairs] per 128-bit lane
	VHADDPD      Y3, Y2, Y2
	VPERM2F128   $0x20, Y2, Y0, Y8
	VPERM2F128   $0x31, Y2, Y0, Y9
	VADDPD       Y9, Y8, Y0  // r0 r1 r2 r3
	VMOVUPD      Y0, (AX)
	VZEROUPPER
	RET

// func axpyAVX2(alpha float64, x, y []float64)
//
// y[i] += alpha·x[i] over len(x) &^ 3 elements, a multiply then an add as
// gonum's AxpyUnitary does (no FMA), so the result is gonum's bit for bit.
TEXT ·axpyAVX2(SB), NOSPLIT, $0-56
	VBROADCASTSD alpha+0(FP), Y15
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	MOVQ         CX, BX
	SHRQ         $4, BX
	JZ           axpy4

axpy16:
	VMULPD  (SI), Y15, Y0
	VMULPD  32(SI), Y15, Y1
	VMULPD  64(SI), Y15, Y2
	VMULPD  96(SI), Y15, Y3
	VADDPD  (DI), Y0, Y0
	VADDPD  32(DI), Y1, Y1
	VADDPD  64(DI), Y2, Y2
	VADDPD  96(DI), Y3, Y3
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	DECQ    BX
	JNZ     axpy16

axpy4:
	ANDQ $15, CX
	SHRQ $2, CX
	JZ   axpydone

axpy4loop:
	VMULPD  (SI), Y15, Y0
	VADDPD  (DI), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     axpy4loop

axpydone:
	VZEROUPPER
	RET

// func scalAVX2(alpha float64, x []float64)
//
// x[i] *= alpha over len(x) &^ 3 elements.
TEXT ·scalAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSD alpha+0(FP), Y15
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         CX, BX
	SHRQ         $4, BX
	JZ           scal4

scal16:
	VMULPD  (SI), Y15, Y0
	VMULPD  32(SI), Y15, Y1
	VMULPD  64(SI), Y15, Y2
	VMULPD  96(SI), Y15, Y3
	VMOVUPD Y0, (SI)
	VMOVUPD Y1, 32(SI)
	VMOVUPD Y2, 64(SI)
	VMOVUPD Y3, 96(SI)
	ADDQ    $128, SI
	DECQ    BX
	JNZ     scal16

scal4:
	ANDQ $15, CX
	SHRQ $2, CX
	JZ   scaldone

scal4loop:
	VMULPD  (SI), Y15, Y0
	VMOVUPD Y0, (SI)
	ADDQ    $32, SI
	DECQ    CX
	JNZ     scal4loop

scaldone:
	VZEROUPPER
	RET
