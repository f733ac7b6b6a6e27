package kernel_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests in this file drive the kernel with the real Jupyter client:
// they build cmd/seq2go, install its kernelspec into a temporary prefix and
// run the Python scripts in testdata with /usr/bin/python3 and JUPYTER_PATH
// pointing there. Without python3, jupyter_client or nbclient they skip —
// unless CI=true, where they fail: on Debian, install
//
//	python3-jupyter-client python3-nbclient python3-nbconvert python3-zmq
//	jupyter-console (python3-jupyter-console, for TestConsole)
//
// (python3-ipykernel too for the benchmark against ipykernel).

const python = "/usr/bin/python3"

var (
	setupOnce  sync.Once
	setupErr   error
	jupyterDir string // the share/jupyter of the temporary prefix
	tmpRoot    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if tmpRoot != "" {
		os.RemoveAll(tmpRoot)
	}
	os.Exit(code)
}

// need skips t (fails it under CI=true) unless python imports every module.
func need(t *testing.T, modules ...string) {
	t.Helper()
	missing := func(why string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s: install python3-jupyter-client python3-nbclient python3-nbconvert jupyter-console", why)
		}
		t.Skipf("skipped: %s (install python3-jupyter-client python3-nbclient python3-nbconvert jupyter-console)", why)
	}
	if _, err := os.Stat(python); err != nil {
		missing(python + " not found")
	}
	out, err := exec.Command(python, "-c", "import "+strings.Join(modules, ", ")).CombinedOutput()
	if err != nil {
		missing("python cannot import " + strings.Join(modules, ", ") + ": " + strings.TrimSpace(string(out)))
	}
}

