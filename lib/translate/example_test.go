package translate_test

import (
	"context"
	"fmt"

	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/translate"
)

// Train the date model of `seq2go train dates` for 600 steps and
// translate two dates it has never seen, with the attention of each
// output character at hand.
func Example() {
	cfg := translate.DatesConfig()
	train, _, err := cfg.Data.Load() // 20,000 generated dates
	if err != nil {
		panic(err)
	}
	t, err := translate.New(cfg, train)
	if err != nil {
		panic(err)
	}
	trainer, err := translate.NewTrainer(t, train)
	if err != nil {
		panic(err)
	}
	trainer.Workers = 1 // the same arithmetic on any machine
	if err := trainer.Run(context.Background(), 600, nil); err != nil {
		panic(err)
	}
	for _, line := range []string{"Thursday, Nov 26 2026", "3 april 1987"} {
		r := t.Translate(line, seq2seq.BeamOptions{Width: 3})
		fmt.Printf("%s → %s (%d×%d attention)\n", line, r.Text, len(r.Translation.Attention), len(r.Source))
	}
	// Output:
	// Thursday, Nov 26 2026 → 2026-11-26 (10×21 attention)
	// 3 april 1987 → 1987-04-03 (10×12 attention)
}
