package checkpoint

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestFromDenseLayout(t *testing.T) {
	// A view of a wider matrix has a stride gap; FromDense must skip it.
	big := mat.NewDense(2, 4, []float64{
		1, 2, 3, 99,
		4, 5, 6, 99,
	})
	m := big.Slice(0, 2, 0, 3).(*mat.Dense) // 2×3 view, stride 4
	tn := FromDense("W", m)
	if tn.DType != "F64" || !slices.Equal(tn.Shape, []int{2, 3}) || len(tn.Data) != 48 {
		t.Fatalf("FromDense = %s %v with %d bytes, want F64 [2 3] with 48", tn.DType, tn.Shape, len(tn.Data))
	}
	v, err := tn.Float64s()
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{1, 2, 3, 4, 5, 6}; !slices.Equal(v, want) {
		t.Errorf("Float64s = %v, want %v (row-major)", v, want)
	}
	d, err := tn.Dense()
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(d, m) {
		t.Errorf("Dense = %v, want %v", mat.Formatted(d), mat.Formatted(m))
	}
	m.Set(0, 0, -1)
	if v, _ := tn.Float64s(); v[0] != 1 {
		t.Errorf("changing m changed the tensor: FromDense must copy")
	}
}

func TestConstructorsAndAccessors(t *testing.T) {
	f64 := []float64{0, -1.5, math.Inf(1), math.SmallestNonzeroFloat64, math.MaxFloat64, 1.0 / 3}
	f32 := []float32{0, -1.5, float32(math.Inf(-1)), math.SmallestNonzeroFloat32, math.MaxFloat32, 1.0 / 3}
	i8 := []int8{-128, -1, 0, 1, 127, 42}
	i32 := []int32{math.MinInt32, -1, 0, 1, math.MaxInt32, 7}

	t.Run("F64", func(t *testing.T) {
		got, err := FromFloat64s("x", []int{2, 3}, f64).Float64s()
		if err != nil || !slices.Equal(got, f64) {
			t.Errorf("Float64s = %v, %v; want %v", got, err, f64)
		}
	})
	t.Run("F32", func(t *testing.T) {
		tn := FromFloat32s("x", []int{6}, f32)
		if tn.DType != "F32" || len(tn.Data) != 24 {
			t.Fatalf("FromFloat32s = %s with %d bytes, want F32 with 24", tn.DType, len(tn.Data))
		}
		got, err := tn.Float64s()
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range f32 {
			if got[i] != float64(v) {
				t.Errorf("Float64s[%d] = %v, want %v (exact widening)", i, got[i], float64(v))
			}
		}
	})
	t.Run("I8", func(t *testing.T) {
		tn := FromInt8s("q", []int{3, 2}, i8)
		if tn.Data[0] != 0x80 || tn.Data[1] != 0xff {
			t.Errorf("I8 bytes start % x, want 80 ff (two's complement)", tn.Data[:2])
		}
		got, err := tn.Int8s()
		if err != nil || !slices.Equal(got, i8) {
			t.Errorf("Int8s = %v, %v; want %v", got, err, i8)
		}
	})
	t.Run("I32", func(t *testing.T) {
		got, err := FromInt32s("ids", []int{1, 6}, i32).Int32s()
		if err != nil || !slices.Equal(got, i32) {
			t.Errorf("Int32s = %v, %v; want %v", got, err, i32)
		}
	})
	t.Run("scalar", func(t *testing.T) {
		tn := FromFloat64s("step", nil, []float64{1000})
		if len(tn.Shape) != 0 || len(tn.Data) != 8 {
			t.Fatalf("scalar has shape %v and %d bytes, want [] and 8", tn.Shape, len(tn.Data))
		}
		d, err := tn.Dense()
		if err != nil || d.At(0, 0) != 1000 {
			t.Errorf("Dense of a scalar = %v, %v; want 1×1 [1000]", d, err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		tn := FromInt32s("none", []int{0, 5}, nil)
		if len(tn.Data) != 0 {
			t.Errorf("shape [0 5] has %d bytes, want 0", len(tn.Data))
		}
		if v, err := tn.Int32s(); err != nil || len(v) != 0 {
			t.Errorf("Int32s = %v, %v; want no elements", v, err)
		}
	})
}

// TestHalfFloats pins F16 and BF16 decoding to bit patterns whose values are
// fixed by IEEE 754 binary16 and by bfloat16 (a float32 cut to 16 bits).
func TestHalfFloats(t *testing.T) {
	for _, tc := range []struct {
		dtype string
		bits  uint16
		want  float64
	}{
		{"F16", 0x0000, 0},
		{"F16", 0x3c00, 1},                      // e=15, f=0
		{"F16", 0xc000, -2},                     // sign, e=16
		{"F16", 0x3555, 0.333251953125},         // nearest half to 1/3: 1365/4096
		{"F16", 0x7bff, 65504},                  // largest finite half
		{"F16", 0x0400, math.Ldexp(1, -14)},     // smallest normal
		{"F16", 0x0001, math.Ldexp(1, -24)},     // smallest subnormal
		{"F16", 0x83ff, -math.Ldexp(1023, -24)}, // largest negative subnormal
		{"F16", 0x7c00, math.Inf(1)},
		{"F16", 0xfc00, math.Inf(-1)},
		{"F16", 0x7e00, math.NaN()},
		{"BF16", 0x3f80, 1},           // float32 0x3f800000
		{"BF16", 0xc0a0, -5},          // float32 0xc0a00000
		{"BF16", 0x3eab, 0.333984375}, // float32 0x3eab0000 = 1/3 truncated
		{"BF16", 0x7f80, math.Inf(1)},
	} {
		tn := Tensor{Name: "h", DType: tc.dtype, Shape: []int{1}, Data: []byte{byte(tc.bits), byte(tc.bits >> 8)}}
		got, err := tn.Float64s()
		if err != nil {
			t.Errorf("%s %#04x: %v", tc.dtype, tc.bits, err)
			continue
		}
		if got[0] != tc.want && !(math.IsNaN(got[0]) && math.IsNaN(tc.want)) {
			t.Errorf("%s %#04x = %v, want %v", tc.dtype, tc.bits, got[0], tc.want)
		}
	}
}

func TestAccessorErrors(t *testing.T) {
	f64 := FromFloat64s("w", []int{2}, []float64{1, 2})
	for _, tc := range []struct {
		name string
		call func() error
		want string
	}{
		{"Int8s of F64", func() error { _, err := f64.Int8s(); return err }, `tensor "w" is F64; Int8s wants I8`},
		{"Int32s of F64", func() error { _, err := f64.Int32s(); return err }, `tensor "w" is F64; Int32s wants I32`},
		{"Float64s of I8", func() error {
			_, err := FromInt8s("q", []int{1}, []int8{1}).Float64s()
			return err
		}, `tensor "q" is I8; Float64s wants F64, F32, F16 or BF16`},
		{"short Data", func() error {
			_, err := Tensor{Name: "w", DType: "F64", Shape: []int{2}, Data: make([]byte, 15)}.Float64s()
			return err
		}, `shape [2] of F64 needs 16 bytes, Data holds 15`},
		{"unknown dtype", func() error {
			_, err := Tensor{Name: "w", DType: "F128", Shape: []int{1}}.Float64s()
			return err
		}, `dtype "F128" is unknown`},
		{"negative shape", func() error {
			_, err := Tensor{Name: "w", DType: "F64", Shape: []int{-1}}.Float64s()
			return err
		}, `negative dimension -1`},
		{"Dense of rank 3", func() error {
			_, err := FromFloat64s("w", []int{1, 1, 2}, []float64{1, 2}).Dense()
			return err
		}, `rank 3; Dense wants rank 0, 1 or 2`},
		{"Dense of empty", func() error {
			_, err := FromFloat64s("w", []int{0, 3}, nil).Dense()
			return err
		}, `no elements`},
	} {
		err := tc.call()
		if err == nil || !strings.HasPrefix(err.Error(), "checkpoint: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestConstructorPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func()
	}{
		{"too few values", func() { FromFloat64s("x", []int{2, 2}, []float64{1}) }},
		{"scalar needs one value", func() { FromInt8s("x", nil, nil) }},
		{"negative dimension", func() { FromInt32s("x", []int{-1}, nil) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.call()
		}()
	}
}

func TestElementsOverflow(t *testing.T) {
	for _, tc := range []struct {
		shape []int
		want  int
		ok    bool
	}{
		{nil, 1, true},
		{[]int{2, 3, 4}, 24, true},
		{[]int{0, math.MaxInt, math.MaxInt}, 0, true}, // a zero dimension wins
		{[]int{math.MaxInt, math.MaxInt, 0}, 0, true},
		{[]int{math.MaxInt/2 + 1, 2}, 0, false}, // just past MaxInt
		{[]int{3, -2}, 0, false},
	} {
		n, err := elements(tc.shape)
		if (err == nil) != tc.ok || n != tc.want {
			t.Errorf("elements(%v) = %d, %v; want %d, ok=%v", tc.shape, n, err, tc.want, tc.ok)
		}
	}
}
