package main

import (
	"fmt"
	"io"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/smartreply"
)

func init() {
	trainers["reply"] = command{"train a Smart Reply model: LSTM scorer, dual encoder, trigger (Dialog bAbI, Topical-Chat, FILE.tsv)", trainReply}
}

func trainReply(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train reply", stderr)
	dataSpec := fs.String("data", "dialog-babi:1", "conversations: dialog-babi:N (task 1-6), dialog-babi:A..B (tasks of 1-5 together), topical-chat, or a FILE.tsv of message<TAB>reply lines")
	batch := fs.Int("batch", 32, "examples a step")
	lr := fs.Float64("lr", 2e-3, "Adam's learning rate")
	hidden := fs.Int("hidden", 0, "the scorer's LSTM width (0: 128)")
	clusters := fs.Int("clusters", 0, "semantic clusters of the response set (0: 100)")
	threshold := fs.Float64("threshold", -1, "P(suggest) from which suggestions are shown (-1: 0 for Dialog bAbI, 0.5 otherwise)")
	tf := addTrainFlags(fs, trainDefaults{out: "reply.safetensors", steps: 2000, saveEvery: 500, logEvery: 50, valEvery: 500})
	restore, err := tf.parse(fs, args)
	if err != nil {
		return err
	}
	defer restore()

	var (
		m       *smartreply.Model
		resumed *checkpoint.State
		tc      = smartreply.DefaultTrainConfig(*dataSpec)
	)
	tc.Batch, tc.LR = *batch, *lr
	if *tf.resume != "" {
		if err := tf.fixed("data", "batch", "lr", "hidden", "clusters", "threshold"); err != nil {
			return err
		}
		if m, resumed, err = smartreply.Open(*tf.resume); err != nil {
			return err
		}
		if tc, err = smartreply.TrainConfigOf(resumed); err != nil {
			return fmt.Errorf("%s: %w", *tf.resume, err)
		}
	}
	c, err := smartreply.LoadCorpus(tc.Data)
	if err != nil {
		return err
	}
	if m == nil {
		cfg := smartreply.ChatConfig()
		if c.Babi {
			cfg = smartreply.BabiConfig()
		}
		if *hidden > 0 {
			cfg.Scorer.Hidden = *hidden
		}
		if *clusters > 0 {
			cfg.Clusters = *clusters
		}
		if *threshold >= 0 {
			cfg.Threshold = *threshold
		}
		if m, err = smartreply.New(cfg, c); err != nil {
			return err
		}
	}
	t, err := smartreply.NewTrainer(m, c.Train, c.Dev, tc)
	if err != nil {
		return usageError{err.Error()}
	}
	t.Workers = *tf.workers
	if resumed != nil {
		if err := t.Restore(resumed); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "train reply: %s: %d training examples, %d dev; %d responses; vocabularies of %d and %d words; %d parameters\n",
		c.Name, len(c.Train), len(c.Dev), len(m.Responses), m.Src.Size(), m.Tgt.Size(), nn.CountParams(m.Params()))
	return tf.run(loopRun{name: "reply", loop: t.Loop}, stdout, stderr)
}
