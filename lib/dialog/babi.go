package dialog

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/seq2go/seq2go/lib/data"
)

// ReadBabi reads a Dialog bAbI file (see the package documentation): one
// Dialog per conversation, in file order. name is the file name for errors,
// which give the line:
//
//	dialog: task1.txt:7: want "ID text", got "hello" (no line number)
//	dialog: task1.txt:12: want ID 5 (a dialog's lines are numbered 1, 2, …) or 1, got 7
//	dialog: task1.txt:9: empty bot utterance after the TAB
func ReadBabi(r io.Reader, name string) ([]Dialog, error) {
	lines, err := data.ReadLines(r, name)
	if err != nil {
		return nil, fmt.Errorf("dialog: %w", err)
	}
	var out []Dialog
	var cur *Dialog
	next := 1 // the number the next line of the current dialog must carry
	for k, line := range lines {
		n := k + 1
		if strings.TrimSpace(line) == "" {
			cur, next = nil, 1
			continue
		}
		id, rest, ok := strings.Cut(line, " ")
		num, err := strconv.Atoi(id)
		if !ok || err != nil || num < 1 {
			return nil, fmt.Errorf("dialog: %s:%d: want \"ID text\" with a line number ID ≥ 1, got %q", name, n, clip(line))
		}
		if num == 1 {
			out = append(out, Dialog{})
			cur, next = &out[len(out)-1], 1
		}
		if cur == nil || num != next {
			return nil, fmt.Errorf("dialog: %s:%d: want ID %d (a dialog's lines are numbered 1, 2, …) or 1, got %d", name, n, next, num)
		}
		next++
		user, bot, turn := strings.Cut(rest, "\t")
		if !turn {
			fact := Normalize(rest)
			if fact == "" {
				return nil, fmt.Errorf("dialog: %s:%d: empty line after its number", name, n)
			}
			cur.Utterances = append(cur.Utterances, Utterance{Speaker: Fact, Text: fact, Line: n})
			continue
		}
		if strings.Contains(bot, "\t") {
			return nil, fmt.Errorf("dialog: %s:%d: want \"ID user<TAB>bot\", got more than one TAB", name, n)
		}
		user, bot = Normalize(user), Normalize(bot)
		if user == "" {
			user = Silence // task 6: the recogniser heard nothing (6 lines of the training file)
		}
		if bot == "" {
			return nil, fmt.Errorf("dialog: %s:%d: empty bot utterance after the TAB", name, n)
		}
		cur.Utterances = append(cur.Utterances,
			Utterance{Speaker: User, Text: user, Line: n},
			Utterance{Speaker: Bot, Text: bot, Line: n})
	}
	return out, nil
}

// ReadCandidates reads a Dialog bAbI candidate file, "1 <bot utterance>"
// a line, and returns the utterances normalised (see Normalize), in file
// order, duplicates kept. Blank lines are skipped. name is the file name
// for errors:
//
//	dialog: candidates.txt:3: want "1 <utterance>", got "api_call"
func ReadCandidates(r io.Reader, name string) ([]string, error) {
	lines, err := data.ReadLines(r, name)
	if err != nil {
		return nil, fmt.Errorf("dialog: %w", err)
	}
	var out []string
	for k, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		id, text, ok := strings.Cut(line, " ")
		text = Normalize(text)
		if !ok || id != "1" || text == "" {
			return nil, fmt.Errorf("dialog: %s:%d: want \"1 <utterance>\", got %q", name, k+1, clip(line))
		}
		out = append(out, text)
	}
	return out, nil
}

// clip shortens a line for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
