// Package mpitest builds the programs that the MPI tests start under
// mpirun: lib/mpi's test binary, and seq2go itself. Build skips a test on a
// machine without Open MPI — fails it instead under CI=true, where .ci/run
// installs Open MPI — and builds a package with -tags mpi once per process;
// the test binary's TestMain calls Cleanup after the tests.
package mpitest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	mu     sync.Mutex
	builds = map[string]*build{} // by name
)

type build struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// Cleanup removes what Build built.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	for name, b := range builds {
		if b.dir != "" {
			os.RemoveAll(b.dir)
		}
		delete(builds, name)
	}
}

// Build returns the path of the package in the current directory built
// with -tags mpi by `go <verb...> -tags mpi -o PATH .` (verb: "build", or
// "test", "-c" for the test binary), named name; the first call builds,
// the others wait for it and return the same path.
func Build(t testing.TB, name string, verb ...string) string {
	t.Helper()
	for _, tool := range []string{"mpirun", "pkg-config"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("%s not found: install openmpi-bin libopenmpi-dev pkg-config", tool)
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	mu.Lock()
	b, ok := builds[name]
	if !ok {
		b = &build{}
		builds[name] = b
	}
	mu.Unlock()
	b.once.Do(func() {
		b.dir, b.err = os.MkdirTemp("", "seq2go-mpi")
		if b.err != nil {
			return
		}
		b.path = filepath.Join(b.dir, name)
		args := append(append(append([]string(nil), verb...), "-tags", "mpi", "-o", b.path), ".")
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if out, err := exec.Command(gobin, args...).CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go %v: %v\n%s", args, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}
