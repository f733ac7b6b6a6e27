package smartreply

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/dialog"
)

// The tokenizers a Model may use (Config.Tokenizer).
const (
	// SpaceTokens splits on white space and keeps the tokens as they are:
	// for text that is tokenized already (Dialog bAbI, whose entities such
	// as "resto_rome_cheap_indian_6stars_phone" are one token each).
	SpaceTokens = "space"
	// WordTokens lower-cases and splits words from punctuation
	// (data.TokenizeLower): for raw text such as Topical-Chat's.
	WordTokens = "words"
)

// Tokenize splits s with the named tokenizer (SpaceTokens or WordTokens).
// It panics on another name: Config.check catches a bad one first.
func Tokenize(tokenizer, s string) []string {
	switch tokenizer {
	case SpaceTokens:
		return strings.Fields(s)
	case WordTokens:
		return data.TokenizeLower(s)
	}
	panic(fmt.Sprintf("smartreply: unknown tokenizer %q", tokenizer))
}

// The speaker marks in front of every utterance of a context: what the
// other side said, what the replier itself said before, and a
// knowledge-base fact.
const (
	Them = "<them>"
	Me   = "<me>"
	KB   = "<kb>"
)

// Turn is one utterance of a conversation as the replier sees it.
type Turn struct {
	Mark string // Them, Me or KB
	Text string
}

// Context turns the turns of a conversation, oldest first, into the
// encoder's input: each turn's tokens after its mark,
//
//	<them> hi <me> hello what can i help you with today <them> … <kb> resto_1 R_rating 8 …
//
// keeping only the last turns (all when turns ≤ 0) and then at most
// maxTokens tokens (no limit when ≤ 0): the oldest Them and Me turns are
// dropped first, knowledge-base facts only when nothing else is left, so
// that the facts an API call returned stay in view; what is kept stays in
// order. A turn longer than maxTokens on its own keeps its last tokens.
func Context(tokenizer string, history []Turn, turns, maxTokens int) []string {
	if turns > 0 && len(history) > turns {
		history = history[len(history)-turns:]
	}
	toks := make([][]string, len(history))
	total := 0
	for i, t := range history {
		toks[i] = append([]string{t.Mark}, Tokenize(tokenizer, t.Text)...)
		total += len(toks[i])
	}
	if maxTokens > 0 {
		for _, facts := range []bool{false, true} {
			for i := range toks {
				if total <= maxTokens {
					break
				}
				if (history[i].Mark == KB) == facts && toks[i] != nil && i < len(toks)-1 {
					total -= len(toks[i])
					toks[i] = nil
				}
			}
		}
	}
	var out []string
	for _, t := range toks {
		out = append(out, t...)
	}
	if maxTokens > 0 && len(out) > maxTokens {
		out = out[len(out)-maxTokens:]
	}
	return out
}

// Example is one training or test example: a context and the reply that
// followed it.
type Example struct {
	Context []Turn // the conversation before the reply, oldest first
	Reply   string // the reply, white space normalised
	Dialog  int    // the index of the conversation it came from
}

// Examples returns one Example per reply of each dialog (dialog.Replies):
// for Dialog bAbI every bot turn, with the user's turns as Them, the bot's
// as Me and the facts as KB; for Topical-Chat every turn after the first,
// the replier's own earlier turns as Me and the other agent's as Them.
// Dialog is the index into ds.
func Examples(ds []dialog.Dialog) []Example {
	var out []Example
	for k, d := range ds {
		for _, i := range d.Replies() {
			me := d.Utterances[i].Speaker
			ctx := make([]Turn, i)
			for j, u := range d.Utterances[:i] {
				mark := Them
				switch {
				case u.Speaker == dialog.Fact:
					mark = KB
				case u.Speaker == me:
					mark = Me
				}
				ctx[j] = Turn{Mark: mark, Text: u.Text}
			}
			out = append(out, Example{Context: ctx, Reply: d.Utterances[i].Text, Dialog: k})
		}
	}
	return out
}

// Key is the form under which replies count as the same when a response
// set is mined: the tokens of WordTokens without punctuation, joined by
// spaces, so that "You too!", "you too." and "you too" are one reply.
func Key(s string) string {
	var words []string
	for _, t := range data.TokenizeLower(s) {
		if strings.IndexFunc(t, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			words = append(words, t)
		}
	}
	return strings.Join(words, " ")
}
