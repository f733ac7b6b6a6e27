package smartreply

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/seq2go/seq2go/lib/seq2seq"
)

// toyGroups are messages and the replies people gave them: a corpus whose
// answers a model can learn in a second.
var toyGroups = []struct{ messages, replies []string }{
	{[]string{"thank you so much", "thanks a lot", "thanks for the help"}, []string{"you are welcome", "no problem", "you are welcome !"}},
	{[]string{"are you coming tonight ?", "will you join us tonight ?"}, []string{"yes i will be there", "sorry i can not make it", "what time ?"}},
	{[]string{"how are you ?", "how is it going ?"}, []string{"i am fine", "good thanks", "i am fine , and you ?"}},
	{[]string{"tell me about the history of rome", "what do you know about rome ?"}, []string{"rome was founded long ago on seven hills by two brothers raised by a wolf , they say"}},
}

// toyCorpus draws n message→reply examples from toyGroups.
func toyCorpus(n int, seed uint64) *Corpus {
	rng := rand.New(rand.NewPCG(seed, seed))
	draw := func() Example {
		g := toyGroups[rng.IntN(len(toyGroups))]
		return Example{
			Context: []Turn{{Them, g.messages[rng.IntN(len(g.messages))]}},
			Reply:   g.replies[rng.IntN(len(g.replies))],
		}
	}
	c := &Corpus{Name: "toy"}
	for i := 0; i < n; i++ {
		ex := draw()
		ex.Dialog = i
		c.Train = append(c.Train, ex)
	}
	for i := 0; i < n/5; i++ {
		ex := draw()
		ex.Dialog = i
		c.Dev = append(c.Dev, ex)
	}
	return c
}

// toyConfig is a small ChatConfig.
func toyConfig() Config {
	cfg := ChatConfig()
	cfg.MinCount, cfg.MaxVocab = 1, 0
	cfg.Scorer = seq2seq.Config{Embed: 16, Hidden: 32, Attention: "general"}
	cfg.DualDim, cfg.DualEmbed, cfg.DualHidden = 16, 16, 16
	cfg.TriggerEmbed, cfg.TriggerHidden = 8, 8
	cfg.ResponseMaxTokens, cfg.ResponseMinCount = 8, 2
	cfg.Clusters = 4
	return cfg
}

// toyTrainConfig trains the toy models: Adam at 0.01.
func toyTrainConfig() TrainConfig {
	tc := DefaultTrainConfig("toy")
	tc.LR = 1e-2
	return tc
}

// toyTrainer returns a trainer of a fresh toy model.
func toyTrainer(t testing.TB) (*Trainer, *Corpus) {
	t.Helper()
	c := toyCorpus(300, 1)
	m, err := New(toyConfig(), c)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(m, c.Train, c.Dev, toyTrainConfig())
	if err != nil {
		t.Fatal(err)
	}
	return tr, c
}

// trainToy trains a toy model for steps steps on the loop.
func trainToy(t testing.TB, steps int) (*Model, *Corpus) {
	t.Helper()
	tr, c := toyTrainer(t)
	if err := tr.Run(context.Background(), steps, nil); err != nil {
		t.Fatal(err)
	}
	if err := tr.M.Finish(); err != nil {
		t.Fatal(err)
	}
	return tr.M, c
}

