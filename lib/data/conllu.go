package data

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// The ten columns of a CoNLL-U token line, in file order
// (universaldependencies.org/format.html). A [Token] is indexed by them:
// tok[ColUPOS] is its universal part-of-speech tag.
const (
	ColID     = iota // word index from 1; "3-4" for a multiword token, "8.1" for an empty node
	ColForm          // the word form as written
	ColLemma         // lemma
	ColUPOS          // universal part-of-speech tag (17 tags: NOUN, VERB, ...)
	ColXPOS          // language-specific tag (Penn Treebank's for English: NN, VBZ, ...)
	ColFeats         // morphological features
	ColHead          // head word's ID, 0 for the root
	ColDeprel        // dependency relation to the head
	ColDeps          // enhanced dependency graph
	ColMisc          // anything else (SpaceAfter=No, ...)
	conlluColumns
)

// Token is one token line of a CoNLL-U sentence: its ten columns as they
// are in the file, "_" for an empty value. A token is one of three kinds,
// told apart by its ID: a syntactic word ("7"), a multiword token that
// spans words ("3-4", the surface "don't" over "do" and "n't"), or an empty
// node of the enhanced graph ("8.1"). Only syntactic words carry tags.
type Token [conlluColumns]string

// IsWord reports whether t is a syntactic word: an integer ID.
func (t Token) IsWord() bool { return !strings.ContainsAny(t[ColID], "-.") }

// IsMultiword reports whether t is a multiword token, an ID range "a-b".
func (t Token) IsMultiword() bool { return strings.Contains(t[ColID], "-") }

// IsEmptyNode reports whether t is an empty node, an ID "a.b".
func (t Token) IsEmptyNode() bool { return strings.Contains(t[ColID], ".") }

// Sentence is one CoNLL-U sentence: its comment lines ("# sent_id = …",
// "# text = …", with the "#") and its token lines, all kept as read, so that
// writing it back changes nothing but what the caller changed.
type Sentence struct {
	Comments []string
	Tokens   []Token
}

// NewSentence returns a sentence of the given words, numbered from 1, with
// every other column "_": plain text, tokenised, to be tagged.
func NewSentence(words []string) Sentence {
	s := Sentence{Tokens: make([]Token, len(words))}
	for i, w := range words {
		t := &s.Tokens[i]
		for c := range t {
			t[c] = "_"
		}
		t[ColID], t[ColForm] = strconv.Itoa(i+1), w
	}
	return s
}

// Len returns the number of syntactic words.
func (s *Sentence) Len() int {
	n := 0
	for _, t := range s.Tokens {
		if t.IsWord() {
			n++
		}
	}
	return n
}

// Column returns column col (ColForm, ColUPOS, …) of each syntactic word,
// in order; multiword tokens and empty nodes are skipped.
func (s *Sentence) Column(col int) []string {
	out := make([]string, 0, len(s.Tokens))
	for _, t := range s.Tokens {
		if t.IsWord() {
			out = append(out, t[col])
		}
	}
	return out
}

// Forms returns the forms of the syntactic words: Column(ColForm).
func (s *Sentence) Forms() []string { return s.Column(ColForm) }

// SetColumn sets column col of each syntactic word to values, one per
// word; multiword tokens and empty nodes are left as they are. It panics
// unless len(values) is the number of words.
func (s *Sentence) SetColumn(col int, values []string) {
	if len(values) != s.Len() {
		panic(fmt.Sprintf("data: %d values for a sentence of %d words", len(values), s.Len()))
	}
	i := 0
	for k := range s.Tokens {
		if s.Tokens[k].IsWord() {
			s.Tokens[k][col] = values[i]
			i++
		}
	}
}

// ReadCoNLLU reads the sentences of a CoNLL-U file (Universal Dependencies'
// format): blocks of comment lines ("# …") then token lines of ten
// tab-separated columns, each sentence ended by a blank line. Every line
// is kept (see [Sentence]); a missing blank line at the end of the file is
// accepted, and runs of blank lines count as one.
//
// name is the file name for errors, which give the line and what was
// expected:
//
//	data: dev.conllu:12: 9 columns, want 10 (tab-separated)
//	data: dev.conllu:40: id "x" is not a word index, a range "3-4" or an empty node "8.1"
//	data: dev.conllu:41: id 5 out of order: want 4
//
// The ids must follow the format's order: words 1, 2, 3, …; a multiword
// token a-b just before word a, with b > a and b within the sentence; an
// empty node k.1, k.2, … just after word k (k = 0 before the first word).
// A comment line after a token line, a column that is empty or an empty
// sentence is an error too.
func ReadCoNLLU(r io.Reader, name string) ([]Sentence, error) {
	lr := newLineReader(r, name)
	var (
		sents []Sentence
		cur   Sentence
		ids   idOrder
	)
	end := func() error {
		if len(cur.Tokens) == 0 {
			if len(cur.Comments) > 0 {
				return lr.errorf("comments without a sentence")
			}
			return nil
		}
		if err := ids.close(); err != "" {
			return lr.errorf("%s", err)
		}
		sents = append(sents, cur)
		cur, ids = Sentence{}, idOrder{}
		return nil
	}
	for {
		line, err := lr.next()
		if err == io.EOF {
			if err := end(); err != nil {
				return nil, err
			}
			return sents, nil
		}
		if err != nil {
			return nil, err
		}
		if strings.Contains(line, "\r") {
			return nil, lr.errorf("carriage return inside a line")
		}
		switch {
		case line == "":
			if err := end(); err != nil {
				return nil, err
			}
		case strings.HasPrefix(line, "#"):
			if len(cur.Tokens) > 0 {
				return nil, lr.errorf("comment line inside a sentence: comments come before its first token")
			}
			cur.Comments = append(cur.Comments, line)
		default:
			tok, problem := parseToken(line)
			if problem == "" {
				problem = ids.next(tok[ColID])
			}
			if problem != "" {
				return nil, lr.errorf("%s", problem)
			}
			cur.Tokens = append(cur.Tokens, tok)
		}
	}
}

