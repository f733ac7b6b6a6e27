package blas_test

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/blas"
	"gonum.org/v1/gonum/mat"
)

// A quantized x·W: quantize the activations by row and the weights by
// column, multiply in int8, scale back to float64. Each value is off by at
// most half a quantization step, which shows in the second decimal.
func ExampleInt8Gemm() {
	x := mat.NewDense(2, 3, []float64{
		1, -2, 0.5,
		0, 4, -1,
	})
	w := mat.NewDense(3, 2, []float64{
		0.5, -1,
		1, 0.25,
		-0.5, 2,
	})
	qx, sx := make([]int8, 2*3), make([]float64, 2)
	qw, sw := make([]int8, 3*2), make([]float64, 2)
	blas.QuantizeRows(qx, sx, x)
	blas.QuantizeCols(qw, sw, w)
	c := make([]int32, 2*2)
	blas.Int8Gemm(c, qx, 2, blas.NewInt8B(qw, 3, 2))
	y := mat.NewDense(2, 2, nil)
	blas.DequantizeTo(y, c, sx, sw)

	var exact mat.Dense
	exact.Mul(x, w)
	fmt.Printf("int8:    %.2f\n", mat.Formatted(y, mat.Squeeze(), mat.Prefix("         ")))
	fmt.Printf("float64: %.2f\n", mat.Formatted(&exact, mat.Squeeze(), mat.Prefix("         ")))
	// Output:
	// int8:    ⎡-1.75  -0.51⎤
	//          ⎣ 4.51  -1.01⎦
	// float64: ⎡-1.75  -0.50⎤
	//          ⎣ 4.50  -1.00⎦
}
