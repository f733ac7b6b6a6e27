package data

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// BabiStory is one story of a bAbI question-answering file (Weston et al.
// 2015, "Towards AI-Complete Question Answering"): the statements in the
// order they are told and the questions asked along the way. A question may
// be answered from the statements told before it, Sentences[:Known].
type BabiStory struct {
	Sentences []string // the statements, without their line numbers
	Questions []BabiQuestion
}

// BabiQuestion is one question of a story.
type BabiQuestion struct {
	Text string // "Where is the milk?"
	// Answer holds the answer's words: ["garden"], and for the answers
	// that are lists or paths, task 8's "apple,milk" and task 19's "n,w",
	// ["apple" "milk"] and ["n" "w"]. nil for a question without an answer
	// (plain text for a model to answer). strings.Join(Answer, ",") gives
	// the answer as the file spells it.
	Answer []string
	// Support holds the supporting facts: indices into the story's
	// Sentences, in the file's order.
	Support []int
	Known   int // how many of the story's Sentences come before the question
	Line    int // the question's line in the file, 1-based, for messages
}

// ReadBabi reads a bAbI task file. Every line is "ID text", IDs counting
// from 1 in each story; a line with ID 1 starts a new story. A question
// line is
//
//	ID question<TAB>answer<TAB>supporting-fact IDs
//
// for example "7 Where is the football? \tgarden\t3 6": the answer is one
// word or several joined by commas ("apple,milk"), the supporting facts are
// the IDs of earlier statements of the story, separated by spaces. Text is
// kept as it is, but for the white space around it. A line without a tab
// that ends in "?" is a question without an answer, so the same reader
// takes a story for a model to answer. Empty lines are skipped.
//
// name is the file name to put in errors, which give the line and what was
// expected:
//
//	data: qa2_train.txt:14: expected line ID 14 (or 1 to start a story), got 15
//	data: qa2_train.txt:7: supporting fact 8 is not an earlier statement of the story
//
// Line ends may be "\n" or "\r\n", and a UTF-8 byte-order mark at the start
// is dropped.
func ReadBabi(r io.Reader, name string) ([]BabiStory, error) {
	lr := newLineReader(r, name)
	var (
		stories []BabiStory
		story   *BabiStory
		lastID  int
		stmt    map[int]int // statement ID -> index in story.Sentences
	)
	for {
		line, err := lr.next()
		if err == io.EOF {
			return stories, nil
		}
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		idText, text, ok := strings.Cut(line, " ")
		id, err := strconv.Atoi(idText)
		if !ok || err != nil || id < 1 || idText[0] == '+' {
			return nil, lr.errorf("expected %q, got %q", "ID text", clip(line))
		}
		switch {
		case id == 1:
			stories = append(stories, BabiStory{})
			story, stmt = &stories[len(stories)-1], map[int]int{}
		case story == nil:
			return nil, lr.errorf("expected line ID 1 to start the first story, got %d", id)
		case id != lastID+1:
			return nil, lr.errorf("expected line ID %d (or 1 to start a story), got %d", lastID+1, id)
		}
		lastID = id
		q, rest, isQA := strings.Cut(text, "\t")
		q = strings.TrimSpace(q)
		if q == "" {
			return nil, lr.errorf("expected text after the line ID %d", id)
		}
		if !isQA && !strings.HasSuffix(q, "?") {
			stmt[id] = len(story.Sentences)
			story.Sentences = append(story.Sentences, q)
			continue
		}
		qa := BabiQuestion{Text: q, Known: len(story.Sentences), Line: lr.line}
		if isQA {
			if err := parseAnswer(&qa, rest, stmt, lr); err != nil {
				return nil, err
			}
		}
		story.Questions = append(story.Questions, qa)
	}
}

// parseAnswer reads "answer<TAB>supporting-fact IDs" into q.
func parseAnswer(q *BabiQuestion, s string, stmt map[int]int, lr *lineReader) error {
	answer, support, _ := strings.Cut(s, "\t")
	if strings.Contains(support, "\t") {
		return lr.errorf("expected 3 tab-separated fields (question, answer, supporting facts), got more")
	}
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return lr.errorf("expected an answer after the question's tab")
	}
	for _, w := range strings.Split(answer, ",") {
		w = strings.TrimSpace(w)
		if w == "" || strings.ContainsAny(w, " ") {
			return lr.errorf("expected answer words separated by commas, got %q", answer)
		}
		q.Answer = append(q.Answer, w)
	}
	for _, f := range strings.Fields(support) {
		id, err := strconv.Atoi(f)
		if err != nil {
			return lr.errorf("expected supporting-fact IDs (numbers), got %q", f)
		}
		i, ok := stmt[id]
		if !ok {
			return lr.errorf("supporting fact %d is not an earlier statement of the story", id)
		}
		q.Support = append(q.Support, i)
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	const most = 40
	if r := []rune(s); len(r) > most {
		return string(r[:most]) + "…"
	}
	return s
}

// ReadBabiFile reads the bAbI file at path with [ReadBabi]; its errors name
// the file. A file without a single question is an error too.
func ReadBabiFile(path string) ([]BabiStory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	stories, err := ReadBabi(f, path)
	if err == nil && CountBabiQuestions(stories) == 0 {
		err = fmt.Errorf("data: %s: no questions", path)
	}
	return stories, err
}

// CountBabiQuestions returns the number of questions of stories.
func CountBabiQuestions(stories []BabiStory) int {
	n := 0
	for _, s := range stories {
		n += len(s.Questions)
	}
	return n
}

// ReadPlainStory reads one story in plain text for a model to answer: a
// sentence a line, without line numbers; a line that ends in "?" is a
// question (without an answer), every other non-empty line a statement.
// It is the talk's form of a story:
//
//	Mary moved to the bathroom.
//	Sandra went to the garden.
//	Sandra took the milk there.
//	Where is the milk?
//
// An input without a single question is an error naming the file.
func ReadPlainStory(r io.Reader, name string) (BabiStory, error) {
	lr := newLineReader(r, name)
	var story BabiStory
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return BabiStory{}, err
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasSuffix(line, "?"):
			story.Questions = append(story.Questions, BabiQuestion{Text: line, Known: len(story.Sentences), Line: lr.line})
		default:
			story.Sentences = append(story.Sentences, line)
		}
	}
	if len(story.Questions) == 0 {
		return BabiStory{}, fmt.Errorf("data: %s: no question (a line ending in \"?\")", name)
	}
	return story, nil
}
