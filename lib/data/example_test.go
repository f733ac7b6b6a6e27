package data_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"strings"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/datasets"
)

// A character language model's data, from the embedded corpus to the first
// batch. The numbers match nanoGPT's shakespeare_char/prepare.py ("vocab size:
// 65", "train has 1,003,854 tokens").
func Example() {
	text, err := datasets.ReadAll("tinyshakespeare")
	if err != nil {
		log.Fatal(err)
	}
	v := data.NewCharVocab(string(text))
	ids, err := v.Encode(string(text))
	if err != nil {
		log.Fatal(err)
	}
	train, val := data.SplitTail(ids, 0.1)
	b, err := data.NewStreamBatcher(train, 32, 64)
	if err != nil {
		log.Fatal(err)
	}
	x, y := b.Next()
	fmt.Println("vocabulary:", v.Size(), "characters")
	fmt.Println("train, val:", len(train), len(val))
	fmt.Println("batches per epoch:", b.BatchesPerEpoch())
	fmt.Printf("x is %d×%d, y is %d×%d\n", len(x), len(x[0]), len(y), len(y[0]))
	fmt.Printf("lane 0 reads %q, predicts %q\n", column(v, x, 0)[:14], column(v, y, 0)[:14])
	// Output:
	// vocabulary: 65 characters
	// train, val: 1003854 111540
	// batches per epoch: 490
	// x is 64×32, y is 64×32
	// lane 0 reads "First Citizen:", predicts "irst Citizen:\n"
}

// column decodes lane b of a T×B batch.
func column(v *data.CharVocab, steps [][]int, b int) string {
	ids := make([]int, len(steps))
	for t := range steps {
		ids[t] = steps[t][b]
	}
	return v.Decode(ids)
}

func ExampleCharVocab() {
	v := data.NewCharVocab("hello world")
	fmt.Printf("%d characters: %q\n", v.Size(), v.String())

	ids, err := v.Encode("hold")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ids, v.Decode(ids))

	_, err = v.Encode("help")
	fmt.Println(err)

	// Keep v.String() with a checkpoint; it restores the same ids.
	w, err := data.CharVocabFromString(v.String())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(w.Encode("hold"))
	// Output:
	// 8 characters: " dehlorw"
	// [3 5 4 1] hold
	// data: character 'p' (U+0070) at byte offset 3 is not in the vocabulary
	// [3 5 4 1] <nil>
}

func ExampleWordVocab() {
	var sentences [][]string
	for _, line := range []string{"The cat sat.", "The dog sat.", "A cat ran."} {
		sentences = append(sentences, data.TokenizeLower(line))
	}
	v := data.BuildWordVocab(sentences, 1, 0)
	fmt.Println(v.Size(), v.Words())

	// A decoder's target: the sentence's ids, then </s>. Unseen words are <unk>.
	ids := append(v.Encode(data.TokenizeLower("The bird sat.")), data.EOSID)
	fmt.Println(ids, v.Decode(ids))

	var file strings.Builder
	if _, err := v.WriteTo(&file); err != nil {
		log.Fatal(err)
	}
	lines := strings.Split(file.String(), "\n")
	fmt.Printf("%q\n", lines[:6]) // the special tokens, then word<TAB>count
	// Output:
	// 11 [<pad> <unk> <s> </s> . cat sat the a dog ran]
	// [7 1 6 4 3] [the <unk> sat . </s>]
	// ["<pad>" "<unk>" "<s>" "</s>" ".\t3" "cat\t2"]
}

func ExampleStreamBatcher() {
	// The stream 0..20 (20 tokens), in B=2 lanes of 10: lane 0 is 0..9, lane 1 is 10..19.
	ids := make([]int, 20)
	for i := range ids {
		ids[i] = i
	}
	b, err := data.NewStreamBatcher(ids, 2, 3) // T=3 steps
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("batches per epoch:", b.BatchesPerEpoch()) // (10-1)/3
	for k := 0; k < 4; k++ {
		x, y := b.Next() // T×B: x[t] is step t of both lanes
		fmt.Println("epoch", b.Epoch(), "x", x, "y", y)
	}
	// Output:
	// batches per epoch: 3
	// epoch 0 x [[0 10] [1 11] [2 12]] y [[1 11] [2 12] [3 13]]
	// epoch 0 x [[3 13] [4 14] [5 15]] y [[4 14] [5 15] [6 16]]
	// epoch 1 x [[6 16] [7 17] [8 18]] y [[7 17] [8 18] [9 19]]
	// epoch 1 x [[0 10] [1 11] [2 12]] y [[1 11] [2 12] [3 13]]
}

func ExampleStreamBatcher_SetPosition() {
	ids := make([]int, 100)
	for i := range ids {
		ids[i] = i
	}
	b, _ := data.NewStreamBatcher(ids, 2, 4)
	b.Next()
	b.Next()
	saved := b.Position() // store with the checkpoint

	resumed, _ := data.NewStreamBatcher(ids, 2, 4)
	if err := resumed.SetPosition(saved); err != nil {
		log.Fatal(err)
	}
	x1, _ := b.Next()
	x2, _ := resumed.Next()
	fmt.Println(saved, x1[0], x2[0])
	// Output:
	// 2 [8 58] [8 58]
}

func ExamplePadBatch() {
	seqs := [][]int{
		{5, 6, 7},
		{8},
		{9, 10},
	}
	steps, lengths := data.PadBatch(seqs, data.PadID)
	for t, row := range steps { // T×B: one row per time step
		fmt.Println("t =", t, row)
	}
	fmt.Println("lengths", lengths)
	// Output:
	// t = 0 [5 8 9]
	// t = 1 [6 0 10]
	// t = 2 [7 0 0]
	// lengths [3 1 2]
}

func ExampleReadPairs() {
	const file = "Go.\tVa !\tCC-BY 2.0\n" +
		"\n" +
		"Hi.\tSalut !\n"
	pairs, err := data.ReadPairs(strings.NewReader(file), "fra.txt")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", pairs)

	_, err = data.ReadPairs(strings.NewReader("Go.\tVa !\nHi. Salut !\n"), "fra.txt")
	fmt.Println(err)
	// Output:
	// [{"Go." "Va !"} {"Hi." "Salut !"}]
	// data: fra.txt:2: expected "source<TAB>target", got 1 field
}

func ExampleReadLines() {
	lines, err := data.ReadLines(strings.NewReader("one\r\ntwo\n\nthree"), "notes.txt")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", lines)
	// Output:
	// ["one" "two" "" "three"]
}

func ExampleTokenize() {
	fmt.Printf("%q\n", data.Tokenize(`"Don't stop," she said.`))
	fmt.Printf("%q\n", data.TokenizeLower("Ça va?"))
	// Output:
	// ["\"" "Don" "'" "t" "stop" "," "\"" "she" "said" "."]
	// ["ça" "va" "?"]
}

func ExampleSplitTail() {
	ids := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	train, val := data.SplitTail(ids, 0.2)
	fmt.Println(train, val)
	// Output:
	// [0 1 2 3 4 5 6 7] [8 9]
}

func ExampleSplitIndices() {
	rng := rand.New(rand.NewPCG(1, 1))
	train, val := data.SplitIndices(10, 0.3, rng)
	fmt.Println(train, val) // each set in increasing order
	// Output:
	// [1 2 3 5 6 7 8] [0 4 9]
}
