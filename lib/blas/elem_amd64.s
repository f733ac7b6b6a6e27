#include "textflag.h"

// Vectorised sigmoid, tanh and exp (elem.go describes the method). Every
// constant is a 4-lane vector so that it can be a memory operand.

#define CONST4(name, bits) \
	DATA name<>+0(SB)/8, $bits; \
	DATA name<>+8(SB)/8, $bits; \
	DATA name<>+16(SB)/8, $bits; \
	DATA name<>+24(SB)/8, $bits; \
	GLOBL name<>(SB), RODATA|NOPTR, $32

CONST4(one, 0x3ff0000000000000)
CONST4(sign, 0x8000000000000000)
CONST4(absmask, 0x7fffffffffffffff)
CONST4(shifter, 0x4338000000000000) // 1.5·2⁵²: adding it rounds to an integer
CONST4(clamp, 0xc087500000000000)   // −746: exp(−746) rounds to 0
CONST4(upper, 0x4086300000000000)   // 710: exp(710) overflows to +Inf
CONST4(log2e, 0x3ff71547652b82fe)
CONST4(ln2hi, 0x3fe62e42fee00000)   // ln 2 = ln2hi + ln2lo (fdlibm's split)
CONST4(ln2lo, 0x3dea39ef35793c76)
CONST4(half, 0x3fe0000000000000)
CONST4(bias, 0x00000000000003ff)    // 1023, the exponent bias, as an int64
CONST4(thresh, 0x3fe4000000000000)  // 0.625
CONST4(c2, 0x3fe0000000000000)      // 1/k! for k = 2 … 12
CONST4(c3, 0x3fc5555555555555)
CONST4(c4, 0x3fa5555555555555)
CONST4(c5, 0x3f81111111111111)
CONST4(c6, 0x3f56c16c16c16c17)
CONST4(c7, 0x3f2a01a01a01a01a)
CONST4(c8, 0x3efa01a01a01a01a)
CONST4(c9, 0x3ec71de3a556c734)
CONST4(c10, 0x3e927e4fb7789f5d)
CONST4(c11, 0x3e5ae64567f544e4)
CONST4(c12, 0x3e21eed8eff8d898)
CONST4(tp0, 0xbfeedc5baafd6f4b)     // Cephes tanh P and Q, as in Go's math.Tanh
CONST4(tp1, 0xc058d26a0e26682d)
CONST4(tp2, 0xc0993ac030580563)
CONST4(tq0, 0x405c33f28a581b86)
CONST4(tq1, 0x40a176fa0e5535fa)
CONST4(tq2, 0x40b2ec102442040c)

// EXP sets P to exp(Y) for 4 lanes of Y ≤ 0 (or NaN), using T, N and S as
// scratch and Y15 = clamp, Y14 = shifter; Y is clobbered (it ends as r).
//
//	y = max(y, −746)              (NaN stays NaN: y is the second source)
//	n = round(y·log2e)            (adding 1.5·2⁵² rounds to an integer)
//	r = y − n·ln2hi − n·ln2lo     |r| ≤ ln2/2
//	p = Σ_{k=0}^{12} r^k/k!       Horner
//	exp(y) = p · 2^n1 · 2^n2,     n1 = round(n/2), n2 = n − n1
//
// 2^n is built in the exponent field from the low bits of n + 1.5·2⁵².
// Splitting it in two keeps each factor normal down to n = −1077, so that
// results in the subnormal range are rounded once, by the last product.
#define EXP(Y, T, N, P, S) \
	VMAXPD      Y, Y15, Y;           \
	VMOVAPD     Y14, T;              \
	VFMADD231PD log2e<>(SB), Y, T;   \
	VSUBPD      Y14, T, N;           \
	VFNMADD231PD ln2hi<>(SB), N, Y;  \
	VFNMADD231PD ln2lo<>(SB), N, Y;  \
	VMOVUPD     c12<>(SB), P;        \
	VFMADD213PD c11<>(SB), Y, P;     \
	VFMADD213PD c10<>(SB), Y, P;     \
	VFMADD213PD c9<>(SB), Y, P;      \
	VFMADD213PD c8<>(SB), Y, P;      \
	VFMADD213PD c7<>(SB), Y, P;      \
	VFMADD213PD c6<>(SB), Y, P;      \
	VFMADD213PD c5<>(SB), Y, P;      \
	VFMADD213PD c4<>(SB), Y, P;      \
	VFMADD213PD c3<>(SB), Y, P;      \
	VFMADD213PD c2<>(SB), Y, P;      \
	VFMADD213PD one<>(SB), Y, P;     \
	VFMADD213PD one<>(SB), Y, P;     \
	VMOVAPD     Y14, T;              \
	VFMADD231PD half<>(SB), N, T;    \
	VSUBPD      Y14, T, S;           \
	VSUBPD      S, N, N;             \
	VADDPD      Y14, N, N;           \
	VPADDQ      bias<>(SB), T, T;    \
	VPSLLQ      $52, T, T;           \
	VPADDQ      bias<>(SB), N, N;    \
	VPSLLQ      $52, N, N;           \
	VMULPD      T, P, P;             \
	VMULPD      N, P, P

