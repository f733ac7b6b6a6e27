package wordpiece_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"github.com/seq2go/seq2go/lib/datasets"
	"github.com/seq2go/seq2go/lib/wordpiece"
)

// Train an 8,000-piece vocabulary on tinyshakespeare and segment the talk's
// sentence. Shakespeare has no "makers" or "width", so they are spelled
// from pieces; the GNMT model on the slide, trained on news, knew them.
func Example() {
	text, err := datasets.ReadAll("tinyshakespeare")
	if err != nil {
		log.Fatal(err)
	}
	v, err := wordpiece.Train(bytes.NewReader(text), "tinyshakespeare", wordpiece.TrainConfig{Size: 8000})
	if err != nil {
		log.Fatal(err)
	}
	sentence := "Jet makers feud over seat width with big orders at stake"
	fmt.Println(v.Size(), "pieces")
	fmt.Println(strings.Join(v.Tokenize(sentence), " "))
	fmt.Println(v.Decode(v.Encode(sentence)))
	// Output:
	// 8000 pieces
	// ▁J et ▁make r s ▁fe ud ▁over ▁seat ▁wi d th ▁with ▁big ▁order s ▁at ▁st ake
	// Jet makers feud over seat width with big orders at stake
}

// The talk's slide: a vocabulary holding its pieces, in the talk's spelling
// of GNMT's word-start marker.
func ExampleVocab_Tokenize() {
	pieces := strings.Fields("<unk> _J et _makers _fe ud _over _seat _width _with _big _orders _at _stake")
	v, err := wordpiece.NewVocab(pieces, wordpiece.Talk)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Join(v.Tokenize("Jet makers feud over seat width with big orders at stake"), " "))
	fmt.Println(v.Encode("Jet makers feud"))
	fmt.Println(v.Tokenize("Jets")) // "s" is no piece: the whole word is unknown
	// Output:
	// _J et _makers _fe ud _over _seat _width _with _big _orders _at _stake
	// [1 2 3 4 5]
	// [<unk>]
}

// The talk's thirteen pieces are a whole vocabulary for its sentence, with
// no unknown piece: EncodeStrict says which word they cannot spell.
func ExampleVocab_EncodeStrict() {
	pieces := strings.Fields("_J et _makers _fe ud _over _seat _width _with _big _orders _at _stake")
	v, err := wordpiece.NewVocab(pieces, wordpiece.Talk)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.EncodeStrict("Jet makers feud"))
	fmt.Println(v.EncodeStrict("Jets feud"))
	// Output:
	// [0 1 2 3 4] <nil>
	// [] wordpiece: cannot segment "Jets": no piece matches "s" (character 4)
}

// BERT's tokenizer over BERT-Base's vocabulary, embedded in lib/datasets.
// The two versions of the reference it follows (Rules) differ on long words
// and on private-use and unassigned characters (U+E000 here).
func ExampleBERTTokenizer() {
	r, err := datasets.Open("bert-wordpiece-vocab")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	v, err := wordpiece.ReadVocab(r, "vocab.txt", wordpiece.BERT)
	if err != nil {
		log.Fatal(err)
	}
	bert := wordpiece.NewBERTTokenizer(v, true)
	pieces := bert.Tokenize("unaffable tokenization of Amsterdam hyperparameters")
	fmt.Println(strings.Join(pieces, " "))
	fmt.Println(bert.Encode("Café naïve!"))
	fmt.Println(bert.Detokenize(pieces))

	line := "pri\ue000vate " + strings.Repeat("na", 60) // a word of 120 characters
	for _, rules := range []wordpiece.BERTRules{wordpiece.BERTOriginal, wordpiece.BERTLatest} {
		bert.Rules = rules
		pieces := bert.Tokenize(line)
		fmt.Printf("%-8v %d pieces: %s\n", rules, len(pieces), strings.Join(pieces[:min(3, len(pieces))], " "))
	}
	// Output:
	// una ##ffa ##ble token ##ization of amsterdam hyper ##para ##meter ##s
	// [7668 15743 999]
	// unaffable tokenization of amsterdam hyperparameters
	// original 2 pieces: private [UNK]
	// latest   41 pieces: [UNK] nana ##nan
}

func ExampleBasicTokenize() {
	fmt.Printf("%q\n", wordpiece.BasicTokenize("Hello, Café! 東京", true))
	// Output:
	// ["hello" "," "cafe" "!" "東" "京"]
}

// GNMT's character tokens: position-marked characters for a word outside
// the vocabulary.
func ExampleCharTokens() {
	fmt.Println(strings.Join(wordpiece.CharTokens("Miki"), " "))
	fmt.Println(strings.Join(wordpiece.CharTokens("I"), " "))
	// Output:
	// <B>M <M>i <M>k <E>i
	// <B>I
}

// The mixed word/character model: known words stay whole, others are
// spelled, and detokenising restores them.
func ExampleMixedVocab() {
	tokens := []string{"<unk>", "likes", "sushi"}
	for _, c := range "Mik" {
		tokens = append(tokens, wordpiece.Begin+string(c), wordpiece.Middle+string(c), wordpiece.End+string(c))
	}
	m, err := wordpiece.NewMixedVocab(tokens)
	if err != nil {
		log.Fatal(err)
	}
	t := m.Tokenize("Miki likes sushi")
	fmt.Println(strings.Join(t, " "))
	fmt.Println(m.Detokenize(t))
	// Output:
	// <B>M <M>i <M>k <E>i likes sushi
	// Miki likes sushi
}

// Sennrich et al.'s toy corpus: 3 special pieces and an 11-symbol alphabet
// (▁ l o w e r n s t i d), then six merges. BPE merges the most frequent
// pairs (e s, then es t, 9 times each); the likelihood score merges i d first,
// 3/(3·3): neither letter occurs without the other.
func ExampleTrain() {
	corpus := "low low low low low lower lower newest newest newest newest newest newest widest widest widest"
	for _, algo := range []wordpiece.Algorithm{wordpiece.BPE, wordpiece.Likelihood} {
		v, err := wordpiece.Train(strings.NewReader(corpus), "corpus", wordpiece.TrainConfig{Size: 20, Algorithm: algo})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(algo, v.Pieces()[14:], v.Tokenize("lowest"))
	}
	// Output:
	// bpe [es est lo low ▁low ew] [▁low est]
	// wordpiece [id lo st low wid ▁low] [▁low e st]
}
