package repl_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seq2go/seq2go/internal/eval"
	"github.com/seq2go/seq2go/lib/display"
)

// A terminal is a tmux session running the seq2go binary: the REPL as a
// user meets it, in a real pseudo-terminal (raw mode, Ctrl-C as a key and
// as SIGINT, line editing).
type terminal struct {
	t    *testing.T
	sock string
	name string
}

// needTmux returns tmux's path. Without tmux the test is skipped, except
// under CI=true, where it fails: CI installs tmux (apt-get install tmux).
func needTmux(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is missing: the REPL test drives a real terminal with it (apt-get install tmux)")
		}
		t.Skip("tmux is missing: apt-get install tmux to run the terminal test")
	}
	return p
}

// buildSeq2go builds the seq2go binary into dir, with the race detector
// when the tests run under it.
func buildSeq2go(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "seq2go")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "github.com/seq2go/seq2go/cmd/seq2go")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// start runs command in a new detached tmux session of 150×50 on a private
// server (its own socket, no configuration file).
func start(t *testing.T, sock, name, command string) *terminal {
	t.Helper()
	tm := &terminal{t: t, sock: sock, name: name}
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "150", "-y", "50", command)
	t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-session", "-t", name).Run() })
	return tm
}

func (tm *terminal) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.sock}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// typeLine types text literally, then Enter.
func (tm *terminal) typeLine(text string) {
	tm.tmux("send-keys", "-t", tm.name, "-l", text)
	tm.tmux("send-keys", "-t", tm.name, "Enter")
}

// keys sends tmux key names (Tab, C-c, C-d, Up).
func (tm *terminal) keys(keys ...string) {
	tm.tmux(append([]string{"send-keys", "-t", tm.name}, keys...)...)
}

// screen returns the pane's text, with its scrollback.
func (tm *terminal) screen() string {
	return tm.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", tm.name)
}

