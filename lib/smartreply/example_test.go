package smartreply_test

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/smartreply"
	"gonum.org/v1/gonum/mat"
)

// A trie of four responses searched with a hand-made decoder that prefers
// token 5 after the start and then wants to stop.
func ExampleTrie_Search() {
	const bos, eos, v = 2, 3, 8
	responses := [][]int{{4}, {5}, {5, 6}, {7, 6}}
	trie := smartreply.NewTrie(responses)
	step := seq2seq.StepFunc(func(parents, tokens []int) (logp, attn *mat.Dense) {
		logp = mat.NewDense(len(tokens), v, nil)
		for i, tok := range tokens {
			z := []float64{0, 0, 0, 0, 1, 1, 1, 1} // after a word: EOS likeliest
			z[eos] = 3
			if tok == bos {
				z = []float64{0, 0, 0, 0, 1, 3, 0, 1}
			}
			lz := nn.SoftmaxTo(make([]float64, v), z)
			for j := range z {
				logp.Set(i, j, z[j]-lz)
			}
		}
		return logp, mat.NewDense(len(tokens), 1, nil)
	})
	for _, h := range trie.Search(step, bos, eos, smartreply.SearchOptions{Width: 2, N: 3}) {
		fmt.Printf("response %d  log P %.3f\n", h.Response, h.LogProb)
	}
	// Output:
	// response 1  log P -0.944
	// response 0  log P -2.944
	// response 2  log P -3.469
}

func ExampleContext() {
	history := []smartreply.Turn{
		{Mark: smartreply.Them, Text: "hi"},
		{Mark: smartreply.Me, Text: "hello what can i help you with today"},
		{Mark: smartreply.Them, Text: "a table in rome please"},
	}
	fmt.Println(smartreply.Context(smartreply.SpaceTokens, history, 0, 15))
	fmt.Println(smartreply.Context(smartreply.WordTokens, history, 1, 0))
	// Output:
	// [<me> hello what can i help you with today <them> a table in rome please]
	// [<them> a table in rome please]
}

func ExampleMineResponses() {
	replies := []string{"Sounds good!", "sounds good", "See you then.", "sounds good.", "I have no idea what that means, to be honest with you", "see you then"}
	for _, r := range smartreply.MineResponses(replies, smartreply.WordTokens, 6, 2) {
		fmt.Printf("%q ×%d\n", r.Text, r.Count)
	}
	// Output:
	// "Sounds good!" ×3
	// "See you then." ×2
}
