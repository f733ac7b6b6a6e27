package mpi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seq2go/seq2go/internal/mpitest"
	"github.com/seq2go/seq2go/lib/mpi"
)

// transports are the two ways TestMPI runs the job on this one machine:
// Open MPI's default (shared memory between ranks of one machine) and TCP
// only, the transport between machines.
var transports = []struct {
	name string
	args []string
}{
	{"shared-memory", nil},
	{"tcp", []string{"--mca", "btl", "self,tcp"}},
}

// jobBinary returns the path of the test binary built with MPI, or skips
// the test when Open MPI is not installed (see mpitest.Build).
func jobBinary(t *testing.T) string {
	t.Helper()
	if mpi.InJob() {
		t.Skip("inside an MPI job: the TestJob tests run")
	}
	return mpitest.Build(t, "mpi.test", "test", "-c")
}

// mpirun runs the test binary on 2 ranks with the TestJob tests matching
// run, within timeout, and returns its combined output, exit status and
// wall time.
func mpirun(t *testing.T, bin, run string, extra []string, env []string, timeout time.Duration) (string, int, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	args := append([]string{"--allow-run-as-root", "--oversubscribe", "-np", "2"}, extra...)
	for _, e := range env {
		args = append(args, "-x", e)
	}
	args = append(args, bin, "-test.run", run, "-test.v")
	cmd := exec.CommandContext(ctx, "mpirun", args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("mpirun did not finish within %v:\n%s", timeout, out.String())
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("mpirun: %v", err)
	}
	return out.String(), code, elapsed
}

// TestMPI runs the TestJob tests for real, on 2 ranks started by mpirun,
// once over each transport: rank and size, all-reduce, broadcast and
// barrier.
func TestMPI(t *testing.T) {
	bin := jobBinary(t)
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			out, code, _ := mpirun(t, bin, "^TestJob", tr.args, nil, 2*time.Minute)
			if code != 0 {
				t.Fatalf("mpirun exited with status %d:\n%s", code, out)
			}
			// Every TestJob test passed on both ranks (and ran: a skip
			// would print SKIP instead).
			for _, name := range []string{"TestJobRankSize", "TestJobAllreduceSum", "TestJobBcast", "TestJobBarrier", "TestJobAllReduce", "TestJobBcastParams"} {
				if n := strings.Count(out, "--- PASS: "+name+" "); n != 2 {
					t.Errorf("%s passed on %d ranks, want 2:\n%s", name, n, out)
				}
			}
		})
	}
}

// TestMPIFault kills rank 1 in the middle of the job, over each transport:
// mpirun must stop rank 0 within seconds, exit non-zero, and name the rank
// that died.
func TestMPIFault(t *testing.T) {
	bin := jobBinary(t)
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			dir := t.TempDir()
			out, code, elapsed := mpirun(t, bin, "^TestJobFault$", tr.args, []string{"SEQ2GO_MPI_FAULT=" + dir}, time.Minute)
			t.Logf("mpirun exited with status %d after %v:\n%s", code, elapsed.Round(time.Millisecond), out)
			if code == 0 {
				t.Error("mpirun exited with status 0 after a rank was killed")
			}
			if !strings.Contains(out, "rank 1") || !strings.Contains(out, "signal 9") {
				t.Error("mpirun's message does not name rank 1 and its signal 9")
			}
			// Far less than the minute of the timeout: the job is stopped,
			// not left to hang in the all-reduce. (Measured: 2 to 3 s.)
			if elapsed > 20*time.Second {
				t.Errorf("the job took %v to stop after rank 1 died", elapsed)
			}
			b, err := os.ReadFile(filepath.Join(dir, "rank-0.pid"))
			if err != nil {
				t.Fatal(err)
			}
			pid, _ := strconv.Atoi(string(b))
			if running(pid) {
				t.Errorf("rank 0 (pid %d) still runs after mpirun returned", pid)
			}
		})
	}
}

// running reports whether process pid exists and has not exited: an exited
// rank may stay a zombie for a while once mpirun, its parent, is gone.
func running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) state …: the state follows the last ')'.
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}
