package quant_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/quant"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"gonum.org/v1/gonum/mat"
)

// A weight matrix quantized per column: each column's largest weight
// becomes ±127, the rest are rounded on that column's grid.
func ExampleNewMatrix() {
	w := mat.NewDense(2, 2, []float64{
		0.5, -2,
		-0.25, 1,
	})
	q := quant.NewMatrix(w)
	fmt.Println("scales:", q.Scales)
	fmt.Println("int8:  ", q.Q)
	fmt.Printf("Ŵ:      %.4f\n", mat.Formatted(q.Dequantize(), mat.Squeeze(), mat.Prefix("        ")))
	// Output:
	// scales: [0.5 2]
	// int8:   [127 -127 -64 64]
	// Ŵ:      ⎡ 0.5000  -2.0000⎤
	//         ⎣-0.2520   1.0079⎦
}

// An int8 Linear next to its float twin: the outputs agree to about 1 %
// of their scale.
func ExampleLinear_Forward() {
	rng := rand.New(rand.NewPCG(1, 1))
	l := nn.NewLinear(rng, 4, 3)
	x := mat.NewDense(2, 4, []float64{
		1, -0.5, 0.25, 2,
		0, 3, -1, 0.5,
	})
	q := quant.NewLinear(l)
	fmt.Printf("int8:    %.2f\n", mat.Formatted(q.Forward(x), mat.Squeeze(), mat.Prefix("         ")))
	fmt.Printf("float64: %.2f\n", mat.Formatted(l.Forward(x), mat.Squeeze(), mat.Prefix("         ")))
	// Output:
	// int8:    ⎡-0.76  -0.06  0.22⎤
	//          ⎣ 1.19  -0.89  2.35⎦
	// float64: ⎡-0.75  -0.07  0.21⎤
	//          ⎣ 1.19  -0.89  2.35⎦
}

// Quantize a seq2seq model and decode with both: the int8 copy has the
// same API, and its log-probabilities differ by a few thousandths.
func ExampleQuantize() {
	m, err := seq2seq.NewModel(rand.New(rand.NewPCG(2, 2)), seq2seq.Config{SrcVocab: 10, TgtVocab: 10,
		Embed: 8, Hidden: 16, Cell: "gru", Attention: "bahdanau", BOS: 0, EOS: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	q, err := quant.Quantize(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	src := []int{3, 4, 5, 6}
	a, b := m.Greedy(src), q.Greedy(src)
	fmt.Println("float64:", a.Tokens)
	fmt.Println("int8:   ", b.Tokens)
	fmt.Printf("|Δ log P| < 0.05: %v\n", math.Abs(a.LogProb-b.LogProb) < 0.05)
	// Output:
	// float64: [2 2]
	// int8:    [2 2]
	// |Δ log P| < 0.05: true
}

// The quantization error of every weight matrix of a model: about 1/254
// of the weights' spread, and the largest error of each matrix at its
// bound, half a step of the largest column scale.
func ExampleStats() {
	m, err := seq2seq.NewModel(rand.New(rand.NewPCG(3, 3)), seq2seq.Config{SrcVocab: 10, TgtVocab: 20,
		Embed: 8, Hidden: 16, Attention: "dot", BOS: 0, EOS: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	stats, err := quant.Stats(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range stats {
		fmt.Printf("%-16s %3d×%-3d rel %.1f%%  max|err|·254/t_max %.2f\n", s.Name, s.Rows, s.Cols, 100*s.RelErr, s.MaxAbsErr*254/s.MaxScale)
	}
	// Output:
	// encoder.0.fwd.Wx   8×32  rel 0.3%  max|err|·254/t_max 0.99
	// encoder.0.fwd.Wh   8×32  rel 0.3%  max|err|·254/t_max 1.00
	// encoder.0.bwd.Wx   8×32  rel 0.3%  max|err|·254/t_max 0.94
	// encoder.0.bwd.Wh   8×32  rel 0.3%  max|err|·254/t_max 0.97
	// decoder.Wx        24×64  rel 0.4%  max|err|·254/t_max 1.00
	// decoder.Wh        16×64  rel 0.4%  max|err|·254/t_max 0.99
	// combine.W         32×16  rel 0.4%  max|err|·254/t_max 1.00
	// out.W             16×20  rel 0.4%  max|err|·254/t_max 1.00
}

// A sine quantized to 3 bits (levels −3 … 3) shows the staircase; the
// error stays within half a step.
func ExampleStaircasePlot() {
	xs, sine := make([]float64, 100), make([]float64, 100)
	for i := range xs {
		xs[i] = 2 * math.Pi * float64(i) / 100
		sine[i] = math.Sin(xs[i])
	}
	p := quant.StaircasePlot("3-bit quantization", xs, sine, 3)
	fmt.Printf("max error %.3f ≤ half a step %.3f\n", p.MaxError(), 1.0/6)
	// p.Save("staircase.png") writes the figure; a notebook shows p itself.
	// Output:
	// max error 0.166 ≤ half a step 0.167
}
