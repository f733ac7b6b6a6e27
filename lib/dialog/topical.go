package dialog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// ReadTopicalChat reads a Topical-Chat conversations file (see the package
// documentation): one Dialog per conversation, in file order, ID its
// conversation id, one Utterance per turn with the agent as Speaker and
// Line the line the turn's object starts on. The other fields of a turn
// (sentiment, knowledge source, rating) are not kept. Line is the line on
// which the turn's object opens. name is the file
// name for errors:
//
//	dialog: valid_freq.json:3: invalid character '}' looking for beginning of object key string
//	dialog: valid_freq.json:41: conversation "t_…" turn 3: agent "agent_3" (want agent_1 or agent_2)
//	dialog: valid_freq.json:52: conversation "t_…" turn 4: empty message
func ReadTopicalChat(r io.Reader, name string) ([]Dialog, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("dialog: %s: %w", name, err)
	}
	if !utf8.Valid(raw) {
		return nil, fmt.Errorf("dialog: %s:%d: invalid UTF-8", name, (&lines{b: raw, line: 1}).at(invalidAt(raw)))
	}
	ln := &lines{b: raw, line: 1}
	dec := json.NewDecoder(bytes.NewReader(raw))
	fail := func(off int64, format string, args ...any) error {
		return fmt.Errorf("dialog: %s:%d: %s", name, ln.at(int(off)), fmt.Sprintf(format, args...))
	}
	jsonErr := func(err error) error {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			off, err = int64(len(raw)), io.ErrUnexpectedEOF
		}
		return fail(off, "%v", err)
	}
	if tok, err := dec.Token(); err != nil {
		return nil, jsonErr(err)
	} else if tok != json.Delim('{') {
		return nil, fail(dec.InputOffset(), "want a JSON object of conversations, got %v", tok)
	}
	var out []Dialog
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err)
		}
		id := tok.(string) // an object key is a string, or Token fails
		at := dec.InputOffset()
		var conv struct {
			Content []json.RawMessage `json:"content"`
		}
		if err := dec.Decode(&conv); err != nil {
			return nil, jsonErr(err)
		}
		if len(conv.Content) == 0 {
			return nil, fail(at, "conversation %q has no turns (want \"content\": [{\"agent\", \"message\"}, …])", id)
		}
		d := Dialog{ID: id}
		pos := int(at)
		for k, rawTurn := range conv.Content {
			// A RawMessage holds the turn's bytes as they are in the file:
			// finding them gives the line of the turn.
			if i := bytes.Index(raw[pos:], rawTurn); i >= 0 {
				pos += i
			}
			var t struct {
				Agent   *string `json:"agent"`
				Message *string `json:"message"`
			}
			if err := json.Unmarshal(rawTurn, &t); err != nil {
				return nil, fail(int64(pos), "conversation %q turn %d: want an object with \"agent\" and \"message\" strings: %v", id, k+1, err)
			}
			switch {
			case t.Agent == nil || t.Message == nil:
				return nil, fail(int64(pos), "conversation %q turn %d: want \"agent\" and \"message\"", id, k+1)
			case *t.Agent != "agent_1" && *t.Agent != "agent_2":
				return nil, fail(int64(pos), "conversation %q turn %d: agent %q (want agent_1 or agent_2)", id, k+1, *t.Agent)
			}
			// An empty message is kept (a worker sent nothing): it is still a turn.
			d.Utterances = append(d.Utterances, Utterance{Speaker: *t.Agent, Text: Normalize(*t.Message), Line: ln.at(pos)})
		}
		out = append(out, d)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, jsonErr(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail(dec.InputOffset(), "want the end of the file after the object of conversations")
	}
	return out, nil
}

// lines finds the line of a byte offset of b, counting from the offset
// it was last asked about when the new one is further on, so that asking
// in file order reads b once.
type lines struct {
	b         []byte
	off, line int // the last offset asked about, and its line
}

// at returns the line (1 for the first) of byte offset off.
func (l *lines) at(off int) int {
	off = min(max(off, 0), len(l.b))
	if off < l.off {
		l.off, l.line = 0, 1
	}
	l.line += bytes.Count(l.b[l.off:off], []byte("\n"))
	l.off = off
	return l.line
}

// invalidAt returns the offset of the first invalid UTF-8 byte of b.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}
