package word2vec_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"strings"

	"github.com/seq2go/seq2go/lib/word2vec"
)

// Two kinds of sentences that never mix: animals and vehicles. After
// training, each word's nearest neighbour is of its own kind.
func ExampleTrain() {
	rng := rand.New(rand.NewPCG(1, 1))
	animals := []string{"cat", "dog", "horse", "cow", "sheep"}
	vehicles := []string{"car", "bus", "train", "truck", "tram"}
	var text strings.Builder
	for line := 0; line < 300; line++ {
		kind := animals
		if line%2 == 1 {
			kind = vehicles
		}
		for k := 0; k < 10; k++ {
			text.WriteString(kind[rng.IntN(len(kind))] + " ")
		}
		text.WriteString("\n")
	}

	cfg := word2vec.DefaultConfig()
	cfg.Dim, cfg.Epochs, cfg.Sample = 10, 10, 0
	vecs, err := word2vec.Train(rng, word2vec.NewTextCorpus(text.String(), word2vec.SplitSpace), cfg)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range []string{"cat", "bus"} {
		ns, _ := vecs.Nearest(w, 4)
		var words []string
		for _, n := range ns {
			words = append(words, n.Word)
		}
		fmt.Println(w, "→", strings.Join(sorted(words), " "))
	}
	// Output:
	// cat → cow dog horse sheep
	// bus → car train tram truck
}

func sorted(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// Vectors by hand, in word2vec's text format: the first axis is gender, the
// second royalty.
func ExampleVectors_Analogy() {
	vecs, err := word2vec.ReadVectors(strings.NewReader(`4 3
man 1 0 1
woman -1 0 1
king 1 1 0.2
queen -1 1 0.2
`), "royals.txt")
	if err != nil {
		log.Fatal(err)
	}
	ns, err := vecs.Analogy("man", "king", "woman", 1) // man is to king as woman is to ?
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %.4f\n", ns[0].Word, ns[0].Similarity)
	// Output:
	// queen 1.0000
}

func ExampleVectors_Nearest() {
	vecs, _ := word2vec.ReadVectors(strings.NewReader("3 2\nred 1 0.1\norange 1 0.5\nblue 0 1\n"), "colours.txt")
	ns, _ := vecs.Nearest("red", 2) // cos(red, orange) = 1.05/(√1.01·√1.25)
	for _, n := range ns {
		fmt.Printf("%-6s %.4f\n", n.Word, n.Similarity)
	}
	// Output:
	// orange 0.9345
	// blue   0.0995
}

// The share of "the" that sub-sampling keeps in a million-word corpus where
// it occurs 50,000 times, at word2vec.c's default threshold and at 1e-5.
func ExampleKeepProbability() {
	fmt.Printf("%.4f\n", word2vec.KeepProbability(50_000, 1_000_000, 1e-3))
	fmt.Printf("%.4f\n", word2vec.KeepProbability(50_000, 1_000_000, 1e-5))
	fmt.Printf("%.4f\n", word2vec.KeepProbability(500, 1_000_000, 1e-3)) // rare words are always kept
	// Output:
	// 0.1614
	// 0.0143
	// 1.0000
}

func ExampleVectors_PCA() {
	vecs, _ := word2vec.ReadVectors(strings.NewReader(`4 3
north 0 1 0.5
south 0 -1 0.5
east 1 0 0.5
west -1 0 0.5
`), "compass.txt")
	p, _ := vecs.PCA("north", "south", "east", "west")
	fmt.Printf("explained %.2f %.2f\n", p.Explained[0], p.Explained[1])
	for i, w := range p.Words {
		fmt.Printf("%-5s %5.2f\n", w, p.X[i]*p.X[i]+p.Y[i]*p.Y[i]) // the squared distance from the centre
	}
	// Output:
	// explained 0.50 0.50
	// north  1.00
	// south  1.00
	// east   1.00
	// west   1.00
}

func ExampleVectors_EvaluateAnalogies() {
	vecs, _ := word2vec.ReadVectors(strings.NewReader(`4 3
man 1 0 1
woman -1 0 1
king 1 1 0.2
queen -1 1 0.2
`), "royals.txt")
	rep, _ := vecs.EvaluateAnalogies(strings.NewReader(`: family
man woman king queen
king queen man woman
man woman boy girl
`), 0)
	fmt.Printf("%.0f%% of %d seen questions, coverage %.0f%%\n", 100*rep.All.Accuracy(), rep.All.Seen, 100*rep.All.Coverage())
	// Output:
	// 100% of 2 seen questions, coverage 67%
}

func ExampleNewDatasetCorpus() {
	c, err := word2vec.NewDatasetCorpus("gutenberg-en", "pg11.txt")
	if err != nil {
		log.Fatal(err)
	}
	v, err := word2vec.BuildVocab(c, 5)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Name(), c.Split())
	fmt.Printf("%d words, %d distinct with min-count 5; the most frequent: %s %s %s\n",
		v.CorpusWords(), v.Len(), v.Word(0), v.Word(1), v.Word(2))
	// Output:
	// gutenberg-en/pg11.txt letters
	// 27322 words, 686 distinct with min-count 5; the most frequent: the and to
}
