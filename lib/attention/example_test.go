package attention_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/attention"
	"gonum.org/v1/gonum/mat"
)

// Dot attention by hand: three memory slots of width 2 and a query that
// points roughly the way of the second. The weights are the softmax of
// the dot products 0.5, 2 and −0.5; the context is mostly the second key.
func ExampleDot() {
	att := &attention.Dot{}
	keys := []*mat.Dense{ // T = 3 slots, each B×K = 1×2
		mat.NewDense(1, 2, []float64{1, 0}),
		mat.NewDense(1, 2, []float64{0, 1}),
		mat.NewDense(1, 2, []float64{-1, 0}),
	}
	query := mat.NewDense(1, 2, []float64{0.5, 2}) // B×H = 1×2
	ctx, weights := att.Forward(query, att.Memory(keys, nil, nil))
	fmt.Printf("weights %.4f\n", mat.Formatted(weights))
	fmt.Printf("context %.4f\n", mat.Formatted(ctx))
	// Output:
	// weights [0.1710  0.7662  0.0629]
	// context [0.1081  0.7662]
}

// Two hops of an end-to-end memory network over a story of three
// sentences, each embedded twice: as a key m_i, which the question is
// compared with, and as a value c_i, which is read out. The first hop
// finds the sentence that matches the question (slot 0); its value turns
// the query u = u + o away from the question and towards the sentence that
// answers it (slot 2), where the second hop looks.
func ExampleDot_memoryNetwork() {
	row := func(v ...float64) *mat.Dense { return mat.NewDense(1, len(v), v) }
	m := []*mat.Dense{row(1, 0, 0), row(0, 0, 0), row(0, 0, 1)}  // keys: what each sentence is about
	c := []*mat.Dense{row(-2, 0, 4), row(0, 0, 0), row(0, 0, 0)} // values: where it leads
	u := row(2, 0, 0)                                            // the question
	hops := []*attention.Dot{{}, {}}
	for k, hop := range hops {
		o, p := hop.Forward(u, hop.Memory(m, c, nil))
		fmt.Printf("hop %d looks at %.2f\n", k+1, mat.Formatted(p))
		u.Add(u, o)
	}
	// Output:
	// hop 1 looks at [0.79  0.11  0.11]
	// hop 2 looks at [0.06  0.04  0.90]
}

// A reply scorer: a message vector q scores three candidate replies r_j
// with the bilinear score q·W·r_jᵀ. Linear keeps the raw scores as the
// weights, for a loss over the candidates (nn.SoftmaxCrossEntropy) or a
// ranking.
func ExampleGeneral_linear() {
	att := attention.NewGeneral(rand.New(rand.NewPCG(1, 1)), 2, 3)
	att.Linear = true
	replies := []*mat.Dense{ // T = 3 candidates, each B×K = 1×3
		mat.NewDense(1, 3, []float64{1, 0, 0}),
		mat.NewDense(1, 3, []float64{0, 1, 0}),
		mat.NewDense(1, 3, []float64{0, 0, 1}),
	}
	message := mat.NewDense(1, 2, []float64{1, -1})
	_, scores := att.Forward(message, att.Memory(replies, nil, nil))
	// With one-hot replies the scores are the row q·W.
	var qw mat.Dense
	qw.Mul(message, att.W.Value)
	fmt.Println(mat.EqualApprox(scores, &qw, 1e-15))
	// Output:
	// true
}

// A decoder's use: one Memory of a batch's encoder outputs (B = 2
// sentences, the second one word shorter: padded), two decoder steps each
// with its own Shared copy of the block, their Backward in reverse, then
// MemoryBackward once for the keys' gradient and the weight gradients
// that the steps share.
func ExampleAdditive() {
	rng := rand.New(rand.NewPCG(1, 1))
	const b, h, slots = 2, 4, 3
	att := attention.NewAdditive(rng, h, h, 5) // queries and keys of width 4, hidden layer 5
	random := func(r, c int) *mat.Dense {
		m := mat.NewDense(r, c, nil)
		m.Apply(func(int, int, float64) float64 { return rng.NormFloat64() }, m)
		return m
	}
	var s []*mat.Dense // the encoder's outputs: T = 3 slots of B×H
	for j := 0; j < slots; j++ {
		s = append(s, random(b, h))
	}
	mem := att.Memory(s, nil, []int{3, 2})
	steps := []attention.Attention{att.Shared(), att.Shared()}
	for t, step := range steps {
		_, w := step.Forward(random(b, h), mem) // the decoder's h_t
		fmt.Printf("step %d: weights of sentence 2 sum to %.2f, its padding gets %.0f\n", t, w.At(1, 0)+w.At(1, 1), w.At(1, 2))
	}
	for t := len(steps) - 1; t >= 0; t-- {
		dq := steps[t].Backward(random(b, h), nil) // ∂L/∂h_t, on to the decoder
		r, c := dq.Dims()
		fmt.Printf("step %d: ∂L/∂h_t is %d×%d\n", t, r, c)
	}
	ds, dvalues := att.MemoryBackward(mem)
	r, c := ds[0].Dims()
	fmt.Printf("∂L/∂s: %d slots of %d×%d; separate values: %v\n", len(ds), r, c, dvalues != nil)
	fmt.Println("∂L/∂Wk filled:", mat.Norm(att.Wk.Grad, 2) > 0)
	// Output:
	// step 0: weights of sentence 2 sum to 1.00, its padding gets 0
	// step 1: weights of sentence 2 sum to 1.00, its padding gets 0
	// step 1: ∂L/∂h_t is 2×4
	// step 0: ∂L/∂h_t is 2×4
	// ∂L/∂s: 3 slots of 2×4; separate values: false
	// ∂L/∂Wk filled: true
}
