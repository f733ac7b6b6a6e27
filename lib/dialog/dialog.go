package dialog

import (
	"math/rand/v2"
	"strings"

	"github.com/seq2go/seq2go/lib/data"
)

// Who said an Utterance of Dialog bAbI.
const (
	User = "user" // the customer
	Bot  = "bot"  // the system, whose turns a model predicts
	Fact = "kb"   // a knowledge-base fact returned by an API call
)

// Silence is Dialog bAbI's user utterance for "the user said nothing": the
// bot speaks twice in a row.
const Silence = "<SILENCE>"

// Utterance is one thing said in a dialog.
type Utterance struct {
	Speaker string // User, Bot or Fact (Dialog bAbI); "agent_1" or "agent_2" (Topical-Chat)
	Text    string // trimmed, runs of white space collapsed to one space
	Line    int    // the line of the file it was read from, 1 for the first
}

// Dialog is one conversation, its utterances in the order they were said.
type Dialog struct {
	ID         string // Topical-Chat's conversation id; "" for Dialog bAbI
	Utterances []Utterance
}

// Replies returns the indices of the utterances that are replies to what
// came before, the examples of a reply model: every Bot utterance when the
// dialog has any (Dialog bAbI), otherwise every utterance after the first
// (Topical-Chat, where each turn answers the one before).
func (d Dialog) Replies() []int {
	var bot, all []int
	for i, u := range d.Utterances {
		if u.Speaker == Bot {
			bot = append(bot, i)
		}
		if i > 0 {
			all = append(all, i)
		}
	}
	if bot != nil {
		return bot
	}
	return all
}

// Normalize trims s and collapses each run of white space to one space:
// how every reader here stores text, and how a reply is compared with a
// candidate.
func Normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// SplitDialogs deals whole dialogs into train, dev and test sets, devFrac
// and testFrac of them held out (rounded as lib/data's SplitIndices does),
// by a shuffle drawn from seed, so that no conversation is on two sides.
// Each set keeps the input order. It panics when a fraction is outside
// [0, 1] or their sum is above 1.
func SplitDialogs(ds []Dialog, devFrac, testFrac float64, seed uint64) (train, dev, test []Dialog) {
	rng := rand.New(rand.NewPCG(seed, seed))
	trainIdx, held := data.SplitIndices(len(ds), devFrac+testFrac, rng)
	frac := 0.0
	if devFrac+testFrac > 0 {
		frac = testFrac / (devFrac + testFrac)
	}
	devIdx, testIdx := data.SplitIndices(len(held), frac, rng)
	pick := func(idx []int, from func(int) int) []Dialog {
		out := make([]Dialog, len(idx))
		for k, i := range idx {
			out[k] = ds[from(i)]
		}
		return out
	}
	same := func(i int) int { return i }
	heldAt := func(i int) int { return held[i] }
	return pick(trainIdx, same), pick(devIdx, heldAt), pick(testIdx, heldAt)
}
