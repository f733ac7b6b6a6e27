package repl

import (
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// BenchmarkStartup measures start-up to the first prompt in-process: a new
// session with the prelude imported, and the banner. The budget for
// the whole start-up, process included, is 300 ms; BenchmarkStartupProcess
// measures that.
func BenchmarkStartup(b *testing.B) {
	opt := Options{OutDir: b.TempDir(), Tutorials: fstest.MapFS{}}
	b.ReportAllocs()
	for b.Loop() {
		r, err := newREPL(opt, io.Discard, io.Discard, false)
		if err != nil {
			b.Fatal(err)
		}
		io.WriteString(io.Discard, banner)
		r.close()
	}
}

// BenchmarkStartupProcess runs the seq2go binary to its first prompt and
// out again (`seq2go repl` reading ":quit" from a pipe): the cost of
// loading the binary and initialising its symbol tables included.
func BenchmarkStartupProcess(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "seq2go")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/seq2go/seq2go/cmd/seq2go").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for b.Loop() {
		cmd := exec.Command(bin, "repl")
		cmd.Stdin = strings.NewReader(":quit\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}
