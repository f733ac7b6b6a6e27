package smartreply

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/dialog"
)

func TestContext(t *testing.T) {
	h := []Turn{
		{Them, "hi there"}, {Me, "hello"}, {KB, "resto R_rating 8"}, {Them, "book a table"},
	}
	for _, c := range []struct {
		turns, max int
		want       string
	}{
		{0, 0, "<them> hi there <me> hello <kb> resto R_rating 8 <them> book a table"},
		{1, 0, "<them> book a table"},
		{2, 0, "<kb> resto R_rating 8 <them> book a table"},
		{0, 12, "<me> hello <kb> resto R_rating 8 <them> book a table"}, // the oldest turn goes first
		{0, 9, "<kb> resto R_rating 8 <them> book a table"},             // then the next, facts last
		{0, 4, "<them> book a table"},                                   // then facts too
		{0, 2, "a table"},                                               // the last turn keeps its end
	} {
		got := strings.Join(Context(SpaceTokens, h, c.turns, c.max), " ")
		if got != c.want {
			t.Errorf("turns %d max %d: %q, want %q", c.turns, c.max, got, c.want)
		}
	}
}

func TestExamples(t *testing.T) {
	in := "1 hi\thello\n2 <SILENCE>\twhere\n3 r R_rating 8\n4 rome\tok\n"
	ds, err := dialog.ReadBabi(strings.NewReader(in), "t.txt")
	if err != nil {
		t.Fatal(err)
	}
	ex := Examples(ds)
	if len(ex) != 3 {
		t.Fatalf("%d examples, want 3", len(ex))
	}
	got := fmt.Sprint(ex[2].Context, " → ", ex[2].Reply)
	want := "[{<them> hi} {<me> hello} {<them> <SILENCE>} {<me> where} {<kb> r R_rating 8} {<them> rome}] → ok"
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	// Topical-Chat: the replier's own turns are Me, whoever it is.
	chat := []dialog.Dialog{{Utterances: []dialog.Utterance{{Speaker: "agent_1", Text: "a"}, {Speaker: "agent_2", Text: "b"}, {Speaker: "agent_1", Text: "c"}}}}
	ex = Examples(chat)
	if got := fmt.Sprint(ex[1].Context, " → ", ex[1].Reply); got != "[{<me> a} {<them> b}] → c" {
		t.Errorf("chat: %s", got)
	}
}

func TestMineResponses(t *testing.T) {
	replies := []string{"You too!", "you too", "you too.", "bye", "Bye", "that is a very long reply of many words indeed", "ok", "  ", "Bye"}
	var got []string
	for _, r := range MineResponses(replies, WordTokens, 5, 2) {
		got = append(got, fmt.Sprintf("%s×%d", r.Text, r.Count))
	}
	// "you too": its spellings are seen once each, so the first shows;
	// "Bye" beats "bye" 2 to 1; equal counts go by text; "ok" is too rare,
	// the long one too long, the blank one empty.
	if want := "[Bye×3 You too!×3]"; fmt.Sprint(got) != want {
		t.Errorf("MineResponses = %v, want %s", got, want)
	}
	if got := GivenResponses([]string{"a  b", "a b", "", "c"}); len(got) != 2 || got[0].Text != "a b" {
		t.Errorf("GivenResponses = %v", got)
	}
	if k := Key("You too!"); k != "you too" {
		t.Errorf("Key = %q", k)
	}
}
