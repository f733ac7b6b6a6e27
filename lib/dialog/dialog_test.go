package dialog

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
)

// open returns an embedded file, failing the test when it is missing.
func open(t testing.TB, set, file string) io.ReadCloser {
	t.Helper()
	r, err := datasets.OpenFile(set, file)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func readBabi(t testing.TB, set, file string) []Dialog {
	t.Helper()
	r := open(t, set, file)
	defer r.Close()
	ds, err := ReadBabi(r, file)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestBabiFiles reads every embedded Dialog bAbI file: the dialog and bot
// turn counts are those of the SOURCE.md tables, and every bot turn is one
// of its task's candidates (as the release says: the candidates are all
// bot utterances of train, dev and test).
func TestBabiFiles(t *testing.T) {
	cands := map[string]map[string]bool{}
	for _, c := range []struct{ set, file string }{
		{"dialog-babi", "dialog-babi-candidates.txt"},
		{"dialog-babi-task6", "dialog-babi-task6-dstc2-candidates.txt"},
	} {
		r := open(t, c.set, c.file)
		list, err := ReadCandidates(r, c.file)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		cands[c.set] = map[string]bool{}
		for _, s := range list {
			cands[c.set][s] = true
		}
	}
	if n := len(cands["dialog-babi"]); n != 4212 {
		t.Errorf("tasks 1–5: %d distinct candidates, want 4212", n)
	}
	for _, c := range []struct {
		set, file     string
		dialogs, bots int
	}{
		{"dialog-babi", "dialog-babi-task1trn.txt", 1000, 6024},
		{"dialog-babi", "dialog-babi-task1dev.txt", 1000, 6015},
		{"dialog-babi", "dialog-babi-task2trn.txt", 1000, 9498},
		{"dialog-babi", "dialog-babi-task2dev.txt", 1000, 9513},
		{"dialog-babi", "dialog-babi-task3trn.txt", 1000, 9855},
		{"dialog-babi", "dialog-babi-task3dev.txt", 1000, 9978},
		{"dialog-babi", "dialog-babi-task4trn.txt", 1000, 3507},
		{"dialog-babi", "dialog-babi-task4dev.txt", 1000, 3529},
		{"dialog-babi-task5", "dialog-babi-task5trn.txt", 1000, 18340},
		{"dialog-babi-task5", "dialog-babi-task5dev.txt", 1000, 18457},
		{"dialog-babi-task6", "dialog-babi-task6trn.txt", 1618, 14404},
		{"dialog-babi-task6", "dialog-babi-task6dev.txt", 500, 4159},
	} {
		ds := readBabi(t, c.set, c.file)
		set := cands[c.set]
		if set == nil {
			set = cands["dialog-babi"]
		}
		bots, missing := 0, 0
		for _, d := range ds {
			for _, i := range d.Replies() {
				bots++
				if !set[d.Utterances[i].Text] {
					missing++
				}
			}
		}
		if len(ds) != c.dialogs || bots != c.bots || missing != 0 {
			t.Errorf("%s: %d dialogs, %d bot turns, %d not among the candidates; want %d, %d, 0", c.file, len(ds), bots, missing, c.dialogs, c.bots)
		}
	}
}

func TestBabiQuirks(t *testing.T) {
	in := "1 hi\thello  what can i help you with today\n" +
		"2 <SILENCE>\twhere should it be\n" +
		"3 resto_1 R_phone resto_1_phone\n" +
		"4 api_call no result\n" +
		"5 thank you\t you are welcome\n" +
		"6 \tOk , any part of town\n" +
		"\n" +
		"1 <SILENCE>\tHello , welcome\n"
	ds, err := ReadBabi(strings.NewReader(in), "quirks.txt")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		var s []string
		for _, u := range d.Utterances {
			s = append(s, fmt.Sprintf("%d %s: %s", u.Line, u.Speaker, u.Text))
		}
		got = append(got, strings.Join(s, " | "))
	}
	want := []string{
		"1 user: hi | 1 bot: hello what can i help you with today | 2 user: <SILENCE> | 2 bot: where should it be | 3 kb: resto_1 R_phone resto_1_phone | 4 kb: api_call no result | 5 user: thank you | 5 bot: you are welcome | 6 user: <SILENCE> | 6 bot: Ok , any part of town",
		"8 user: <SILENCE> | 8 bot: Hello , welcome",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r := ds[0].Replies(); fmt.Sprint(r) != "[1 3 7 9]" {
		t.Errorf("Replies = %v, want [1 3 7 9]", r)
	}
}

func TestReadErrors(t *testing.T) {
	for _, c := range []struct{ read, in, want string }{
		{"babi", "hello\tthere\n", `dialog: f.txt:1: want "ID text" with a line number ID ≥ 1, got "hello\tthere"`},
		{"babi", "1 hi\tho\n3 a\tb\n", "dialog: f.txt:2: want ID 2 (a dialog's lines are numbered 1, 2, …) or 1, got 3"},
		{"babi", "2 hi\tho\n", "dialog: f.txt:1: want ID 1 (a dialog's lines are numbered 1, 2, …) or 1, got 2"},
		{"babi", "1 hi\t \n", "dialog: f.txt:1: empty bot utterance after the TAB"},
		{"babi", "1 a\tb\tc\n", `dialog: f.txt:1: want "ID user<TAB>bot", got more than one TAB`},
		{"babi", "1 hi\tho\n2 \xff\tx\n", "dialog: data: f.txt:2:3: invalid UTF-8 (byte 0xff)"},
		{"candidates", "1 hello\n2 bye\n", `dialog: f.txt:2: want "1 <utterance>", got "2 bye"`},
		{"candidates", "1 hello\n1 \n", `dialog: f.txt:2: want "1 <utterance>", got "1 "`},
		{"topical", "[]", "dialog: f.txt:1: want a JSON object of conversations, got ["},
		{"topical", "{\n \"a\": {\"content\": []}\n}", `dialog: f.txt:2: conversation "a" has no turns (want "content": [{"agent", "message"}, …])`},
		{"topical", "{\"a\": {\"content\": [\n{\"agent\": \"agent_1\", \"message\": \"hi\"},\n{\"agent\": \"agent_3\", \"message\": \"x\"}]}}", `dialog: f.txt:3: conversation "a" turn 2: agent "agent_3" (want agent_1 or agent_2)`},
		{"topical", "{\"a\": {\"content\": [{\"agent\": \"agent_1\"}]}}", `dialog: f.txt:1: conversation "a" turn 1: want "agent" and "message"`},
		{"topical", "{\"a\": {\"content\": [{\"agent\": 1, \"message\": \"x\"}]}}", `dialog: f.txt:1: conversation "a" turn 1: want an object with "agent" and "message" strings: json: cannot unmarshal number into Go struct field .agent of type string`},
		{"topical", "{\n\"a\": {\"content\": [\n", "dialog: f.txt:3: unexpected EOF"},
		{"topical", "{\n\n\"a\": }", "dialog: f.txt:3: invalid character '}' looking for beginning of value"},
		{"topical", "{}\n{}", "dialog: f.txt:2: want the end of the file after the object of conversations"},
		{"topical", "{\"a\xff\": 1}", "dialog: f.txt:1: invalid UTF-8"},
	} {
		var err error
		switch c.read {
		case "babi":
			_, err = ReadBabi(strings.NewReader(c.in), "f.txt")
		case "candidates":
			_, err = ReadCandidates(strings.NewReader(c.in), "f.txt")
		case "topical":
			_, err = ReadTopicalChat(strings.NewReader(c.in), "f.txt")
		}
		if err == nil || err.Error() != c.want {
			t.Errorf("%s %q:\n got %v\nwant %s", c.read, c.in, err, c.want)
		}
	}
}

// TestTopicalChat reads both embedded files: the conversation and turn
// counts of SOURCE.md, turns alternating between the agents.
func TestTopicalChat(t *testing.T) {
	total := 0
	for _, c := range []struct {
		file         string
		convs, turns int
	}{{"valid_freq.json", 539, 11681}, {"valid_rare.json", 539, 11692}} {
		r := open(t, "topical-chat", c.file)
		ds, err := ReadTopicalChat(r, c.file)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		turns, alternate := 0, true
		for _, d := range ds {
			turns += len(d.Utterances)
			total += len(d.Replies())
			for i := 1; i < len(d.Utterances); i++ {
				alternate = alternate && d.Utterances[i].Speaker != d.Utterances[i-1].Speaker
			}
		}
		if len(ds) != c.convs || turns != c.turns || !alternate {
			t.Errorf("%s: %d conversations, %d turns, alternating %v; want %d, %d, true", c.file, len(ds), turns, alternate, c.convs, c.turns)
		}
		if c.file == "valid_freq.json" {
			u := ds[0].Utterances[1]
			if ds[0].ID != "t_a2b769a0-c082-4c26-8d8d-e2c5b8a79d93" || u.Text != "yes, I'm. a football fan." || u.Line != 18 {
				t.Errorf("first conversation %q, its second turn %+v", ds[0].ID, u)
			}
		}
	}
	if total != 22295 { // 23,373 turns less the first turn of each of 1,078 conversations
		t.Errorf("%d message→reply pairs, want 22295", total)
	}
}

func TestSplitDialogs(t *testing.T) {
	ds := make([]Dialog, 100)
	for i := range ds {
		ds[i].ID = fmt.Sprint(i)
	}
	train, dev, test := SplitDialogs(ds, 0.1, 0.1, 1)
	if len(train) != 80 || len(dev) != 10 || len(test) != 10 {
		t.Fatalf("sizes %d/%d/%d, want 80/10/10", len(train), len(dev), len(test))
	}
	seen := map[string]int{}
	for _, set := range [][]Dialog{train, dev, test} {
		for _, d := range set {
			seen[d.ID]++
		}
	}
	if len(seen) != 100 {
		t.Errorf("%d distinct dialogs over the three sets, want 100 (each on one side)", len(seen))
	}
	again, _, _ := SplitDialogs(ds, 0.1, 0.1, 1)
	if fmt.Sprint(again) != fmt.Sprint(train) {
		t.Error("the same seed gave another split")
	}
}

func FuzzReadBabi(f *testing.F) {
	f.Add("1 hi\thello\n2 <SILENCE>\tok\n3 r R_phone p\n\n1 a\tb\n")
	f.Add("1 x\n2 y\t\n")
	f.Fuzz(func(t *testing.T, in string) {
		ds, err := ReadBabi(strings.NewReader(in), "fuzz.txt")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dialog: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		for _, d := range ds {
			for _, u := range d.Utterances {
				if u.Text == "" || u.Text != Normalize(u.Text) || u.Line < 1 {
					t.Fatalf("bad utterance %+v", u)
				}
			}
		}
	})
}

func FuzzReadCandidates(f *testing.F) {
	f.Add("1 api_call italian rome six cheap\n1 hello\n")
	f.Fuzz(func(t *testing.T, in string) {
		cs, err := ReadCandidates(strings.NewReader(in), "fuzz.txt")
		if err != nil {
			return
		}
		for _, c := range cs {
			if c == "" || c != Normalize(c) {
				t.Fatalf("bad candidate %q", c)
			}
		}
	})
}

func FuzzReadTopicalChat(f *testing.F) {
	f.Add(`{"t_1": {"config": "A", "content": [{"message": "hi", "agent": "agent_1"}, {"message": " yo ", "agent": "agent_2"}]}}`)
	f.Add("{\n\"a\": {\"content\": [\n")
	f.Fuzz(func(t *testing.T, in string) {
		ds, err := ReadTopicalChat(strings.NewReader(in), "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dialog: fuzz.json:") {
				t.Errorf("error without file and line: %v", err)
			}
			return
		}
		for _, d := range ds {
			if len(d.Utterances) == 0 {
				t.Fatal("a conversation without turns")
			}
			for _, u := range d.Utterances {
				if u.Line < 1 || u.Text != Normalize(u.Text) {
					t.Fatalf("bad utterance %+v", u)
				}
			}
		}
	})
}
