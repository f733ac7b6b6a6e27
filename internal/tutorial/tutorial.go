// Package tutorial reads the tutorial chapters — tutorials/NN-name.md — and
// runs their code through the evaluator. The REPL's :tutorial walks a
// chapter with it, the tutorials test checks every chapter with Check, and
// the notebook builder turns a Chapter's cells into notebook cells.
//
// # Format
//
// A chapter is Markdown. Its title is the first "# " heading. Every fenced
// block whose info string is "go" is a code cell; everything between code
// cells is prose, fenced blocks in other languages (the talk's numpy)
// included. A code cell may be followed, after blank lines only, by a
// fenced block with no info string whose first line is "Output:": the rest
// of that block is what the cell prints, which Check compares.
//
//	```go
//	fmt.Println(1 + 1)
//	```
//
//	```
//	Output:
//	2
//	```
//
// The cells of a chapter run in order in one session, so a cell sees what
// the cells above it declared.
package tutorial

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Kind tells prose from code.
type Kind int

const (
	Markdown Kind = iota
	Code
)

// A Cell is a stretch of a chapter: prose, or one code cell.
type Cell struct {
	Kind Kind
	// Text is the Markdown, or the Go source without its fences; it ends
	// with a newline.
	Text string
	// Output is what a code cell prints, from its "Output:" block, ending
	// with a newline; HasOutput tells an empty expected output from none.
	Output    string
	HasOutput bool
	// Line is the line of the file where the cell starts: for a code cell,
	// the line of its first line of code.
	Line int
}

// A Chapter is one tutorial file.
type Chapter struct {
	Name   string // file name without ".md": "01-feed-forward-and-rnn"
	Number int    // from the name: 1
	Title  string // the first "# " heading, without the "# "
	Cells  []Cell
}

// Code returns the chapter's code cells.
func (ch *Chapter) Code() []Cell {
	var code []Cell
	for _, c := range ch.Cells {
		if c.Kind == Code {
			code = append(code, c)
		}
	}
	return code
}

var chapterName = regexp.MustCompile(`^(\d+)-[^/]*\.md$`)

// List returns the chapter files of fsys's top directory, NN-name.md,
// sorted by number.
func List(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && chapterName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Slice(names, func(i, j int) bool {
		return number(names[i]) < number(names[j]) || number(names[i]) == number(names[j]) && names[i] < names[j]
	})
	return names, nil
}

func number(name string) int {
	m := chapterName.FindStringSubmatch(path.Base(name))
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// Load reads chapter file name from fsys.
func Load(fsys fs.FS, name string) (*Chapter, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(name, f)
}

// Find loads chapter number n from fsys.
func Find(fsys fs.FS, n int) (*Chapter, error) {
	names, err := List(fsys)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if number(name) == n {
			return Load(fsys, name)
		}
	}
	return nil, fmt.Errorf("tutorial: no chapter %d (have %s)", n, strings.Join(names, ", "))
}

// Parse reads a chapter from r; name is its file name, for the chapter's
// Name and Number and for errors.
func Parse(name string, r io.Reader) (*Chapter, error) {
	ch := &Chapter{Name: strings.TrimSuffix(path.Base(name), ".md"), Number: number(name)}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}

	var prose []string
	proseLine := 1
	flush := func() {
		text := strings.Trim(strings.Join(prose, "\n"), "\n")
		if text != "" {
			ch.Cells = append(ch.Cells, Cell{Kind: Markdown, Text: text + "\n", Line: proseLine})
		}
		prose = nil
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if ch.Title == "" && strings.HasPrefix(line, "# ") {
			ch.Title = strings.TrimSpace(line[2:])
		}
		fence, info, ok := openFence(line)
		if !ok {
			if len(prose) == 0 {
				proseLine = i + 1
			}
			prose = append(prose, line)
			continue
		}
		end := closeFence(lines, i+1, fence)
		if end < 0 {
			return nil, fmt.Errorf("%s:%d: code block not closed", name, i+1)
		}
		if info != "go" {
			if len(prose) == 0 {
				proseLine = i + 1
			}
			prose = append(prose, lines[i:end+1]...)
			i = end
			continue
		}
		flush()
		c := Cell{Kind: Code, Text: joinLines(lines[i+1 : end]), Line: i + 2}
		i = end
		// An Output block after blank lines.
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j < len(lines) {
			if f, inf, ok := openFence(lines[j]); ok && inf == "" && j+1 < len(lines) && strings.TrimSpace(lines[j+1]) == "Output:" {
				oend := closeFence(lines, j+1, f)
				if oend < 0 {
					return nil, fmt.Errorf("%s:%d: output block not closed", name, j+1)
				}
				c.Output, c.HasOutput = joinLines(lines[j+2:oend]), true
				i = oend
			}
		}
		ch.Cells = append(ch.Cells, c)
		proseLine = i + 2
	}
	flush()
	return ch, nil
}

// openFence reports whether line opens a fenced block, with its fence
// ("```" or longer, or "~~~") and info string.
func openFence(line string) (fence, info string, ok bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return "", "", false
	}
	for _, ch := range []byte{'`', '~'} {
		n := 0
		for n < len(t) && t[n] == ch {
			n++
		}
		if n >= 3 {
			return t[:n], strings.TrimSpace(t[n:]), true
		}
	}
	return "", "", false
}

// closeFence returns the index of the line from i on that closes fence, or
// -1.
func closeFence(lines []string, i int, fence string) int {
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
			return i
		}
	}
	return -1
}

func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}
