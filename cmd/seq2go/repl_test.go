package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withStdin runs f with os.Stdin reading content.
func withStdin(t *testing.T, content string, f func()) {
	t.Helper()
	path := writeFile(t, "stdin", content)
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	saved := os.Stdin
	os.Stdin = in
	defer func() { os.Stdin = saved }()
	f()
}

func TestRunScript(t *testing.T) {
	script := writeFile(t, "ff.go", `l := nn.NewLinear(rand.New(rand.NewPCG(1, 1)), 3, 2)
y := l.Forward(mat.NewDense(1, 3, []float64{1, 2, 3}))
r, c := y.Dims()
fmt.Println(r, c)
`)
	code, stdout, stderr := runCLI("run", script)
	if code != 0 || stdout != "1 2\n" {
		t.Errorf("run: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	bad := writeFile(t, "bad.go", "x := 1\nfmt.Println(nope)\n")
	code, _, stderr = runCLI("run", bad)
	if code != 1 || !strings.Contains(stderr, bad+":2:13: undefined: nope") {
		t.Errorf("run bad.go: exit %d, stderr %q", code, stderr)
	}

	code, _, stderr = runCLI("run")
	if code != 2 || !strings.Contains(stderr, "want one file") {
		t.Errorf("run without a file: exit %d, stderr %q", code, stderr)
	}
}

// TestNoArguments: seq2go alone evaluates a non-terminal's input as the
// prompt would, and runs tutorial chapter 01 when the input is empty.
func TestNoArguments(t *testing.T) {
	withStdin(t, "x := 2\nx * 21\n", func() {
		code, stdout, stderr := runCLI()
		if code != 0 || stdout != "42\n" {
			t.Errorf("piped cells: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
	if _, err := os.Stat(filepath.Join("..", "..", "tutorials", "01-feed-forward-and-rnn.md")); err != nil {
		t.Skip("no chapter 01 yet")
	}
	withStdin(t, "", func() {
		code, stdout, stderr := runCLI()
		if code != 0 || !strings.Contains(stdout, "End of chapter 1.") {
			t.Errorf("empty input: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
		}
	})
}
