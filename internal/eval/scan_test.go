package eval_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/seq2go/seq2go/internal/eval"
	"github.com/seq2go/seq2go/lib/display"
)

// asker is a display sink that answers Input from a list of lines, as a
// notebook's input box would.
type asker struct {
	recorder
	mu      sync.Mutex
	lines   []string
	prompts []string
}

func (a *asker) Input(prompt string, password bool) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.prompts = append(a.prompts, prompt)
	if len(a.lines) == 0 {
		return "", fmt.Errorf("no more input")
	}
	l := a.lines[0]
	a.lines = a.lines[1:]
	return l, nil
}

var _ display.Inputter = (*asker)(nil)

// TestScanFromInputter checks that fmt.Scanln, fmt.Scan and fmt.Scanf in
// a cell, and reads of os.Stdin, read from a Display that implements
// display.Inputter.
func TestScanFromInputter(t *testing.T) {
	a := &asker{}
	s, err := eval.New(eval.Options{Stdout: stream{&a.recorder, "out"}, Stderr: stream{&a.recorder, "err"}, Display: a})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct {
		lines []string
		src   string
		want  string
	}{
		{[]string{"Ada"}, `var name string; fmt.Scanln(&name); fmt.Println("hello", name)`, "hello Ada\n"},
		{[]string{"3 4"}, `var x, y int; n, err := fmt.Scanln(&x, &y); fmt.Println(n, err, x+y)`, "2 <nil> 7\n"},
		{[]string{"1", "2 3"}, `var p, q, r int; n, err := fmt.Scan(&p, &q, &r); fmt.Println(n, err, p+q+r)`, "3 <nil> 6\n"},
		{[]string{"7-x"}, `var i int; var w string; n, err := fmt.Scanf("%d-%s", &i, &w); fmt.Println(n, err, i, w)`, "2 <nil> 7 x\n"},
		{nil, `var z string; _, err := fmt.Scanln(&z); fmt.Println(err)`, "no more input\n"},
		// Within a cell, what a line leaves is read next; a new cell asks again.
		{[]string{"a b"}, `var u, v string; fmt.Scan(&u); fmt.Scan(&v); fmt.Println(u, v)`, "a b\n"},
		{[]string{"c d"}, `fmt.Scan(&u); fmt.Println(u)`, "c\n"},
		{[]string{"e"}, `fmt.Scan(&u); fmt.Println(u)`, "e\n"},
		// os.Stdin asks too, and shares what is left with fmt.Scan.
		{[]string{"from os"}, "import \"bufio\"\nline, err := bufio.NewReader(os.Stdin).ReadString('\\n')\nfmt.Printf(\"%q %v\\n\", line, err)", "\"from os\\n\" <nil>\n"},
		{[]string{"h i"}, "var w1, w2 string\nfmt.Fscan(os.Stdin, &w1)\nfmt.Scan(&w2)\nfmt.Println(w2, w1)", "i h\n"},
	} {
		a.mu.Lock()
		a.lines = c.lines
		a.mu.Unlock()
		if _, err := s.Eval(context.Background(), c.src); err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if got := output(a.take()); got != c.want {
			t.Errorf("%s: printed %q, want %q", c.src, got, c.want)
		}
	}
	_, err = s.Eval(context.Background(), "os.Stdin.Fd()")
	if err == nil || !strings.Contains(err.Error(), "os.Stdin.Fd: in a notebook or the REPL, os.Stdin is an io.Reader") {
		t.Errorf("os.Stdin.Fd(): got %v, want an error that says what os.Stdin is", err)
	}
	if n := len(a.prompts); n != 11 {
		t.Errorf("asked %d times (%q), want 11", n, a.prompts)
	}
	for _, p := range a.prompts {
		if p != "" {
			t.Errorf("prompt %q, want none", p)
		}
	}
}

// TestScanWithoutInputter checks that without an Inputter fmt.Scanln reads
// the process's standard input, as the REPL's scripts and seq2go run expect.
func TestScanWithoutInputter(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	stdin := os.Stdin
	os.Stdin = pr // yaegi takes os.Stdin when the session is made
	s, r := newSession(t)
	os.Stdin = stdin
	pw.WriteString("Bob\n")
	pw.Close()
	if _, err := s.Eval(context.Background(), `var who string; fmt.Scanln(&who); fmt.Println("hi", who)`); err != nil {
		t.Fatal(err)
	}
	if got := output(r.take()); got != "hi Bob\n" {
		t.Errorf("printed %q, want %q", got, "hi Bob\n")
	}
}