// install builds seq2go and installs the kernelspec once for all tests.
func install(t *testing.T) []string {
	t.Helper()
	setupOnce.Do(func() {
		tmpRoot, setupErr = os.MkdirTemp("", "seq2go-kernel-test")
		if setupErr != nil {
			return
		}
		bin := filepath.Join(tmpRoot, "seq2go")
		if runtime.GOOS == "windows" {
			bin += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", bin, "../cmd/seq2go").CombinedOutput()
		if err != nil {
			setupErr = &buildError{"go build", err, out}
			return
		}
		prefix := filepath.Join(tmpRoot, "prefix")
		out, err = exec.Command(bin, "kernel", "install", "--prefix", prefix).CombinedOutput()
		if err != nil {
			setupErr = &buildError{"seq2go kernel install", err, out}
			return
		}
		jupyterDir = filepath.Join(prefix, "share", "jupyter")
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return append(os.Environ(), "JUPYTER_PATH="+jupyterDir, "PYDEVD_DISABLE_FILE_VALIDATION=1")
}

type buildError struct {
	what string
	err  error
	out  []byte
}

func (e *buildError) Error() string { return e.what + ": " + e.err.Error() + "\n" + string(e.out) }

func TestKernelspec(t *testing.T) {
	install(t)
	dir := filepath.Join(jupyterDir, "kernels", "seq2go")
	for _, f := range []string{"kernel.json", "logo-32x32.png", "logo-64x64.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"kernel"`, `"--connection-file"`, `"{connection_file}"`, `"Go (seq2go)"`, `"interrupt_mode": "message"`, `"language": "go"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("kernel.json lacks %s:\n%s", want, b)
		}
	}
}

// TestJupyterClient runs testdata/client.py: execute, streams while a cell
// runs, results, errors and recovery, display and update, complete, inspect,
// is_complete, history, stdin, interrupt by message and by SIGINT, a forged
// signature, heartbeat, shutdown. Each check prints "ok NAME".
func TestJupyterClient(t *testing.T) {
	need(t, "jupyter_client", "zmq")
	env := install(t)
	cmd := exec.Command(python, "testdata/client.py")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("client.py: %v", err)
	}
	if !strings.Contains(string(out), "ok kernel exits on shutdown") {
		t.Fatal("client.py did not reach its last check")
	}
}

// TestNotebooks runs every notebook of notebooks/ through nbclient against
// the installed kernel and fails on any cell error.
func TestNotebooks(t *testing.T) {
	need(t, "nbclient", "nbformat")
	env := install(t)
	nbs, err := filepath.Glob("../notebooks/*.ipynb")
	if err != nil || len(nbs) == 0 {
		t.Fatalf("no notebooks: %v", err)
	}
	cmd := exec.Command(python, append([]string{"testdata/notebooks.py"}, nbs...)...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("notebooks.py: %v", err)
	}
}

// TestParentDeath starts the kernel from a shell that exits after a second:
// the kernel, reparented, must notice and exit. With JPY_PARENT_PID (set by
// jupyter_client) it watches that process instead, here a sleep that
// outlives the shell.
func TestParentDeath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no getppid change on windows")
	}
	install(t)
	for _, tc := range []struct {
		desc  string
		watch bool // JPY_PARENT_PID names a sleep 3 process
	}{{"parent pid", false}, {"JPY_PARENT_PID", true}} {
		t.Run(tc.desc, func(t *testing.T) {
			ports := freePorts(t, 5)
			cf := filepath.Join(t.TempDir(), "kernel.json")
			conn := fmt.Sprintf(`{"transport":"tcp","ip":"127.0.0.1","shell_port":%d,"control_port":%d,"stdin_port":%d,"iopub_port":%d,"hb_port":%d,"signature_scheme":"hmac-sha256","key":"k"}`,
				ports[0], ports[1], ports[2], ports[3], ports[4])
			if err := os.WriteFile(cf, []byte(conn), 0o600); err != nil {
				t.Fatal(err)
			}
			var env []string
			for _, e := range os.Environ() {
				if !strings.HasPrefix(e, "JPY_PARENT_PID=") {
					env = append(env, e)
				}
			}
			start := time.Now()
			if tc.watch {
				sleep := exec.Command("sleep", "3")
				if err := sleep.Start(); err != nil {
					t.Fatal(err)
				}
				go sleep.Wait()
				env = append(env, fmt.Sprintf("JPY_PARENT_PID=%d", sleep.Process.Pid))
			}
			pidFile := filepath.Join(t.TempDir(), "pid")
			bin := filepath.Join(tmpRoot, "seq2go")
			sh := exec.Command("sh", "-c", `"$0" kernel --connection-file "$1" 2>/dev/null & echo $! > "$2"; sleep 1`, bin, cf, pidFile)
			sh.Env = env
			if out, err := sh.CombinedOutput(); err != nil {
				t.Fatalf("sh: %v\n%s", err, out)
			}
			b, err := os.ReadFile(pidFile)
			if err != nil {
				t.Fatal(err)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			p, _ := os.FindProcess(pid)
			defer p.Kill()
			alive := func() bool { return p.Signal(syscall.Signal(0)) == nil }
			if tc.watch {
				time.Sleep(time.Until(start.Add(2 * time.Second)))
				if !alive() {
					t.Fatal("the kernel exited while JPY_PARENT_PID was alive")
				}
			}
			for deadline := time.Now().Add(6 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
				if !alive() {
					return
				}
			}
			t.Fatal("the kernel outlived its parent")
		})
	}
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// TestLatencyVsIPyKernel measures execute_request → execute_reply for 1+1,
// the median of 100, for seq2go and ipykernel in one run. It runs only with
// SEQ2GO_KERNEL_BENCH=1 (and python3-ipykernel installed).
func TestLatencyVsIPyKernel(t *testing.T) {
	if os.Getenv("SEQ2GO_KERNEL_BENCH") != "1" {
		t.Skip("set SEQ2GO_KERNEL_BENCH=1 to measure against ipykernel")
	}
	need(t, "jupyter_client", "ipykernel")
	env := install(t)
	cmd := exec.Command(python, "testdata/client.py", "bench", "100", "seq2go", "python3")
	// ipykernel's kernelspec names python3 by path; keep /usr/bin first anyway.
	cmd.Env = append(env, "PATH=/usr/bin:"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatal(err)
	}
}

// TestConsole runs jupyter console (Debian's jupyter-console) against the
// kernel, with its simple prompt reading from a pipe: 1+1, fmt.Scanln
// answered by the console's own input, and exit, which must end the
// console and the kernel.
func TestConsole(t *testing.T) {
	need(t, "jupyter_console")
	env := install(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-m", "jupyter_console", "--simple-prompt", "--kernel", "seq2go")
	cmd.Env = env
	cmd.Stdin = strings.NewReader("1+1\nvar who string; fmt.Scanln(&who); fmt.Println(\"hi\", who)\nAda\nexit\n")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("jupyter console did not exit within 60s:\n%s", out)
	}
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("jupyter console: %v", err)
	}
	for _, want := range []string{"Out[1]: 2", "hi Ada", "Shutting down kernel"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("jupyter console output lacks %q", want)
		}
	}
}
