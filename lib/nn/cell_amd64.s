#include "textflag.h"

// func lstmCellGradAVX2(gates, dgates, cp, tc, c, dh, dc *float64, hid, n int, clip float64)
//
// lstmCellGradGo on elements 0 … n−1 (n a multiple of 4), four at a time,
// with the same IEEE operations in the same order (a multiply, then an add
// or a multiply: no FMA), so the result is the Go loop's bit for bit.
// gates and dgates are rows of gates [i f g o] and of their gradients, hid
// elements a block; the cell clip applies when clip > 0.
TEXT ·lstmCellGradAVX2(SB), NOSPLIT, $0-80
	MOVQ gates+0(FP), SI
	MOVQ dgates+8(FP), DI
	MOVQ cp+16(FP), R8
	MOVQ tc+24(FP), R9
	MOVQ c+32(FP), R10
	MOVQ dh+40(FP), R11
	MOVQ dc+48(FP), R12
	MOVQ hid+56(FP), DX
	SHLQ $3, DX          // a gate block in bytes
	MOVQ n+64(FP), CX
	SHRQ $2, CX
	JZ   done
	MOVQ $0x3ff0000000000000, AX
	MOVQ AX, X13
	VBROADCASTSD X13, Y13 // 1
	VBROADCASTSD clip+72(FP), Y15
	VXORPD       Y14, Y14, Y14
	VSUBPD       Y15, Y14, Y14 // −clip
	VXORPD       Y12, Y12, Y12
	VCMPPD       $0x1e, Y12, Y15, Y12 // all ones where clip > 0 (_CMP_GT_OQ)
	LEAQ         (DX)(DX*2), BX       // 3 blocks

loop:
	VMOVUPD (R11), Y0          // dh
	VMOVUPD (SI)(DX*2), Y3     // g gate
	VMOVUPD (SI)(BX*1), Y4     // o gate
	VMOVUPD (R9), Y5           // tanh(c)

	// dc = dc_t + dh·o·(1 − tc·tc)
	VMULPD  Y5, Y5, Y6
	VSUBPD  Y6, Y13, Y6        // 1 − tc²
	VMULPD  Y4, Y0, Y7         // dh·o
	VMULPD  Y6, Y7, Y7
	VADDPD  (R12), Y7, Y7      // dc

	// dc = 0 where clip > 0 and (c ≥ clip or c ≤ −clip)
	VMOVUPD (R10), Y8
	VCMPPD  $0x0d, Y15, Y8, Y9 // c ≥ clip (_CMP_GE_OS)
	VCMPPD  $0x02, Y14, Y8, Y10 // c ≤ −clip (_CMP_LE_OS)
	VORPD   Y10, Y9, Y9
	VANDPD  Y12, Y9, Y9
	VANDNPD Y7, Y9, Y7

	// do = dh·tc·o·(1 − o)
	VMULPD  Y5, Y0, Y8
	VMULPD  Y4, Y8, Y8
	VSUBPD  Y4, Y13, Y9
	VMULPD  Y9, Y8, Y8
	VMOVUPD Y8, (DI)(BX*1)

	VMOVUPD (SI), Y1           // i gate
	VMOVUPD (SI)(DX*1), Y2     // f gate

	// di = dc·g·i·(1 − i)
	VMULPD  Y3, Y7, Y8
	VMULPD  Y1, Y8, Y8
	VSUBPD  Y1, Y13, Y9
	VMULPD  Y9, Y8, Y8
	VMOVUPD Y8, (DI)

	// df = dc·c_{t−1}·f·(1 − f)
	VMULPD  (R8), Y7, Y8
	VMULPD  Y2, Y8, Y8
	VSUBPD  Y2, Y13, Y9
	VMULPD  Y9, Y8, Y8
	VMOVUPD Y8, (DI)(DX*1)

	// dg = dc·i·(1 − g·g)
	VMULPD  Y1, Y7, Y8
	VMULPD  Y3, Y3, Y9
	VSUBPD  Y9, Y13, Y9
	VMULPD  Y9, Y8, Y8
	VMOVUPD Y8, (DI)(DX*2)

	// dc_{t−1} = dc·f
	VMULPD  Y2, Y7, Y7
	VMOVUPD Y7, (R12)

	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	RET
