package kernel_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seq2go/seq2go/kernel"
)

// The tests in this file drive the kernel with the real Jupyter client:
// they install a kernelspec into a temporary prefix and run the Python
// scripts in testdata with /usr/bin/python3 and JUPYTER_PATH pointing there.
// The kernel they start is this test binary, which serves a kernel the way
// `seq2go kernel --connection-file FILE` does when the kernelspec's
// environment sets kernelEnv (see TestMain): the kernel's code as the
// seq2go binary runs it, without building that binary, and built with the
// race detector under go test -race. Without python3, jupyter_client or
// nbclient they skip — unless CI=true, where they fail: on Debian, install
//
//	python3-jupyter-client python3-nbclient python3-nbconvert python3-zmq
//	jupyter-console (python3-jupyter-console, for TestConsole)
//
// (python3-ipykernel too for the benchmark against ipykernel).

const python = "/usr/bin/python3"

// kernelEnv, set to 1 in a process's environment, makes this test binary a
// kernel.
const kernelEnv = "SEQ2GO_TEST_KERNEL"

var (
	setupOnce  sync.Once
	setupErr   error
	jupyterDir string // the share/jupyter of the temporary prefix
	tmpRoot    string
	exe        string // this test binary: the kernel
)

func TestMain(m *testing.M) {
	if os.Getenv(kernelEnv) == "1" {
		os.Exit(serve(os.Args[1:]))
	}
	code := m.Run()
	if tmpRoot != "" {
		os.RemoveAll(tmpRoot)
	}
	os.Exit(code)
}

