package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seq2go/seq2go/internal/mpitest"
	"github.com/seq2go/seq2go/lib/charrnn"
	"github.com/seq2go/seq2go/lib/checkpoint"
)

// These tests run `mpirun -np 2 seq2go train charrnn …` for real, with a
// seq2go built with -tags mpi: the same numbers as 2 workers in one
// process, Ctrl-C and --resume, and a rank that dies.

// mpiBinary returns the path of seq2go built with MPI, or skips the test
// when Open MPI is not installed (see mpitest.Build).
func mpiBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds seq2go with -tags mpi and runs mpirun")
	}
	return mpitest.Build(t, "seq2go", "build")
}

// mpirunCommand returns mpirun starting 2 ranks of seq2go with args, each
// with SEQ2GO_TEST_JOB=job in its environment (to find the ranks by).
func mpirunCommand(t *testing.T, ctx context.Context, job string, mca []string, args ...string) *exec.Cmd {
	all := append([]string{"--allow-run-as-root", "--oversubscribe", "-np", "2", "-x", "SEQ2GO_TEST_JOB=" + job}, mca...)
	all = append(append(all, mpiBinary(t)), args...)
	return exec.CommandContext(ctx, "mpirun", all...)
}

// tinyCharRNN are the flags of a small LSTM on the test verse, in float64
// products, without samples or validation on the way.
func tinyCharRNN(t *testing.T) []string {
	text := writeFile(t, "verse.txt", strings.Repeat(verse, 20))
	return []string{"train", "charrnn", "--data", text, "--arch", "lstm", "--hidden", "16", "--layers", "2", "--embed", "8",
		"--seq", "10", "--batch", "16", "--precision", "float64", "--sample-every", "0", "--val-every", "0", "--val-sample", "0"}
}

// 2 ranks × W workers train the weights of 1 rank × 2W workers: after 5
// steps they differ by 1e-9 at most — 2 × 1 against 1 × 2 over each
// transport (batch 16), and 2 × 2 against 1 × 4 (batch 32), the workers
// inside each rank. Both share every batch the same way (lanes of 8) and
// differ only in the order of the sums of the gradient: MPI adds the
// ranks' token-weighted gradients in its order, the process adds its
// replicas' one after another. That is a few ulps (1e-16 relative) per
// step, which Adam's step, g/√v, carries at most a few orders of magnitude
// up over 5 steps; measured: 5.6e-17 and 1.1e-16. A wrong split or weight of
// the shards would differ by 1e-3 or more.
func TestMPISameAsWorkers(t *testing.T) {
	mpiBinary(t)
	dir := t.TempDir()
	tcp := []string{"--mca", "btl", "self,tcp"}
	for _, tc := range []struct {
		name    string
		mca     []string
		batch   int
		workers int // a rank's; the one process has twice as many
	}{{"shared-memory", nil, 16, 1}, {"tcp", tcp, 16, 1}, {"2 workers a rank", nil, 32, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			flags := append(tinyCharRNN(t), "--steps", "5", "--save-every", "0", "--batch", fmt.Sprint(tc.batch))
			one, two := filepath.Join(dir, tc.name+"-1.safetensors"), filepath.Join(dir, tc.name+"-2.safetensors")
			if code, _, stderr := runCLI(append(flags, "--workers", fmt.Sprint(2*tc.workers), "--out", one)...); code != 0 {
				t.Fatalf("1 rank × %d workers: exit %d\n%s", 2*tc.workers, code, stderr)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, err := mpirunCommand(t, ctx, dir, tc.mca, append(flags, "--workers", fmt.Sprint(tc.workers), "--out", two)...).CombinedOutput()
			if err != nil {
				t.Fatalf("mpirun: %v\n%s", err, out)
			}
			if n := strings.Count(string(out), "final smooth_loss="); n != 1 {
				t.Errorf("%d final lines, want 1 (rank 0 alone speaks):\n%s", n, out)
			}
			want, got, worst := weights(t, one), weights(t, two), 0.0
			for name, w := range want {
				g, ok := got[name]
				if !ok || len(g) != len(w) {
					t.Fatalf("%s missing or of another size in the MPI checkpoint", name)
				}
				for i := range w {
					worst = max(worst, math.Abs(g[i]-w[i]))
				}
			}
			t.Logf("largest difference after 5 steps: %.3g", worst)
			if worst > 1e-9 {
				t.Errorf("2 ranks × %d workers differ from 1 rank × %d workers by %.3g, want ≤ 1e-9", tc.workers, 2*tc.workers, worst)
			}
		})
	}
}

// weights returns the weights of a charrnn checkpoint by name.
func weights(t *testing.T, path string) map[string][]float64 {
	t.Helper()
	m, _, err := charrnn.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	w := map[string][]float64{}
	for _, p := range m.Params() {
		w[p.Name] = append([]float64(nil), p.Value.RawMatrix().Data...)
	}
	return w
}

// startJob starts mpirun on args and returns it with its output so far,
// once a line of its output starts with ready.
func startJob(t *testing.T, job, ready string, args ...string) (*exec.Cmd, *lockedBuffer) {
	t.Helper()
	cmd := mpirunCommand(t, context.Background(), job, nil, args...)
	out := &lockedBuffer{}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	seen := make(chan struct{})
	go func() {
		lines, once := bufio.NewScanner(r), sync.Once{}
		for lines.Scan() {
			out.write(lines.Text() + "\n")
			if strings.HasPrefix(lines.Text(), ready) {
				once.Do(func() { close(seen) })
			}
		}
		r.Close()
	}()
	select {
	case <-seen:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("no line %q within a minute:\n%s", ready, out)
	}
	return cmd, out
}

