package checkpoint

import (
	"encoding/binary"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// dtypeSizes maps each safetensors element type this package knows to its
// size in bytes. The names and sizes are those of Hugging Face's Dtype enum.
// A file may hold any of them; the typed accessors (Float64s, Int8s,
// Int32s) convert only some.
var dtypeSizes = map[string]int{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// knownDTypes lists dtypeSizes' keys in a fixed order, for error messages.
const knownDTypes = "BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, I64, U64, F64"

// Tensor is one named array of a checkpoint: its element type, its shape and
// its elements as raw little-endian bytes in row-major (C) order, the last
// index varying fastest:
//
//	len(Data) = Shape[0] × Shape[1] × … × size(DType)
//	element (i, j) of a rank-2 tensor starts at byte (i·Shape[1] + j) × size(DType)
//
// A rank-0 tensor (empty Shape) is a scalar and holds one element. A tensor
// with a zero dimension holds no bytes at all.
//
// DType is one of the safetensors type names: "F64", "F32", "F16", "BF16",
// "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL", "F8_E5M2" or
// "F8_E4M3". The constructors below build well-formed tensors; a Tensor
// built by hand is checked when it is encoded.
type Tensor struct {
	Name  string
	DType string
	Shape []int
	Data  []byte
}

// FromDense returns m as an F64 tensor of shape [r, c], r×c being m's
// dimensions. The tensor holds a copy of m's elements, row after row, so
// later changes to m do not change it. m may be a view (Slice) of a larger
// matrix.
func FromDense(name string, m *mat.Dense) Tensor {
	r, c := m.Dims()
	data := make([]byte, 8*r*c)
	for i := 0; i < r; i++ {
		row := m.RawRowView(i) // 1×c, skipping the stride gap of a view
		for j, v := range row {
			binary.LittleEndian.PutUint64(data[8*(i*c+j):], math.Float64bits(v))
		}
	}
	return Tensor{Name: name, DType: "F64", Shape: []int{r, c}, Data: data}
}

// FromFloat64s returns v as an F64 tensor of the given shape. A nil or empty
// shape makes a scalar, which needs exactly one value. It panics when the
// number of values is not the product of shape: that is a programming error.
// The tensor holds copies of shape and v.
func FromFloat64s(name string, shape []int, v []float64) Tensor {
	data := make([]byte, 8*mustElements("FromFloat64s", shape, len(v)))
	for i, x := range v {
		binary.LittleEndian.PutUint64(data[8*i:], math.Float64bits(x))
	}
	return Tensor{Name: name, DType: "F64", Shape: cloneShape(shape), Data: data}
}

// FromFloat32s returns v as an F32 tensor of the given shape, with the
// same rules as FromFloat64s.
func FromFloat32s(name string, shape []int, v []float32) Tensor {
	data := make([]byte, 4*mustElements("FromFloat32s", shape, len(v)))
	for i, x := range v {
		binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(x))
	}
	return Tensor{Name: name, DType: "F32", Shape: cloneShape(shape), Data: data}
}

// FromInt8s returns v as an I8 tensor of the given shape (int8 weights of a
// quantized layer, say), with the same rules as FromFloat64s.
func FromInt8s(name string, shape []int, v []int8) Tensor {
	data := make([]byte, mustElements("FromInt8s", shape, len(v)))
	for i, x := range v {
		data[i] = byte(x) // two's complement, as numpy's int8
	}
	return Tensor{Name: name, DType: "I8", Shape: cloneShape(shape), Data: data}
}

// FromInt32s returns v as an I32 tensor of the given shape (token ids,
// say), with the same rules as FromFloat64s.
func FromInt32s(name string, shape []int, v []int32) Tensor {
	data := make([]byte, 4*mustElements("FromInt32s", shape, len(v)))
	for i, x := range v {
		binary.LittleEndian.PutUint32(data[4*i:], uint32(x))
	}
	return Tensor{Name: name, DType: "I32", Shape: cloneShape(shape), Data: data}
}

// Float64s returns the elements of t as float64s in row-major order. It
// accepts F64 and converts the narrower float types F32, F16 (IEEE half
// precision) and BF16 (bfloat16) exactly: every value of those types is a
// float64. Any other dtype is an error, as is Data whose length does not
// match Shape.
func (t Tensor) Float64s() ([]float64, error) {
	n, err := t.check()
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	v := make([]float64, n)
	d := t.Data
	switch t.DType {
	case "F64":
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(d[8*i:]))
		}
	case "F32":
		for i := range v {
			v[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(d[4*i:])))
		}
	case "F16":
		for i := range v {
			v[i] = halfToFloat64(binary.LittleEndian.Uint16(d[2*i:]))
		}
	case "BF16":
		// bfloat16 is the top half of a float32: same sign and 8-bit
		// exponent, mantissa cut to 7 bits.
		for i := range v {
			v[i] = float64(math.Float32frombits(uint32(binary.LittleEndian.Uint16(d[2*i:])) << 16))
		}
	default:
		return nil, fmt.Errorf("checkpoint: tensor %q is %s; Float64s wants F64, F32, F16 or BF16", t.Name, t.DType)
	}
	return v, nil
}

