package eval_test

import (
	"context"
	"fmt"

	"github.com/seq2go/seq2go/internal/eval"
)

// A cell mixes declarations and statements; its final expression is its
// value. What it prints comes first.
func ExampleSession_Eval() {
	s, err := eval.New(eval.Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	res, err := s.Eval(context.Background(), `
fmt.Println("the talk's feed-forward step, h = tanh(x·W + b)")
x := mat.NewDense(1, 3, []float64{1, 2, 3})
layer := nn.NewLinear(rand.New(rand.NewPCG(1, 1)), 3, 2)
step(x)

func step(x *mat.Dense) *mat.Dense {
	var act nn.Tanh
	return act.Forward(layer.Forward(x))
}`)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s (%s)\n", res.Value["text/plain"], res.Type)
	// Output:
	// the talk's feed-forward step, h = tanh(x·W + b)
	// [0.73877  0.999949] (*mat.Dense)
}

// Errors carry the cell's own positions, and the session survives them. A
// cell that does not compile runs nothing.
func ExampleSession_Eval_errors() {
	s, _ := eval.New(eval.Options{})
	defer s.Close()
	for _, cell := range []string{
		"n := 1",
		"n++\nfmt.Println(m)",
		`panic("boom")`,
		"n + 1",
	} {
		res, err := s.Eval(context.Background(), cell)
		if err != nil {
			fmt.Println("error:", err)
		} else if res.Value != nil {
			fmt.Printf("%s\n", res.Value["text/plain"])
		}
	}
	// Output:
	// error: 2:13: undefined: m
	// error: 1:1: panic: boom
	// 2
}

func ExampleIsComplete() {
	for _, src := range []string{"x := 1", "for i := 0; i < 3; i++ {", "x := )"} {
		status, indent := eval.IsComplete(src)
		fmt.Printf("%-26q %s %q\n", src, status, indent)
	}
	// Output:
	// "x := 1"                   complete ""
	// "for i := 0; i < 3; i++ {" incomplete "\t"
	// "x := )"                   invalid ""
}

func ExampleSession_Complete() {
	s, _ := eval.New(eval.Options{})
	defer s.Close()
	matches, start, end := s.Complete("y := nn.NewL", 12)
	fmt.Println(matches, start, end)
	// Output:
	// [NewLSTM NewLinear] 8 12
}

func ExampleSession_Inspect() {
	s, _ := eval.New(eval.Options{})
	defer s.Close()
	doc, _ := s.Inspect("nn.Tanh", 7)
	fmt.Println(doc[:len("type Tanh struct")])
	// Output:
	// type Tanh struct
}
