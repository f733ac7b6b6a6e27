package data

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// lineReader reads UTF-8 lines of any length and keeps the line number for
// error messages. It is the one place that decides what a line is, so every
// reader in the package agrees: a line ends at "\n" or "\r\n", the last line
// may lack its "\n", and a UTF-8 byte-order mark at the start of the input is
// dropped.
//
// It uses bufio.Reader.ReadString rather than bufio.Scanner, whose default
// 64 KiB token limit rejects long lines: a paragraph-per-line corpus or a
// minified file can hold megabytes on one line.
type lineReader struct {
	br   *bufio.Reader
	name string // file name for errors
	line int    // number of the line last returned; 1 for the first
	eof  bool
}

func newLineReader(r io.Reader, name string) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), name: name}
}

// byteOrderMark is U+FEFF encoded in UTF-8, which some Windows editors put at
// the start of a file.
const byteOrderMark = "\uFEFF"

// next returns the next line without its line end, or io.EOF after the last.
// Any other error already names the file and line.
func (lr *lineReader) next() (string, error) {
	if lr.eof {
		return "", io.EOF
	}
	s, err := lr.br.ReadString('\n')
	if err == io.EOF {
		lr.eof = true
		if s == "" {
			return "", io.EOF
		}
	} else if err != nil {
		return "", fmt.Errorf("data: %s:%d: %w", lr.name, lr.line+1, err)
	}
	lr.line++
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	if lr.line == 1 {
		s = strings.TrimPrefix(s, byteOrderMark)
	}
	if !utf8.ValidString(s) {
		col := firstInvalid(s) + 1 // 1-based byte column, as compilers print
		return "", fmt.Errorf("data: %s:%d:%d: invalid UTF-8 (byte %#02x)", lr.name, lr.line, col, s[col-1])
	}
	return s, nil
}

// errorf returns an error for the line last read: "data: name:line: ...".
func (lr *lineReader) errorf(format string, args ...any) error {
	return fmt.Errorf("data: %s:%d: %s", lr.name, lr.line, fmt.Sprintf(format, args...))
}

// firstInvalid returns the byte offset of the first invalid UTF-8 sequence in
// s, or -1 if s is valid.
func firstInvalid(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// ReadLines returns the lines of r without their line ends ("\n" or "\r\n").
// A last line without "\n" is kept; a final "\n" does not start an empty
// line, so "a\nb\n" and "a\nb" both give ["a" "b"]. Lines may be of any
// length. A UTF-8 byte-order mark at the start is dropped.
//
// name is the file name to put in errors: an invalid UTF-8 line is reported
// as "data: name:line:column: invalid UTF-8", and a read error wraps the
// reader's error with the name and line.
func ReadLines(r io.Reader, name string) ([]string, error) {
	lr := newLineReader(r, name)
	var lines []string
	for {
		line, err := lr.next()
		if err == io.EOF {
			return lines, nil
		}
		if err != nil {
			return nil, err
		}
		lines = append(lines, line)
	}
}

// Pair is one example of parallel text: a sentence and its translation, or a
// question and its answer.
type Pair struct {
	Src string // source side, never containing a tab
	Tgt string // target side
}

// ReadPairs reads parallel text, one pair a line, in the tab-separated form of
// the Tatoeba and Anki (manythings.org) sentence files:
//
//	Go.<TAB>Va !<TAB>CC-BY 2.0 (France) Attribution: tatoeba.org ...
//
// The first field is the source and the second the target; further fields,
// such as the attribution, are ignored. Fields are kept as they are, spaces
// included. Empty lines are skipped.
//
// name is the file name to put in errors, which give the line:
//
//	data: pairs.txt:12: expected "source<TAB>target", got 1 field
//	data: pairs.txt:13: empty target
//	data: pairs.txt:14:7: invalid UTF-8 (byte 0xff)
//
// Line ends may be "\n" or "\r\n", and a UTF-8 byte-order mark at the start is
// dropped.
func ReadPairs(r io.Reader, name string) ([]Pair, error) {
	lr := newLineReader(r, name)
	var pairs []Pair
	for {
		line, err := lr.next()
		if err == io.EOF {
			return pairs, nil
		}
		if err != nil {
			return nil, err
		}
		if line == "" {
			continue
		}
		src, rest, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, lr.errorf(`expected "source<TAB>target", got 1 field`)
		}
		tgt, _, _ := strings.Cut(rest, "\t")
		switch {
		case src == "":
			return nil, lr.errorf("empty source")
		case tgt == "":
			return nil, lr.errorf("empty target")
		}
		pairs = append(pairs, Pair{Src: src, Tgt: tgt})
	}
}

// ReadPairsFile reads the pairs of the file at path with [ReadPairs]; its
// errors name the file. A file without a single pair is an error too.
func ReadPairsFile(path string) ([]Pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pairs, err := ReadPairs(f, path)
	if err == nil && len(pairs) == 0 {
		err = fmt.Errorf("data: %s: no sentence pairs", path)
	}
	return pairs, err
}
