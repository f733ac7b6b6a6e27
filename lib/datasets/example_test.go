package datasets_test

import (
	"bufio"
	"fmt"
	"log"

	"github.com/seq2go/seq2go/lib/datasets"
)

func Example() {
	fmt.Println(datasets.Names())

	r, err := datasets.Open("tinyshakespeare")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	for i := 0; i < 2 && sc.Scan(); i++ {
		fmt.Println(sc.Text())
	}
	// Output:
	// [babi-en-v1.2 bert-wordpiece-vocab co2-mauna-loa-monthly dialog-babi dialog-babi-task5 dialog-babi-task6 gutenberg-en tatoeba-eng-fra tatoeba-eng-nld tinyshakespeare topical-chat ud-english-ewt weather-seattle-nyc-daily word2vec-analogies]
	// First Citizen:
	// Before we proceed any further, hear me speak.
}

func ExampleOpen_unknown() {
	_, err := datasets.Open("shakespeare")
	fmt.Println(err)
	// Output:
	// datasets: unknown dataset "shakespeare" (known: babi-en-v1.2, bert-wordpiece-vocab, co2-mauna-loa-monthly, dialog-babi, dialog-babi-task5, dialog-babi-task6, gutenberg-en, tatoeba-eng-fra, tatoeba-eng-nld, tinyshakespeare, topical-chat, ud-english-ewt, weather-seattle-nyc-daily, word2vec-analogies)
}

func ExampleReadAll() {
	text, err := datasets.ReadAll("tinyshakespeare")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(text), "bytes")
	fmt.Println(datasets.Files("tinyshakespeare"))
	// Output:
	// 1115394 bytes
	// [input.txt]
}

// The Tatoeba corpora hold one sentence pair a line, English first, fields
// separated by tabs; data.ReadPairs reads them.
func ExampleOpen_tatoeba() {
	r, err := datasets.Open("tatoeba-eng-nld")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	for i := 0; i < 3 && sc.Scan(); i++ {
		fmt.Printf("%q\n", sc.Text())
	}
	// Output:
	// "Hi.\tHoi."
	// "Run!\tRen!"
	// "Who?\tWie?"
}
