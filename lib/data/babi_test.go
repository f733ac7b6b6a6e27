package data

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/seq2go/seq2go/lib/datasets"
)

// babiSample is the start of task 2's file with a task-8 question (a list
// answer) and a question without an answer added.
const babiSample = `1 Mary moved to the bathroom.
2 Sandra journeyed to the bedroom.
3 Mary got the football there.
4 John went to the kitchen.
5 Mary went back to the kitchen.
6 Mary went back to the garden.
7 Where is the football? 	garden	3 6
8 What is Mary carrying?	football,milk	3
1 John moved to the office.
2 How do you go from the office to the garden?
`

func TestReadBabi(t *testing.T) {
	got, err := ReadBabi(strings.NewReader(babiSample), "qa.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []BabiStory{
		{
			Sentences: []string{
				"Mary moved to the bathroom.", "Sandra journeyed to the bedroom.", "Mary got the football there.",
				"John went to the kitchen.", "Mary went back to the kitchen.", "Mary went back to the garden.",
			},
			Questions: []BabiQuestion{
				{Text: "Where is the football?", Answer: []string{"garden"}, Support: []int{2, 5}, Known: 6, Line: 7},
				{Text: "What is Mary carrying?", Answer: []string{"football", "milk"}, Support: []int{2}, Known: 6, Line: 8},
			},
		},
		{
			Sentences: []string{"John moved to the office."},
			Questions: []BabiQuestion{{Text: "How do you go from the office to the garden?", Known: 1, Line: 10}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadBabi:\n got %+v\nwant %+v", got, want)
	}
	if n := CountBabiQuestions(got); n != 3 {
		t.Errorf("CountBabiQuestions = %d, want 3", n)
	}
}

// TestReadBabiSupportAfterQuestion: IDs count question lines too, so a
// supporting fact told after a question keeps its place among the
// statements (task 2's "14 Where is the football? garden 12 6").
func TestReadBabiSupportAfterQuestion(t *testing.T) {
	in := "1 A went to the hall.\n2 Where is A?\thall\t1\n3 A took the milk.\n4 Where is the milk?\thall\t3 1\n"
	got, err := ReadBabi(strings.NewReader(in), "qa.txt")
	if err != nil {
		t.Fatal(err)
	}
	if q := got[0].Questions[1]; !reflect.DeepEqual(q.Support, []int{1, 0}) || q.Known != 2 {
		t.Errorf("second question: %+v", q)
	}
}

func TestReadBabiErrors(t *testing.T) {
	for _, test := range []struct{ name, in, want string }{
		{"no ID", "Mary moved.\n", `data: qa.txt:1: expected "ID text", got "Mary moved."`},
		{"ID zero", "0 Mary moved.\n", `data: qa.txt:1: expected "ID text", got "0 Mary moved."`},
		{"ID only", "1\n", `data: qa.txt:1: expected "ID text", got "1"`},
		{"no text", "1 \n", "data: qa.txt:1: expected text after the line ID 1"},
		{"first ID not 1", "2 Mary moved.\n", "data: qa.txt:1: expected line ID 1 to start the first story, got 2"},
		{"ID skipped", "1 A.\n2 B.\n4 C.\n", "data: qa.txt:3: expected line ID 3 (or 1 to start a story), got 4"},
		{"no answer", "1 A.\n2 Where?\t\t1\n", "data: qa.txt:2: expected an answer after the question's tab"},
		{"empty list item", "1 A.\n2 What?\tapple,,milk\t1\n", `data: qa.txt:2: expected answer words separated by commas, got "apple,,milk"`},
		{"four fields", "1 A.\n2 Where?\tx\t1\t2\n", "data: qa.txt:2: expected 3 tab-separated fields (question, answer, supporting facts), got more"},
		{"support not a number", "1 A.\n2 Where?\tx\tone\n", `data: qa.txt:2: expected supporting-fact IDs (numbers), got "one"`},
		{"support in the future", "1 A.\n2 Where?\tx\t3\n3 B.\n", "data: qa.txt:2: supporting fact 3 is not an earlier statement of the story"},
		{"support is a question", "1 A.\n2 Where?\tx\t1\n3 Who?\ty\t2\n", "data: qa.txt:3: supporting fact 2 is not an earlier statement of the story"},
		{"support of another story", "1 A.\n2 B.\n1 C.\n2 Where?\tx\t2\n", "data: qa.txt:4: supporting fact 2 is not an earlier statement of the story"},
		{"invalid UTF-8", "1 A.\n2 B\xff.\n", "data: qa.txt:2:4: invalid UTF-8 (byte 0xff)"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := ReadBabi(strings.NewReader(test.in), "qa.txt")
			if err == nil || err.Error() != test.want {
				t.Errorf("error %v, want %s", err, test.want)
			}
		})
	}
}

// TestReadBabiDatasets reads the 20 embedded task files: 1,000 questions
// each (the "1k" set), every answer and supporting fact in place, and the
// list answers of tasks 8 and 19.
func TestReadBabiDatasets(t *testing.T) {
	files := 0
	for _, file := range datasets.Files("babi-en-v1.2") {
		if !strings.HasSuffix(file, "_train.txt") {
			continue
		}
		files++
		r, err := datasets.OpenFile("babi-en-v1.2", file)
		if err != nil {
			t.Fatal(err)
		}
		stories, err := ReadBabi(r, file)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n := CountBabiQuestions(stories); n != 1000 {
			t.Errorf("%s: %d questions, want 1000", file, n)
		}
		lists := 0
		for _, s := range stories {
			for _, q := range s.Questions {
				if len(q.Answer) == 0 || len(q.Support) == 0 || q.Known > len(s.Sentences) {
					t.Fatalf("%s:%d: %+v", file, q.Line, q)
				}
				if len(q.Answer) > 1 {
					lists++
				}
			}
		}
		hasLists := strings.HasPrefix(file, "qa8_") || strings.HasPrefix(file, "qa19_")
		if hasLists != (lists > 0) {
			t.Errorf("%s: %d answers of several words", file, lists)
		}
	}
	if files != 20 {
		t.Errorf("%d task files, want 20", files)
	}
}

func TestReadPlainStory(t *testing.T) {
	in := "Mary moved to the bathroom.\n\n  Sandra took the milk there. \nWhere is the milk?\nWhere is Mary?"
	got, err := ReadPlainStory(strings.NewReader(in), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	want := BabiStory{
		Sentences: []string{"Mary moved to the bathroom.", "Sandra took the milk there."},
		Questions: []BabiQuestion{{Text: "Where is the milk?", Known: 2, Line: 4}, {Text: "Where is Mary?", Known: 2, Line: 5}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := ReadPlainStory(strings.NewReader("Mary moved.\n"), "stdin"); err == nil || err.Error() != `data: stdin: no question (a line ending in "?")` {
		t.Errorf("no question: %v", err)
	}
}

func TestReadBabiFile(t *testing.T) {
	dir := t.TempDir()
	good, empty := filepath.Join(dir, "good.txt"), filepath.Join(dir, "empty.txt")
	os.WriteFile(good, []byte(babiSample), 0o644)
	os.WriteFile(empty, []byte("1 Mary moved.\n"), 0o644)
	if s, err := ReadBabiFile(good); err != nil || len(s) != 2 {
		t.Errorf("good: %d stories, %v", len(s), err)
	}
	if _, err := ReadBabiFile(empty); err == nil || !strings.Contains(err.Error(), empty+": no questions") {
		t.Errorf("empty: %v", err)
	}
	if _, err := ReadBabiFile(filepath.Join(dir, "missing.txt")); err == nil {
		t.Error("missing file: no error")
	}
}

// FuzzReadBabi checks that no input makes ReadBabi panic, that every error
// names the file and line, and that what it returns is well formed: the
// supporting facts and Known point into the story, answers have words.
func FuzzReadBabi(f *testing.F) {
	f.Add(babiSample)
	f.Add("1 A.\n2 Where?\tx\t1\n1 B?\n")
	f.Add("1 A.\n2 W?\ta,b\t1 1\n3 \t\t\n")
	f.Add("\uFEFF1 A.\r\n2 W?\tx\t+1\n")
	f.Fuzz(func(t *testing.T, in string) {
		stories, err := ReadBabi(strings.NewReader(in), "fuzz.txt")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "data: fuzz.txt:") {
				t.Fatalf("error without file and line: %v", err)
			}
			return
		}
		for _, s := range stories {
			for _, x := range s.Sentences {
				if x == "" || strings.ContainsAny(x, "\t\n") || !utf8.ValidString(x) {
					t.Fatalf("bad sentence %q", x)
				}
			}
			for _, q := range s.Questions {
				if q.Text == "" || q.Known < 0 || q.Known > len(s.Sentences) {
					t.Fatalf("bad question %+v in a story of %d sentences", q, len(s.Sentences))
				}
				for _, i := range q.Support {
					if i < 0 || i >= q.Known {
						t.Fatalf("support %d outside the %d sentences before %+v", i, q.Known, q)
					}
				}
				for _, w := range q.Answer {
					if w == "" || strings.ContainsAny(w, ", \t\n") {
						t.Fatalf("bad answer word %q", w)
					}
				}
			}
		}
	})
}