// parseToken splits a token line into its ten columns, or says what is
// wrong with it.
func parseToken(line string) (Token, string) {
	var t Token
	fields := strings.Split(line, "\t")
	if len(fields) != conlluColumns {
		return t, fmt.Sprintf("%d columns, want %d (tab-separated)", len(fields), conlluColumns)
	}
	for i, f := range fields {
		if f == "" {
			return t, fmt.Sprintf("column %d is empty (write _ for no value)", i+1)
		}
		t[i] = f
	}
	return t, ""
}

// idOrder checks the ids of one sentence as they come.
type idOrder struct {
	word     int // the last word's index
	empty    int // the last empty node's minor number after that word
	rangeEnd int // the end of the last multiword range
}

// next checks id, the next token's, and returns what is wrong with it, or "".
func (o *idOrder) next(id string) string {
	if a, b, ok := strings.Cut(id, "-"); ok {
		lo, ok1 := index(a)
		hi, ok2 := index(b)
		switch {
		case !ok1 || !ok2 || lo == 0:
			return badID(id)
		case lo != o.word+1:
			return fmt.Sprintf("range %s out of order: want it just before word %d", id, o.word+1)
		case hi <= lo:
			return fmt.Sprintf("range %s: its end must come after its start", id)
		case lo <= o.rangeEnd:
			return fmt.Sprintf("range %s overlaps the range ending at word %d", id, o.rangeEnd)
		}
		o.rangeEnd = hi
		return ""
	}
	if a, b, ok := strings.Cut(id, "."); ok {
		major, ok1 := index(a)
		minor, ok2 := index(b)
		switch {
		case !ok1 || !ok2 || minor == 0:
			return badID(id)
		case major != o.word || minor != o.empty+1:
			return fmt.Sprintf("empty node %s out of order: want %d.%d", id, o.word, o.empty+1)
		}
		o.empty = minor
		return ""
	}
	n, ok := index(id)
	if !ok || n == 0 {
		return badID(id)
	}
	if n != o.word+1 {
		return fmt.Sprintf("id %s out of order: want %d", id, o.word+1)
	}
	o.word, o.empty = n, 0
	return ""
}

// close checks the end of a sentence and returns what is wrong, or "".
func (o *idOrder) close() string {
	switch {
	case o.word == 0:
		return "sentence without words (only multiword tokens or empty nodes)"
	case o.rangeEnd > o.word:
		return fmt.Sprintf("sentence ends at word %d inside a range ending at %d", o.word, o.rangeEnd)
	}
	return ""
}

func badID(id string) string {
	return fmt.Sprintf("id %q is not a word index, a range \"3-4\" or an empty node \"8.1\"", id)
}

// index parses a canonical non-negative decimal: digits only, no sign, no
// leading zero, at most 9 digits.
func index(s string) (int, bool) {
	if s == "" || len(s) > 9 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = 10*n + int(c-'0')
	}
	return n, true
}

// ReadCoNLLUFile reads the CoNLL-U file at path with [ReadCoNLLU]; its
// errors name the file. A file without a sentence is an error too.
func ReadCoNLLUFile(path string) ([]Sentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sents, err := ReadCoNLLU(f, path)
	if err == nil && len(sents) == 0 {
		err = fmt.Errorf("data: %s: no sentences", path)
	}
	return sents, err
}

// WriteCoNLLU writes sentences in CoNLL-U: each sentence's comments, its
// token lines (ten tab-separated columns) and a blank line. What
// ReadCoNLLU read, WriteCoNLLU writes back byte for byte, up to line ends
// ("\n"), a byte-order mark and runs of blank lines. A value that the
// format cannot hold — an empty column, a tab or a line end in a column, a
// comment that does not start with "#" — is an error naming the sentence
// (from 1) and the token, and nothing of that sentence is written.
func WriteCoNLLU(w io.Writer, sents []Sentence) error {
	bw := bufio.NewWriter(w)
	for k, s := range sents {
		if err := s.check(); err != nil {
			bw.Flush()
			return fmt.Errorf("data: sentence %d: %w", k+1, err)
		}
		for _, c := range s.Comments {
			bw.WriteString(c)
			bw.WriteByte('\n')
		}
		for _, t := range s.Tokens {
			for i, f := range t {
				if i > 0 {
					bw.WriteByte('\t')
				}
				bw.WriteString(f)
			}
			bw.WriteByte('\n')
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// check reports a value WriteCoNLLU cannot write.
func (s *Sentence) check() error {
	for _, c := range s.Comments {
		if !strings.HasPrefix(c, "#") || strings.ContainsAny(c, "\r\n") {
			return fmt.Errorf("comment %q: want one line starting with #", c)
		}
	}
	for i, t := range s.Tokens {
		for c, f := range t {
			if f == "" || strings.ContainsAny(f, "\t\r\n") {
				return fmt.Errorf("token %d, column %d: %q: want a non-empty value without tabs or line ends", i+1, c+1, f)
			}
		}
	}
	return nil
}