// func sigmoidAVX2(dst, x []float64)
//
// len(x) is a multiple of 4 and len(dst) ≥ len(x).
//
//	σ(x) = num / (1 + e),   e = exp(−|x|),   num = 1 if x ≥ 0, e if x < 0
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	SHRQ $2, CX
	JZ   sdone
	VMOVUPD clamp<>(SB), Y15
	VMOVUPD shifter<>(SB), Y14
	VMOVUPD sign<>(SB), Y13
	VMOVUPD one<>(SB), Y12

sloop:
	VMOVUPD (SI), Y6
	VORPD   Y13, Y6, Y0 // −|x|
	EXP(Y0, Y1, Y2, Y3, Y4)
	VADDPD    Y12, Y3, Y4     // 1 + e
	VBLENDVPD Y6, Y3, Y12, Y5 // x < 0 ? e : 1  (by the sign bit of x)
	VDIVPD    Y4, Y5, Y5
	VMOVUPD   Y5, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	DECQ      CX
	JNZ       sloop
	VZEROUPPER

sdone:
	RET

// func tanhAVX2(dst, x []float64)
//
// len(x) is a multiple of 4 and len(dst) ≥ len(x). With a = |x|, e =
// exp(−2a), s = x²:
//
//	a ≥ 0.625:  tanh(x) = ±(1 − e)/(1 + e)
//	a < 0.625:  tanh(x) = x + x·s·P(s)/Q(s)    (Cephes, as math.Tanh)
//
// Both are computed in every lane and blended before one division:
// num/den is (1 − e)/(1 + e) or x·s·P/Q, to which x is added in the small
// lanes; the sign of x is then ORed in (a no-op in the small lanes, where
// the result already has the sign of x).
TEXT ·tanhAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	SHRQ $2, CX
	JZ   tdone
	VMOVUPD clamp<>(SB), Y15
	VMOVUPD shifter<>(SB), Y14
	VMOVUPD sign<>(SB), Y13
	VMOVUPD one<>(SB), Y12

tloop:
	VMOVUPD (SI), Y6
	VANDPD  absmask<>(SB), Y6, Y7 // a = |x|
	VADDPD  Y7, Y7, Y0
	VORPD   Y13, Y0, Y0           // −2a
	EXP(Y0, Y1, Y2, Y3, Y4)       // Y3 = e
	VSUBPD  Y3, Y12, Y8           // big: num 1 − e
	VADDPD  Y3, Y12, Y9           //      den 1 + e
	VMULPD  Y6, Y6, Y10           // s = x²
	VMOVUPD tp0<>(SB), Y11
	VFMADD213PD tp1<>(SB), Y10, Y11
	VFMADD213PD tp2<>(SB), Y10, Y11 // P(s)
	VMULPD  Y10, Y6, Y4
	VMULPD  Y11, Y4, Y4           // small: num x·s·P
	VADDPD  tq0<>(SB), Y10, Y5
	VFMADD213PD tq1<>(SB), Y10, Y5
	VFMADD213PD tq2<>(SB), Y10, Y5  // small: den Q(s)
	VCMPPD  $0x1d, thresh<>(SB), Y7, Y0 // a ≥ 0.625 (GE_OQ: false for NaN)
	VBLENDVPD Y0, Y8, Y4, Y4
	VBLENDVPD Y0, Y9, Y5, Y5
	VANDNPD Y6, Y0, Y1            // x in the small lanes, 0 in the big
	VDIVPD  Y5, Y4, Y4
	VADDPD  Y1, Y4, Y4
	VANDPD  Y13, Y6, Y2           // sign of x
	VORPD   Y2, Y4, Y4
	VMOVUPD Y4, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     tloop
	VZEROUPPER

tdone:
	RET

// func expAVX2(dst, x []float64)
//
// len(x) is a multiple of 4 and len(dst) ≥ len(x). EXP serves the whole
// range once the argument is also clamped from above at 710: exp(710)
// overflows to +Inf as it should (n = 1024 is applied as 2⁵¹²·2⁵¹²), and
// every finite result below it is formed the same way as exp of a
// negative argument.
TEXT ·expAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	SHRQ $2, CX
	JZ   edone
	VMOVUPD clamp<>(SB), Y15
	VMOVUPD shifter<>(SB), Y14
	VMOVUPD upper<>(SB), Y13

eloop:
	VMOVUPD (SI), Y0
	VMINPD  Y0, Y13, Y0 // min(x, 710); NaN stays NaN (x is the second source)
	EXP(Y0, Y1, Y2, Y3, Y4)
	VMOVUPD Y3, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     eloop
	VZEROUPPER

edone:
	RET

// func clampAVX2(dst, x []float64, lo, hi float64)
//
// len(x) is a multiple of 4 and len(dst) ≥ len(x). dst = min(max(x, lo), hi),
// x as the second source of both, so that a NaN in x is kept.
TEXT ·clampAVX2(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	VBROADCASTSD lo+48(FP), Y14
	VBROADCASTSD hi+56(FP), Y15
	SHRQ         $2, CX
	JZ           cdone

cloop:
	VMOVUPD (SI), Y0
	VMAXPD  Y0, Y14, Y0
	VMINPD  Y0, Y15, Y0
	VMOVUPD Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     cloop
	VZEROUPPER

cdone:
	RET
