package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/seq2go/seq2go/lib/smartreply"
)

func init() {
	benches["reply"] = command{"a reply model's accuracy or 1-of-100 recall, diversity and latency (--model FILE --test DATA)", benchReply}
}

func benchReply(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench reply", stderr)
	sf := addSuggestFlags(fs)
	test := fs.String("test", "", "what to test on: dialog-babi:N (the task's dev file), topical-chat (its test split), or a file: Dialog bAbI lines (an official test file), FILE.json (Topical-Chat) or FILE.tsv (message<TAB>reply)")
	limit := fs.Int("limit", 0, "test on the first N examples only (0: all)")
	pool := fs.Int("pool", 100, "candidates per message of the recall test: the true reply and pool−1 others of the test set")
	seed := fs.Uint64("seed", 1, "draws the recall test's candidates")
	timed := fs.Int("latency", 200, "time this many messages one after another on one goroutine (0: none)")
	workers := fs.Int("workers", 0, "goroutines for the accuracy and recall tests (0: GOMAXPROCS)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *test == "" {
		return usageError{"bench reply: --test is required (dialog-babi:N, topical-chat, or a file)"}
	}
	m, err := sf.load("bench reply")
	if err != nil {
		return err
	}
	exs, err := smartreply.LoadTest(*test)
	if err != nil {
		return err
	}
	if *limit > 0 {
		exs = exs[:min(*limit, len(exs))]
	}
	if len(exs) == 0 {
		return fmt.Errorf("bench reply: %s has no examples", *test)
	}
	opt := sf.options()
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "test: %s, %d replies; response set: %d; stage: %s\n", *test, len(exs), len(m.Responses), stageName(opt))
	start := time.Now()
	if babiTest(*test) {
		acc, err := m.Accuracy(exs, opt, *workers)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "per-response accuracy\t%.2f %%\t(%d of %d)\n", acc.PerResponse(), acc.RightResponses, acc.Responses)
		fmt.Fprintf(w, "per-dialog accuracy\t%.2f %%\t(%d of %d)\n", acc.PerDialog(), acc.RightDialogs, acc.Dialogs)
	} else {
		var docs []string
		for _, ex := range exs {
			docs = append(docs, ex.Reply)
		}
		tfidf := smartreply.NewTFIDF(m.Tokenizer, m.ContextTurns, docs)
		fmt.Fprintf(w, "1-of-%d ranking\trecall@1\trecall@3\n", *pool)
		rankers := []struct {
			name  string
			score smartreply.ScoreFunc
		}{{"LSTM, log P per token", m.LSTMScores}, {"TF-IDF (idf of the test replies)", tfidf.Scores}}
		if m.Dual != nil {
			rankers = append(rankers[:1], append([]struct {
				name  string
				score smartreply.ScoreFunc
			}{{"dual encoder", m.DualScores}}, rankers[1:]...)...)
		}
		for _, r := range rankers {
			rec := smartreply.RecallAtK(exs, r.score, *pool, *seed, *workers)
			fmt.Fprintf(w, "  %s\t%.2f %%\t%.2f %%\n", r.name, rec.At1, rec.At3)
		}
	}
	div, err := m.Diversity(exs[:min(len(exs), 1000)], opt, *workers)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "three distinct clusters\t%.1f %% of %d triples\t(the best three without the diversity rule: %.1f %%)\n", div.Distinct, div.Triples, div.DistinctNoRule)
	fmt.Fprintf(w, "scored in\t%v\n", time.Since(start).Round(100*time.Millisecond))
	if *timed > 0 {
		var lat []time.Duration
		for _, ex := range exs[:min(*timed, len(exs))] {
			t0 := time.Now()
			if _, err := m.Suggest(ex.Context, opt); err != nil {
				return err
			}
			lat = append(lat, time.Since(t0))
		}
		fmt.Fprintf(w, "latency per message\t%s median, %s mean\t(%d messages, one goroutine)\n", ms(quantile(lat, 0.5).Seconds()), ms(mean(lat).Seconds()), len(lat))
	}
	return w.Flush()
}

// babiTest reports whether a --test names Dialog bAbI data: judged by
// accuracy among the candidates rather than by recall.
func babiTest(spec string) bool {
	switch {
	case strings.HasPrefix(spec, "dialog-babi:"):
		return true
	case spec == "topical-chat", strings.HasSuffix(spec, ".json"), strings.HasSuffix(spec, ".tsv"):
		return false
	}
	return true
}