// serve is `seq2go kernel --connection-file FILE`, for the tests' kernels.
func serve(args []string) int {
	if len(args) != 3 || args[0] != "kernel" || args[1] != "--connection-file" {
		fmt.Fprintf(os.Stderr, "%s=1: want kernel --connection-file FILE, got %q\n", kernelEnv, args)
		return 2
	}
	if err := kernel.Run(context.Background(), args[2], kernel.Options{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
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

// install installs the kernelspec once for all tests, and returns the
// environment that finds it.
func install(t *testing.T) []string {
	t.Helper()
	setupOnce.Do(func() {
		if exe, setupErr = os.Executable(); setupErr != nil {
			return
		}
		if tmpRoot, setupErr = os.MkdirTemp("", "seq2go-kernel-test"); setupErr != nil {
			return
		}
		jupyterDir = filepath.Join(tmpRoot, "prefix", "share", "jupyter")
		spec := kernel.NewSpec(exe)
		spec.Env = map[string]string{kernelEnv: "1"}
		setupErr = kernel.Install(filepath.Join(jupyterDir, "kernels", "seq2go"), spec)
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return append(os.Environ(), "JUPYTER_PATH="+jupyterDir, "PYDEVD_DISABLE_FILE_VALIDATION=1")
}

// noRace fails t when a kernel's output reports a data race (a kernel built
// with -race prints the report and goes on).
func noRace(t *testing.T, out []byte) {
	t.Helper()
	if bytes.Contains(out, []byte("WARNING: DATA RACE")) {
		t.Error("the kernel reported a data race (see the log above)")
	}
}

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
	t.Parallel()
	need(t, "jupyter_client", "zmq")
	env := install(t)
	cmd := exec.Command(python, "testdata/client.py")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	noRace(t, out)
	if err != nil {
		t.Fatalf("client.py: %v", err)
	}
	if !strings.Contains(string(out), "ok kernel exits on shutdown") {
		t.Fatal("client.py did not reach its last check")
	}
}

// TestNotebooks runs every notebook of notebooks/ through nbclient against
// the installed kernel, fails on any cell error, exports each to HTML with
// nbconvert and checks the figures there (checkFigures). Under the race
// detector, which makes training ten times slower, it is skipped:
// TestJupyterClient covers the kernel's concurrency.
func TestNotebooks(t *testing.T) {
	if raceEnabled {
		t.Skip("the chapters' training under -race takes minutes; TestJupyterClient covers the kernel")
	}
	t.Parallel()
	need(t, "nbclient", "nbformat", "nbconvert")
	env := install(t)
	nbs, err := filepath.Glob("../notebooks/*.ipynb")
	if err != nil || len(nbs) == 0 {
		t.Fatalf("no notebooks: %v", err)
	}
	dir := t.TempDir()
	cmd := exec.Command(python, append([]string{"testdata/notebooks.py", dir}, nbs...)...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("notebooks.py: %v", err)
	}
	figures := 0
	for _, nb := range nbs {
		src, err := os.ReadFile(nb)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(nb), ".ipynb")
		n := checkFigures(t, dir, name)
		if n == 0 && bytes.Contains(src, []byte("plot.New")) {
			t.Errorf("%s draws plots, but its HTML export has no figure", name)
		}
		figures += n
	}
	t.Logf("%d figures in the HTML exports, each a PNG that is not blank", figures)
}

// checkFigures checks the figures of notebook name, executed and exported to
// HTML in dir: each image output is a PNG alone (no SVG, which nbconvert's
// sanitizer strips: see display.UseSVG), and is in the HTML as an <img> whose
// data decodes to a PNG of at least 100×100 pixels that is not blank (more
// than 0.5% of its pixels differ from the background colour). It returns the
// number of figures.
func checkFigures(t *testing.T, dir, name string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name+".ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			Outputs []struct {
				Data map[string]json.RawMessage `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s.ipynb: %v", name, err)
	}
	pngs := 0
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if _, ok := o.Data["image/svg+xml"]; ok {
				t.Errorf("%s: an output carries image/svg+xml", name)
			}
			if _, ok := o.Data["image/png"]; ok {
				pngs++
			}
		}
	}
	html, err := os.ReadFile(filepath.Join(dir, name+".html"))
	if err != nil {
		t.Fatal(err)
	}
	imgs := htmlPNG.FindAllSubmatch(html, -1)
	if len(imgs) != pngs {
		t.Errorf("%s.html has %d PNG images, the notebook %d figures", name, len(imgs), pngs)
	}
	for i, m := range imgs {
		data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(m[1])), ""))
		if err != nil {
			t.Errorf("%s.html, image %d: %v", name, i+1, err)
			continue
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s.html, image %d: %v", name, i+1, err)
			continue
		}
		if r := img.Bounds(); r.Dx() < 100 || r.Dy() < 100 {
			t.Errorf("%s.html, image %d: %v pixels", name, i+1, r.Size())
		} else if f := inked(img); f < 0.005 {
			t.Errorf("%s.html, image %d: blank (%.2f%% of its pixels differ from the background)", name, i+1, 100*f)
		}
	}
	return pngs
}

// htmlPNG matches an image embedded in nbconvert's HTML.
var htmlPNG = regexp.MustCompile(`<img[^>]*\ssrc="data:image/png;base64,([^"]+)"`)

// inked returns the fraction of img's pixels whose colour is not the most
// common one (the background).
func inked(img image.Image) float64 {
	counts := map[color.RGBA64]int{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			counts[color.RGBA64Model.Convert(img.At(x, y)).(color.RGBA64)]++
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	total := r.Dx() * r.Dy()
	return float64(total-most) / float64(total)
}

// TestParentDeath starts the kernel from a shell that exits after a second:
// the kernel, reparented, must notice and exit. With JPY_PARENT_PID (set by
// jupyter_client) it watches that process instead, here a sleep that
// outlives the shell.
func TestParentDeath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no getppid change on windows")
	}
	t.Parallel()
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
			env := []string{kernelEnv + "=1"}
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
			sh := exec.Command("sh", "-c", `"$0" kernel --connection-file "$1" 2>/dev/null & echo $! > "$2"; sleep 1`, exe, cf, pidFile)
			sh.Env = env
			if err := sh.Start(); err != nil {
				t.Fatal(err)
			}
			// Take hold of the kernel (a pidfd) while the shell, its parent,
			// still runs: after that its pid may be reused — by a process of
			// another test — and a kill by number would hit that one.
			var p *os.Process
			for deadline := time.Now().Add(10 * time.Second); p == nil; time.Sleep(10 * time.Millisecond) {
				b, _ := os.ReadFile(pidFile)
				if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && bytes.HasSuffix(b, []byte("\n")) {
					p, _ = os.FindProcess(pid)
				} else if time.Now().After(deadline) {
					t.Fatalf("the shell wrote no pid: %q", b)
				}
			}
			defer p.Kill()
			if err := sh.Wait(); err != nil {
				t.Fatalf("sh: %v", err)
			}
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
	t.Parallel()
	need(t, "jupyter_console")
	env := install(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-m", "jupyter_console", "--simple-prompt", "--kernel", "seq2go")
	cmd.Env = env
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Type once the first prompt is up, as a user would: the console
	// listens to the kernel's iopub socket from then on, and a kernel slow to
	// start (under -race) may register that subscription a moment later;
	// what it publishes before is lost (ZeroMQ's slow joiner).
	for deadline := time.Now().Add(50 * time.Second); !strings.Contains(out.String(), "In [1]"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(500 * time.Millisecond)
	io.WriteString(stdin, "1+1\nvar who string; fmt.Scanln(&who); fmt.Println(\"hi\", who)\nAda\nexit\n")
	stdin.Close()
	err = cmd.Wait()
	if ctx.Err() != nil {
		t.Fatalf("jupyter console did not exit within 60s:\n%s", out.String())
	}
	t.Logf("%s", out.String())
	noRace(t, []byte(out.String()))
	if err != nil {
		t.Fatalf("jupyter console: %v", err)
	}
	for _, want := range []string{"Out[1]: 2", "hi Ada", "Shutting down kernel"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("jupyter console output lacks %q", want)
		}
	}
}

// syncBuffer is a bytes.Buffer that a process writes while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