// waitFor waits until the screen satisfies ok, and returns how long that
// took.
func (tm *terminal) waitFor(what string, ok func(string) bool, timeout time.Duration) time.Duration {
	tm.t.Helper()
	start := time.Now()
	for {
		s := tm.screen()
		if ok(s) {
			return time.Since(start)
		}
		if time.Since(start) > timeout {
			tm.t.Fatalf("waited %v for %s; the screen:\n%s", timeout, what, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitText waits for text to appear n times on the screen.
func (tm *terminal) waitText(text string, n int) time.Duration {
	tm.t.Helper()
	return tm.waitFor(fmt.Sprintf("%q ×%d", text, n), func(s string) bool { return strings.Count(s, text) >= n }, 20*time.Second)
}

// waitPrompt waits for an empty prompt on the last line.
func (tm *terminal) waitPrompt() {
	tm.t.Helper()
	tm.waitFor("an empty prompt", func(s string) bool {
		lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
		return strings.TrimSpace(lines[len(lines)-1]) == ">>>"
	}, 20*time.Second)
}

// ffStep is the talk's feed-forward step, typed at the prompt line by line.
var ffStep = []string{
	"rng := rand.New(rand.NewPCG(1, 1))",
	"layer1 := nn.NewLinear(rng, 3, 4)",
	"layer2 := nn.NewLinear(rng, 4, 2)",
	"act := &nn.Tanh{}",
	"step := func(x *mat.Dense) *mat.Dense {",
	"\th := act.Forward(layer1.Forward(x))",
	"\treturn layer2.Forward(h)",
	"}",
	"x := mat.NewDense(1, 3, []float64{1, 2, 3})",
	"step(x)",
}

// expected returns the text the REPL shows for the value of the last cell,
// computed in-process by the evaluator.
func expected(t *testing.T, cells []string) string {
	t.Helper()
	s, err := eval.New(eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Eval(context.Background(), strings.Join(cells, "\n"))
	if err != nil || res.Value == nil {
		t.Fatalf("the feed-forward step in-process: %v %v", res, err)
	}
	return string(res.Value[display.MIMEText])
}

// TestTerminal drives the REPL in a real terminal: the feed-forward step
// and its numbers, Tab completion of nn., Ctrl-C on a cell that loops
// forever (back to the prompt within a second, the session intact), :vars,
// Ctrl-D (exit status 0), and the history of one run at the next run's
// Up arrow.
func TestTerminal(t *testing.T) {
	needTmux(t)
	if testing.Short() {
		t.Skip("builds the binary and drives a terminal")
	}
	dir := t.TempDir()
	bin := buildSeq2go(t, dir)
	home := filepath.Join(dir, "home")
	os.Mkdir(home, 0o755)
	sock := filepath.Join(dir, "tmux.sock")
	status := filepath.Join(dir, "status")
	// The working directory is the module root, where tutorials/ is. A
	// race report goes to a file (see the end).
	races := filepath.Join(dir, "race")
	command := fmt.Sprintf("cd .. && HOME=%s TERM=xterm-256color GORACE=log_path=%s %s; echo $? > %s; sleep 60", home, races, bin, status)
	want := expected(t, ffStep)

	tm := start(t, sock, "repl", command)
	tm.waitText(">>> ", 1)
	for _, line := range ffStep {
		tm.typeLine(line)
	}
	tm.waitText(want, 1)
	if !strings.Contains(tm.screen(), "... ") {
		t.Errorf("no continuation prompt for the open func literal:\n%s", tm.screen())
	}

	// Tab after "nn." lists the package's members.
	tm.tmux("send-keys", "-t", tm.name, "-l", "nn.")
	tm.keys("Tab")
	tm.waitFor("nn. completions", func(s string) bool {
		return strings.Contains(s, "NewLinear") && strings.Contains(s, "SoftmaxCrossEntropy")
	}, 10*time.Second)
	tm.keys("C-c") // leaves the completion menu
	tm.keys("C-c") // clears the line
	tm.waitPrompt()

	// Ctrl-C stops a cell that never returns.
	tm.typeLine("for {}")
	time.Sleep(300 * time.Millisecond)
	tm.keys("C-c")
	if took := tm.waitText("interrupted", 1); took > 1500*time.Millisecond {
		t.Errorf("Ctrl-C took %v to stop for {}", took) // 1s, plus the polling of a loaded machine
	}
	tm.typeLine("layer1.W.Value.At(0, 0) == layer1.W.Value.At(0, 0)")
	tm.waitText("true", 1)

	tm.typeLine(":vars")
	tm.waitFor(":vars", func(s string) bool {
		return strings.Contains(s, "layer1  *nn.Linear") && strings.Contains(s, "x       *mat.Dense")
	}, 10*time.Second)

	tm.keys("C-d")
	tm.waitFor("exit", func(string) bool {
		b, err := os.ReadFile(status)
		return err == nil && len(b) > 0
	}, 10*time.Second)
	if b, _ := os.ReadFile(status); strings.TrimSpace(string(b)) != "0" {
		t.Errorf("exit status after Ctrl-D: %q", b)
	}
	hist, err := os.ReadFile(filepath.Join(home, ".seq2go_history"))
	if err != nil || !strings.Contains(string(hist), "layer1 := nn.NewLinear(rng, 3, 4)") {
		t.Errorf("history file: %q %v", hist, err)
	}

	// The next run finds the history: Up brings back the last line.
	os.Remove(status)
	tm2 := start(t, sock, "again", command)
	tm2.waitText(">>> ", 1)
	tm2.keys("Up")
	tm2.waitText(">>> :vars", 1)
	tm2.keys("C-u", "C-d")

	if reports, _ := filepath.Glob(races + ".*"); len(reports) > 0 {
		b, _ := os.ReadFile(reports[0])
		t.Errorf("the REPL reported a data race:\n%s", b)
	}
}
