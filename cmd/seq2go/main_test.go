package main

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seq2go/seq2go/internal/mpitest"
	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/charrnn"
	"github.com/seq2go/seq2go/lib/checkpoint"
)

const verse = "To be, or not to be, that is the question:\n" +
	"Whether 'tis nobler in the mind to suffer\n" +
	"The slings and arrows of outrageous fortune,\n"

// runCLI runs one seq2go command line in-process.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Train, sample from the checkpoint, then resume: the README's workflow on
// a tiny model.
func TestTrainSampleResume(t *testing.T) {
	text := writeFile(t, "verse.txt", strings.Repeat(verse, 20))
	out := filepath.Join(t.TempDir(), "m.safetensors")
	tiny := []string{"--hidden", "16", "--layers", "1", "--embed", "8", "--seq", "10", "--batch", "4", "--lr", "0.01"}

	args := append([]string{"train", "charrnn", "--data", text, "--steps", "40", "--out", out, "--sample-every", "20", "--log-every", "10"}, tiny...)
	code, stdout, stderr := runCLI(args...)
	if code != 0 {
		t.Fatalf("train: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"----- sample at step 20", "final smooth_loss="} {
		if !strings.Contains(stdout, want) {
			t.Errorf("train stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "step 40/40") {
		t.Errorf("no log line for step 40 on a non-terminal:\n%s", stderr)
	}

	code, stdout, stderr = runCLI("sample", "--model", out, "--prime", "To be", "--n", "50", "--temperature", "0.5")
	if code != 0 || !strings.HasPrefix(stdout, "To be") || len([]rune(stdout)) != len("To be")+50+1 {
		t.Fatalf("sample: exit %d, %d runes\nstdout %q\nstderr %s", code, len([]rune(stdout)), stdout, stderr)
	}

	code, stdout, stderr = runCLI("train", "charrnn", "--data", text, "--steps", "60", "--out", out, "--resume", out, "--sample-every", "0")
	if code != 0 {
		t.Fatalf("resume: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "steps 40 → 60") || !strings.Contains(stdout, "final smooth_loss=") {
		t.Fatalf("resume did not continue from step 40:\n%s\n%s", stderr, stdout)
	}
	m, err := charrnn.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Config.Hidden != 16 {
		t.Fatalf("resumed checkpoint has hidden %d, want 16", m.Config.Hidden)
	}
}

// A training whose loss turns NaN stops at that step with a message that
// names it, exits 1 without a final line, and leaves the checkpoint as it
// was: here a resumed checkpoint with one NaN weight.
func TestNaNStops(t *testing.T) {
	text := writeFile(t, "verse.txt", strings.Repeat(verse, 20))
	out := filepath.Join(t.TempDir(), "m.safetensors")
	code, _, stderr := runCLI("train", "charrnn", "--data", text, "--steps", "40", "--out", out, "--hidden", "16", "--sample-every", "0")
	if code != 0 {
		t.Fatalf("train: exit %d\n%s", code, stderr)
	}
	f, err := checkpoint.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	for i, tensor := range f.Tensors {
		if tensor.Name == "out.W" {
			w, _ := tensor.Float64s()
			w[0] = math.NaN()
			f.Tensors[i] = checkpoint.FromFloat64s(tensor.Name, tensor.Shape, w)
		}
	}
	if err := checkpoint.Write(out, f); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(out)
	code, stdout, stderr := runCLI("train", "charrnn", "--data", text, "--steps", "60", "--resume", out, "--out", out, "--save-every", "5", "--sample-every", "0")
	if code != 1 || strings.Contains(stdout, "final") || !strings.Contains(stderr, "step 41: the loss is NaN") {
		t.Fatalf("exit %d, want 1 with a message naming step 41 and no final line\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if after, _ := os.ReadFile(out); !bytes.Equal(before, after) {
		t.Fatal("the checkpoint was written over")
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, "empty.txt", "")
	notCkpt := writeFile(t, "fake.safetensors", "this is not a checkpoint")
	text := writeFile(t, "verse.txt", verse)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"fly"}, 2, `unknown command "fly"`},
		{"unknown model", []string{"train", "gpt"}, 2, `unknown model "gpt"`},
		{"bad arch", []string{"train", "charrnn", "--arch", "gru"}, 2, `--arch "gru"`},
		{"bad flag", []string{"train", "charrnn", "--hidden", "many"}, 2, "invalid value"},
		{"missing data", []string{"train", "charrnn", "--data", filepath.Join(dir, "nope.txt")}, 1, "nope.txt: no such file"},
		{"empty data", []string{"train", "charrnn", "--data", empty}, 1, "empty.txt: empty file"},
		{"short data", []string{"train", "charrnn", "--data", text, "--seq", "500"}, 1, "too short"},
		{"resume garbage", []string{"train", "charrnn", "--data", text, "--resume", notCkpt}, 1, "fake.safetensors"},
		{"resume change", []string{"train", "charrnn", "--resume", notCkpt, "--hidden", "8"}, 1, "fake.safetensors"},
		{"sample no model", []string{"sample"}, 2, "--model FILE is required"},
		{"sample garbage", []string{"sample", "--model", notCkpt}, 1, "fake.safetensors"},
		{"stray argument", []string{"sample", "--model", notCkpt, "extra"}, 2, `unexpected argument "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
}

// mainEnv, set to 1 in a process's environment, makes this test binary
// seq2go itself: TestMain runs main, so the tests run the command as users
// do without building it (the test binary is the same code).
const mainEnv = "SEQ2GO_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		main()
	}
	blas.Use() // as main does: the tests call run, with the binary's arithmetic
	code := m.Run()
	mpitest.Cleanup() // the seq2go built with MPI (mpi_test.go)
	os.Exit(code)
}

// seq2goCommand returns seq2go with args, as a process: this test binary (see
// TestMain).
func seq2goCommand(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	return cmd
}

// interrupt runs the seq2go binary with args, sends it SIGINT once its
// stderr has shown a line starting with ready (and settle has passed), and
// returns its exit code and everything it wrote to stderr. It fails the test
// when the command does not stop within 30 s.
func interrupt(t *testing.T, ready string, settle time.Duration, args ...string) (code int, log string) {
	t.Helper()
	if testing.Short() {
		t.Skip("trains until interrupted")
	}
	cmd := seq2goCommand(t, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var b strings.Builder
	for lines.Scan() {
		b.WriteString(lines.Text() + "\n")
		if strings.HasPrefix(lines.Text(), ready) {
			break
		}
	}
	time.Sleep(settle)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		for lines.Scan() {
			b.WriteString(lines.Text() + "\n")
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("%s did not stop within 30 s of SIGINT\n%s", strings.Join(args, " "), b.String())
	}
	cmd.Wait()
	return cmd.ProcessState.ExitCode(), b.String()
}

// Ctrl-C during training saves the weights, says where, and exits 130.
func TestInterruptSaves(t *testing.T) {
	text := writeFile(t, "verse.txt", strings.Repeat(verse, 20))
	ckpt := filepath.Join(t.TempDir(), "m.safetensors")
	code, log := interrupt(t, "step 5/", 0, "train", "charrnn", "--data", text, "--steps", "1000000", "--out", ckpt,
		"--hidden", "16", "--layers", "1", "--embed", "8", "--seq", "10", "--batch", "4",
		"--log-every", "1", "--sample-every", "0", "--save-every", "0", "--val-every", "0")
	if code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\n%s", code, exitInterrupted, log)
	}
	if !strings.Contains(log, "weights saved to "+ckpt) {
		t.Fatalf("no word of the saved weights:\n%s", log)
	}
	m, err := charrnn.Load(ckpt)
	if err != nil {
		t.Fatalf("the interrupted training's checkpoint does not load: %v", err)
	}
	if m.Config.Hidden != 16 {
		t.Fatalf("checkpoint hidden %d, want 16", m.Config.Hidden)
	}
}

// train charrnn's products default to each architecture's precision
// (min-char-rnn float64, the LSTM float32); --precision overrides it.
func TestTrainCharRNNPrecision(t *testing.T) {
	text := writeFile(t, "verse.txt", strings.Repeat(verse, 20))
	out := filepath.Join(t.TempDir(), "m.safetensors")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--arch", "rnn"}, "float64 products"},
		{[]string{"--arch", "lstm", "--hidden", "8", "--layers", "1", "--embed", "4", "--seq", "10", "--batch", "2"}, "float32 products"},
		{[]string{"--arch", "rnn", "--precision", "float32"}, "float32 products"},
	} {
		args := append([]string{"train", "charrnn", "--data", text, "--steps", "2", "--out", out, "--sample-every", "0"}, c.args...)
		code, _, stderr := runCLI(args...)
		if code != 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want a line naming %s\n%s", c.args, code, c.want, stderr)
		}
		if got := blas.CurrentPrecision(); got != blas.Float64 {
			t.Errorf("%v: afterwards the program's precision is %v, want float64", c.args, got)
		}
	}
}
