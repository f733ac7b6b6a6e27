package eval

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"
)

// Var is a session variable.
type Var struct {
	Name string
	Type string // the Go type of its value (an interface variable: of what it holds)
}

// Vars returns the session's variables and constants, sorted by name.
func (s *Session) Vars() []Var {
	s.mu.Lock()
	defer s.mu.Unlock()
	var vars []Var
	for n, v := range s.globals() {
		if strings.HasPrefix(n, "_") {
			continue
		}
		t := "<nil>"
		if v.IsValid() {
			t = v.Type().String()
			if v.Kind() == reflect.Interface && !v.IsNil() {
				t = v.Elem().Type().String()
			}
		}
		vars = append(vars, Var{n, t})
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Name < vars[j].Name })
	return vars
}

// Source returns the cells that ran without error, in order, as one Go
// file that `seq2go run` and the REPL's :load evaluate. It starts with a
// build constraint that keeps the go command away: its top level mixes
// statements and declarations, as cells do.
func (s *Session) Source() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	b.WriteString("//go:build ignore\n\n")
	fmt.Fprintf(&b, "// A seq2go session, saved %s. Run it with `seq2go run FILE`, or\n", time.Now().Format("2006-01-02 15:04"))
	b.WriteString("// :load it in the REPL. Its cells mix declarations and statements at the\n")
	b.WriteString("// top level, which the seq2go evaluator accepts and the go command does not.\n")
	for i, c := range s.cells {
		fmt.Fprintf(&b, "\n// cell %d\n%s\n", i+1, strings.TrimSpace(c))
	}
	return b.String()
}