// halfToFloat64 converts an IEEE 754 binary16 value, laid out as
//
//	bit 15: sign s   bits 14–10: exponent e (bias 15)   bits 9–0: fraction f
//
// to float64:
//
//	e = 0:       (−1)^s × f × 2^−24               (zero and subnormals)
//	0 < e < 31:  (−1)^s × (1024 + f) × 2^(e−25)   (= 1.f × 2^(e−15))
//	e = 31:      ±Inf when f = 0, NaN otherwise
func halfToFloat64(h uint16) float64 {
	e := int(h>>10) & 0x1f
	f := float64(h & 0x3ff)
	var v float64
	switch e {
	case 0:
		v = math.Ldexp(f, -24)
	case 31:
		if f != 0 {
			return math.NaN()
		}
		v = math.Inf(1)
	default:
		v = math.Ldexp(1024+f, e-25)
	}
	if h&0x8000 != 0 {
		v = -v
	}
	return v
}

// Int8s returns the elements of an I8 tensor in row-major order.
func (t Tensor) Int8s() ([]int8, error) {
	n, err := t.check()
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if t.DType != "I8" {
		return nil, fmt.Errorf("checkpoint: tensor %q is %s; Int8s wants I8", t.Name, t.DType)
	}
	v := make([]int8, n)
	for i := range v {
		v[i] = int8(t.Data[i])
	}
	return v, nil
}

// Int32s returns the elements of an I32 tensor in row-major order.
func (t Tensor) Int32s() ([]int32, error) {
	n, err := t.check()
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if t.DType != "I32" {
		return nil, fmt.Errorf("checkpoint: tensor %q is %s; Int32s wants I32", t.Name, t.DType)
	}
	v := make([]int32, n)
	for i := range v {
		v[i] = int32(binary.LittleEndian.Uint32(t.Data[4*i:]))
	}
	return v, nil
}

// Dense returns t as a new matrix, converting the elements as Float64s does.
// The matrix shape follows the rank:
//
//	rank 2, shape [r, c]:  r×c
//	rank 1, shape [n]:     1×n  (a row vector, as a bias is stored here)
//	rank 0, shape []:      1×1
//
// Higher ranks are an error, and so is a tensor with no elements, since a
// mat.Dense cannot be empty.
func (t Tensor) Dense() (*mat.Dense, error) {
	v, err := t.Float64s() // checks DType and that Shape matches Data
	if err != nil {
		return nil, err
	}
	r, c := 1, 1
	switch len(t.Shape) {
	case 0:
	case 1:
		c = t.Shape[0]
	case 2:
		r, c = t.Shape[0], t.Shape[1]
	default:
		return nil, fmt.Errorf("checkpoint: tensor %q has shape %v of rank %d; Dense wants rank 0, 1 or 2", t.Name, t.Shape, len(t.Shape))
	}
	if len(v) == 0 {
		return nil, fmt.Errorf("checkpoint: tensor %q has shape %v and no elements; Dense wants at least one", t.Name, t.Shape)
	}
	return mat.NewDense(r, c, v), nil
}

// check returns the number of elements of t after checking that its DType is
// known, that its Shape is valid and that Data holds exactly the bytes the
// Shape calls for. Its errors name the tensor but carry no package prefix.
func (t Tensor) check() (int, error) {
	size, ok := dtypeSizes[t.DType]
	if !ok {
		return 0, fmt.Errorf("tensor %q: dtype %q is unknown; want one of %s", t.Name, t.DType, knownDTypes)
	}
	n, err := elements(t.Shape)
	if err != nil {
		return 0, fmt.Errorf("tensor %q: %w", t.Name, err)
	}
	nbytes, ok := mulInt(n, size)
	if !ok {
		return 0, fmt.Errorf("tensor %q: shape %v of %s overflows the byte count", t.Name, t.Shape, t.DType)
	}
	if len(t.Data) != nbytes {
		return 0, fmt.Errorf("tensor %q: shape %v of %s needs %d bytes, Data holds %d", t.Name, t.Shape, t.DType, nbytes, len(t.Data))
	}
	return n, nil
}

// elements returns the number of elements of a tensor of the given shape,
// the product of its dimensions (1 for the empty shape of a scalar). It is
// an error for a dimension to be negative or for the product to overflow an
// int. A zero dimension makes the product zero whatever the others are.
func elements(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("shape %v has negative dimension %d", shape, d)
		}
	}
	for _, d := range shape {
		if d == 0 {
			return 0, nil
		}
	}
	for _, d := range shape {
		var ok bool
		if n, ok = mulInt(n, d); !ok {
			return 0, fmt.Errorf("shape %v has more elements than an int can count", shape)
		}
	}
	return n, nil
}

// mulInt returns a×b for non-negative a and b, and false when it overflows.
func mulInt(a, b int) (int, bool) {
	if a != 0 && b > math.MaxInt/a {
		return 0, false
	}
	return a * b, true
}

// mustElements returns the number of elements of shape, panicking (as a
// constructor called with inconsistent arguments should) when the shape is
// invalid or does not hold nvalues elements.
func mustElements(fn string, shape []int, nvalues int) int {
	n, err := elements(shape)
	if err != nil {
		panic(fmt.Sprintf("checkpoint: %s: %v", fn, err))
	}
	if n != nvalues {
		panic(fmt.Sprintf("checkpoint: %s: shape %v holds %d elements, got %d values", fn, shape, n, nvalues))
	}
	return n
}

// cloneShape returns a copy of shape, so that a Tensor never aliases its
// caller's slice.
func cloneShape(shape []int) []int {
	return append([]int{}, shape...)
}