// waitJob waits up to limit for mpirun to exit and returns its status and
// how long it took.
func waitJob(t *testing.T, cmd *exec.Cmd, out *lockedBuffer, limit time.Duration) (int, time.Duration) {
	t.Helper()
	start, done := time.Now(), make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), time.Since(start)
	case <-time.After(limit):
		cmd.Process.Kill()
		<-done
		t.Fatalf("mpirun still ran %v later:\n%s", limit, out)
		return 0, 0
	}
}

// Ctrl-C (SIGINT to mpirun, which sends every rank SIGTERM) stops every
// rank after the same step: rank 0 saves once, says so, and all exit;
// --resume under mpirun goes on from the saved step.
func TestMPIInterruptResume(t *testing.T) {
	mpiBinary(t)
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "m.safetensors")
	// A line every 100 steps: the tiny model takes thousands a second on
	// an idle machine, and a line for each would fill mpirun's output
	// forwarding until rank 0 blocks writing, before it sees the signal.
	flags := append(tinyCharRNN(t), "--save-every", "0", "--log-every", "100")
	cmd, out := startJob(t, dir, "step 100/", append(flags, "--steps", "1000000", "--out", ckpt)...)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	code, took := waitJob(t, cmd, out, 30*time.Second)
	t.Logf("mpirun exited %d, %v after SIGINT", code, took.Round(time.Millisecond))
	if n := strings.Count(out.String(), "interrupted at step"); n != 1 || code == 0 {
		t.Fatalf("exit %d, %d lines saying where the weights were saved (want non-zero and 1):\n%s", code, n, out)
	}
	if pids := jobRanks(dir); len(pids) > 0 {
		t.Errorf("ranks %v still run after mpirun exited", pids)
	}
	s, err := checkpoint.ReadState(ckpt, charrnn.Kind)
	if err != nil {
		t.Fatal(err)
	}
	if s.Step < 100 {
		t.Fatalf("the checkpoint is at step %d, want 100 or more", s.Step)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	resume := []string{"train", "charrnn", "--data", flags[3], "--precision", "float64", "--sample-every", "0", "--val-every", "0",
		"--resume", ckpt, "--steps", fmt.Sprint(s.Step + 3), "--out", ckpt}
	res, err := mpirunCommand(t, ctx, dir, nil, resume...).CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, res)
	}
	r, err := checkpoint.ReadState(ckpt, charrnn.Kind)
	if err != nil {
		t.Fatal(err)
	}
	if r.Step != s.Step+3 || !strings.Contains(string(res), fmt.Sprintf("steps %d → %d", s.Step, s.Step+3)) {
		t.Errorf("resumed from step %d to %d, want %d:\n%s", s.Step, r.Step, s.Step+3, res)
	}
}

// A rank that dies makes the job stop within seconds, non-zero, with a
// message naming it, and the last checkpoint rank 0 wrote stays whole.
func TestMPIRankDies(t *testing.T) {
	mpiBinary(t)
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "m.safetensors")
	cmd, out := startJob(t, dir, "step 8/", append(tinyCharRNN(t), "--steps", "1000000", "--save-every", "2", "--log-every", "1", "--out", ckpt)...)
	var rank1 int
	for pid, rank := range jobRanks(dir) {
		if rank == "1" {
			rank1 = pid
		}
	}
	if rank1 == 0 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("rank 1 not found:\n%s", out)
	}
	if err := syscall.Kill(rank1, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	code, took := waitJob(t, cmd, out, 30*time.Second)
	t.Logf("mpirun exited %d, %v after rank 1 was killed:\n%s", code, took.Round(time.Millisecond), out)
	if code == 0 || !strings.Contains(out.String(), "rank 1") {
		t.Errorf("exit %d; want non-zero and a message naming rank 1", code)
	}
	if took > 20*time.Second {
		t.Errorf("the job took %v to stop", took)
	}
	s, err := checkpoint.ReadState(ckpt, charrnn.Kind)
	if err != nil {
		t.Fatalf("the last checkpoint does not read: %v", err)
	}
	if s.Step < 8 || s.Step%2 != 0 {
		t.Errorf("the checkpoint is at step %d, want an even step from 8 on (--save-every 2)", s.Step)
	}
	if _, _, err := charrnn.Open(ckpt); err != nil {
		t.Errorf("the last checkpoint does not open: %v", err)
	}
}

// jobRanks returns the live processes of the job job (their environment
// holds SEQ2GO_TEST_JOB=job) and their ranks.
func jobRanks(job string) map[int]string {
	ranks := map[int]string{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		env, err := os.ReadFile(filepath.Join(d, "environ"))
		if err != nil || !bytes.Contains(env, []byte("SEQ2GO_TEST_JOB="+job+"\x00")) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join(d, "stat"))
		if f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:])); len(f) == 0 || f[0] == "Z" {
			continue
		}
		for _, kv := range strings.Split(string(env), "\x00") {
			if rank, ok := strings.CutPrefix(kv, "OMPI_COMM_WORLD_RANK="); ok {
				var pid int
				fmt.Sscan(filepath.Base(d), &pid)
				ranks[pid] = rank
			}
		}
	}
	return ranks
}

// lockedBuffer is output written by one goroutine and read by another.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) write(s string) { l.mu.Lock(); l.b.WriteString(s); l.mu.Unlock() }

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }
