package memnet_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/memnet"
)

// Train a memory network on bAbI task 1 ("Where is Mary?") and ask it
// about a story of our own, with the sentence its last hop looked at.
func Example() {
	stories, err := memnet.LoadTask(1)
	if err != nil {
		panic(err)
	}
	m, err := memnet.New(rand.New(rand.NewPCG(1, 1)), memnet.DefaultConfig(), memnet.NewVocab(stories))
	if err != nil {
		panic(err)
	}
	train, val := memnet.Split(m.Examples(stories, 1), 0.1)
	cfg := memnet.DefaultTrainConfig()
	cfg.Epochs = 20 // of the paper's 100: enough for task 1
	tr, err := memnet.NewTrainer(m, train, val, cfg)
	if err != nil {
		panic(err)
	}
	if err := tr.Run(context.Background(), tr.Steps(), nil); err != nil {
		panic(err)
	}
	story, err := data.ReadPlainStory(strings.NewReader(
		"Mary moved to the bathroom.\nJohn went to the hallway.\nMary travelled to the garden.\nWhere is Mary?\n"), "story")
	if err != nil {
		panic(err)
	}
	a := m.AnswerStory(story)[0]
	last := a.Attention[len(a.Attention)-1]
	most := 0
	for i := range last {
		if last[i] > last[most] {
			most = i
		}
	}
	fmt.Printf("%s → %s (the last hop looked at %q)\n", story.Questions[0].Text, a.Text, story.Sentences[a.First+most])
	// Output:
	// Where is Mary? → garden (the last hop looked at "Mary travelled to the garden.")
}