func TestToyModel(t *testing.T) {
	m, c := trainToy(t, 150)
	// The response set: the short replies seen at least twice; the long one
	// is not in it.
	if len(m.Responses) != 8 {
		t.Errorf("%d responses, want the 8 short replies: %v", len(m.Responses), m.Responses)
	}
	for _, c := range []struct {
		msg     string
		want    []string // the top suggestion is one of these
		trigger bool
	}{
		{"thanks a lot", []string{"you are welcome", "no problem"}, true},
		{"will you join us tonight ?", []string{"yes i will be there", "sorry i can not make it", "what time ?"}, true},
		{"how is it going ?", []string{"i am fine", "good thanks", "i am fine , and you ?"}, true},
		{"what do you know about rome ?", nil, false},
	} {
		s, err := m.Suggest([]Turn{{Them, c.msg}}, SuggestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if s.Shown != c.trigger {
			t.Errorf("%q: shown %v with P(suggest) %.3f, want %v", c.msg, s.Shown, s.Trigger, c.trigger)
		}
		if !c.trigger {
			continue
		}
		if len(s.Top) == 0 || !contains(c.want, m.Responses[s.Top[0].Response].Text) {
			t.Errorf("%q: top %v, want one of %q", c.msg, s.Top, c.want)
		}
		clusters := map[int]bool{}
		for _, h := range s.Top {
			if clusters[h.Cluster] {
				t.Errorf("%q: two suggestions of cluster %d", c.msg, h.Cluster)
			}
			clusters[h.Cluster] = true
		}
	}
	// The trie search, the exhaustive scoring and the dual encoder with the
	// LSTM reranking agree on the best response for every dev message.
	for _, ex := range c.Dev[:20] {
		msg := m.Message(ex.Context)
		var top []int
		for _, stage := range []string{StageTrie, StageExhaustive, StageDualLSTM} {
			hits, err := m.Rank(msg, SuggestOptions{Stage: stage})
			if err != nil {
				t.Fatal(err)
			}
			top = append(top, hits[0].Response)
		}
		if top[0] != top[1] || top[1] != top[2] {
			t.Errorf("%v: the stages' best responses %v differ", ex.Context, top)
		}
	}
}

// TestLogProbs: scoring replies side by side gives the scorer's own
// log-likelihood of each.
func TestLogProbs(t *testing.T) {
	c := toyCorpus(50, 2)
	m, err := New(toyConfig(), c)
	if err != nil {
		t.Fatal(err)
	}
	msg := m.Message(c.Train[0].Context)
	replies := [][]int{m.ReplyIDs("i am fine"), m.ReplyIDs("no problem at all , really"), m.ReplyIDs("ok")}
	got := m.LogProbs(msg, replies)
	for i, r := range replies {
		nll, _ := m.Scorer.NLL([][]int{msg.Src}, [][]int{r})
		if math.Abs(got[i]+nll) > 1e-9 {
			t.Errorf("reply %d: log P %v, NLL %v", i, got[i], nll)
		}
	}
}

func TestSaveOpen(t *testing.T) {
	m, c := trainToy(t, 20)
	path := filepath.Join(t.TempDir(), "reply.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range c.Dev[:5] {
		a, _ := m.Suggest(ex.Context, SuggestOptions{})
		b, _ := m2.Suggest(ex.Context, SuggestOptions{})
		if len(a.Hits) != len(b.Hits) || a.Trigger != b.Trigger {
			t.Fatalf("%v: %v and %v", ex.Context, a, b)
		}
		for i := range a.Hits {
			if a.Hits[i] != b.Hits[i] {
				t.Errorf("%v: hit %d %+v, reopened %+v", ex.Context, i, a.Hits[i], b.Hits[i])
			}
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Open of a missing file: no error")
	}
}

// TestCopyUnseen: a copying scorer answers with the phone number or the
// address of restaurants it never saw in training, pointing at the facts
// of the dialog (Dialog bAbI task 4 in miniature).
func TestCopyUnseen(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	dialogs := func(from, n int) []Example {
		var out []Example
		for k := from; k < from+n; k++ {
			r := fmt.Sprintf("resto_%d", k)
			ask, want := "may i have the phone number", r+"_phone"
			if rng.IntN(2) == 0 {
				ask, want = "can you give me the address", r+"_address"
			}
			facts := []Turn{{KB, r + " R_phone " + r + "_phone"}, {KB, r + " R_address " + r + "_address"}}
			if rng.IntN(2) == 0 {
				facts[0], facts[1] = facts[1], facts[0]
			}
			out = append(out, Example{Context: append(facts, Turn{Them, ask}), Reply: "here it is " + want, Dialog: k})
		}
		return out
	}
	c := &Corpus{Name: "phones", Train: dialogs(0, 400), Dev: dialogs(1000, 50), Babi: true}
	for _, ex := range append(append([]Example(nil), c.Train...), c.Dev...) {
		c.Candidates = append(c.Candidates, ex.Reply)
	}
	cfg := BabiConfig()
	cfg.Scorer = seq2seq.Config{Embed: 16, Hidden: 32, Attention: "general", Copy: true, Unk: cfg.Scorer.Unk}
	cfg.DualDim, cfg.Clusters = 0, 10
	m, err := New(cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(m, c.Train, nil, toyTrainConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(context.Background(), 100, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Finish(); err != nil {
		t.Fatal(err)
	}
	acc, err := m.Accuracy(c.Dev, SuggestOptions{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("unseen restaurants: %.1f %%", acc.PerResponse())
	if acc.PerResponse() < 90 {
		t.Errorf("unseen restaurants: %.1f %% of replies right, want ≥ 90 %%", acc.PerResponse())
	}
}
