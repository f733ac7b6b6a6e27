package kernel

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/seq2go/seq2go/internal/eval"
	"github.com/seq2go/seq2go/lib/display"
)

// Options configure Run.
type Options struct {
	// Log receives the kernel's own log lines (dropped messages, handler
	// failures). nil logs to a duplicate of standard error taken before the
	// evaluator redirects descriptor 2 for the cells' output.
	Log *log.Logger

	// ParentPoll is how often the kernel checks that the process that
	// started it is still alive; 0 means every second, <0 never.
	ParentPoll time.Duration
}

// server is one running kernel: its sockets, its evaluator session and the
// state of the request being served.
type server struct {
	conn    *ConnectionInfo
	sig     *signer
	log     *log.Logger
	session string // the kernel's session id, in the headers it sends

	shell, control, stdin, iopub, hb zmq4.Socket
	out                              map[zmq4.Socket]chan [][]byte // one writer goroutine per socket
	writers                          sync.WaitGroup
	sendMu                           sync.RWMutex // held to send; Run takes it to close the writers' channels
	closed                           bool

	ev      *eval.Session
	streams *streams

	mu        sync.Mutex
	parent    *Message           // the execute_request being served, for outputs
	allowIn   bool               // parent allows stdin
	cancel    context.CancelFunc // interrupts the running cell
	inputs    chan *Message      // input_reply messages from the stdin socket
	queue     chan *Message      // shell requests received and not yet served
	abort     int                // how many of the queued requests to abort execute requests of (stop_on_error)
	count     int                // execution_count
	history   []string
	done      chan struct{} // closed on shutdown
	closeOnce sync.Once
}

// Run serves the kernel described by the connection file at path until a
// shutdown_request, the death of the parent process, or ctx's end.
func Run(ctx context.Context, path string, opt Options) error {
	conn, err := ReadConnectionFile(path)
	if err != nil {
		return err
	}
	sig, err := newSigner(conn.SignatureScheme, []byte(conn.Key))
	if err != nil {
		return err
	}
	lg := opt.Log
	if lg == nil {
		lg = log.New(stderrDup(), "seq2go kernel: ", log.LstdFlags)
	}
	k := &server{
		conn: conn, sig: sig, log: lg, session: newID(),
		out:    map[zmq4.Socket]chan [][]byte{},
		inputs: make(chan *Message, 1),
		queue:  make(chan *Message, shellQueue),
		done:   make(chan struct{}),
	}
	k.streams = &streams{k: k}
	k.ev, err = eval.New(eval.Options{
		Stdout:  &stream{k.streams, "stdout"},
		Stderr:  &stream{k.streams, "stderr"},
		Display: sink{k},
	})
	if err != nil {
		return err
	}
	defer k.ev.Close()

	zctx, stop := context.WithCancel(ctx)
	defer stop()
	// zmq4 logs to os.Stderr by default, which is the cell's stderr while
	// one runs.
	zlog := zmq4.WithLogger(lg)
	k.shell = zmq4.NewRouter(zctx, zlog)
	k.control = zmq4.NewRouter(zctx, zlog)
	k.stdin = zmq4.NewRouter(zctx, zlog)
	k.iopub = zmq4.NewPub(zctx, zlog)
	k.hb = zmq4.NewRep(zctx, zlog)
	for _, s := range []struct {
		sock zmq4.Socket
		port int
	}{{k.shell, conn.ShellPort}, {k.control, conn.ControlPort}, {k.stdin, conn.StdinPort}, {k.iopub, conn.IOPubPort}, {k.hb, conn.HBPort}} {
		if err := s.sock.Listen(conn.endpoint(s.port)); err != nil {
			k.closeSockets()
			return err
		}
	}
	for _, s := range []zmq4.Socket{k.shell, k.control, k.stdin, k.iopub} {
		c := make(chan [][]byte, 1024)
		k.out[s] = c
		k.writers.Add(1)
		go k.writer(s, c)
	}

	go k.heartbeat()
	go k.serve(k.control, "control")
	go k.serve(k.stdin, "stdin")
	go k.serveShell()

	sigint := make(chan os.Signal, 1)
	signal.Notify(sigint, os.Interrupt)
	defer signal.Stop(sigint)

	poll := opt.ParentPoll
	if poll == 0 {
		poll = time.Second
	}
	var tick <-chan time.Time
	if poll > 0 {
		t := time.NewTicker(poll)
		defer t.Stop()
		tick = t.C
	}
	parentGone := parentWatch()
	k.publish(nil, "status", map[string]any{"execution_state": "starting"})
	for {
		select {
		case <-sigint:
			k.log.Print("SIGINT: interrupting the running cell")
			k.interrupt()
		case <-tick:
			if parentGone() {
				k.log.Print("parent process gone: exiting")
				k.shutdown()
			}
		case <-ctx.Done():
			k.shutdown()
		case <-k.done:
			k.interrupt()
			// Let the writers flush what is queued (the shutdown reply).
			k.sendMu.Lock()
			k.closed = true
			for _, c := range k.out {
				close(c)
			}
			k.sendMu.Unlock()
			k.writers.Wait()
			k.closeSockets()
			return nil
		}
	}
}

func (k *server) closeSockets() {
	for _, s := range []zmq4.Socket{k.shell, k.control, k.stdin, k.iopub, k.hb} {
		if s != nil {
			s.Close()
		}
	}
}

func (k *server) shutdown() { k.closeOnce.Do(func() { close(k.done) }) }

// interrupt cancels the running cell, if any.
func (k *server) interrupt() {
	k.mu.Lock()
	if k.cancel != nil {
		k.cancel()
	}
	k.mu.Unlock()
}

// writer is the one goroutine that sends on sock.
func (k *server) writer(sock zmq4.Socket, c chan [][]byte) {
	defer k.writers.Done()
	for frames := range c {
		if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			k.log.Printf("send: %v", err)
		}
	}
}

// heartbeat echoes every ping; it runs on its own goroutine, so it answers
// while a cell runs.
func (k *server) heartbeat() {
	for {
		m, err := k.hb.Recv()
		if err != nil {
			select {
			case <-k.done:
				return
			default:
			}
			if errors.Is(err, context.Canceled) {
				return
			}
			continue
		}
		if err := k.hb.Send(m); err != nil {
			k.log.Printf("heartbeat: %v", err)
		}
	}
}

// send queues m, with header msgType and parent, on sock's writer.
func (k *server) send(sock zmq4.Socket, ids [][]byte, parent *Message, msgType string, content any) {
	c, err := json.Marshal(content)
	if err != nil {
		k.log.Printf("%s: %v", msgType, err)
		return
	}
	m := &Message{
		Identities: ids,
		Header:     Header{MsgID: newID(), Session: k.session, Username: "kernel", Date: now(), MsgType: msgType, Version: ProtocolVersion},
		Content:    c,
	}
	if parent != nil {
		m.Parent, _ = json.Marshal(parent.Header)
	}
	frames, err := k.sig.Encode(m)
	if err != nil {
		k.log.Printf("%s: %v", msgType, err)
		return
	}
	// After shutdown the writers' channels are closed: a late output is dropped.
	k.sendMu.RLock()
	defer k.sendMu.RUnlock()
	if !k.closed {
		k.out[sock] <- frames
	}
}

// publish sends a message on iopub, with the message type as topic.
func (k *server) publish(parent *Message, msgType string, content any) {
	k.send(k.iopub, [][]byte{[]byte(msgType)}, parent, msgType, content)
}

// reply answers req on the socket it came from.
func (k *server) reply(sock zmq4.Socket, req *Message, msgType string, content any) {
	k.send(sock, req.Identities, req, msgType, content)
}

// shellQueue is how many shell requests may wait while a cell runs
// before the socket's reader waits too.
const shellQueue = 1024

// serveShell serves the shell socket: one goroutine reads requests into
// k.queue as they arrive, while this one serves them in order. Knowing
// what is queued is what stop_on_error needs: when a cell fails, the
// execute requests already waiting behind it are aborted.
func (k *server) serveShell() {
	go func() {
		defer close(k.queue)
		k.read(k.shell, "shell", func(m *Message) { k.queue <- m })
	}()
	for m := range k.queue {
		if k.abort > 0 {
			k.abort--
			if m.Header.MsgType == "execute_request" {
				k.aborted(m)
				continue
			}
		}
		k.handle(k.shell, "shell", m)
	}
}

// aborted answers an execute request that a failed cell before it
// cancelled, as ipykernel does: status "aborted", nothing run.
func (k *server) aborted(m *Message) {
	k.publish(m, "status", map[string]any{"execution_state": "busy"})
	k.reply(k.shell, m, "execute_reply", map[string]any{"status": "aborted"})
	k.publish(m, "status", map[string]any{"execution_state": "idle"})
}

// serve reads and dispatches the messages of one ROUTER socket.
func (k *server) serve(sock zmq4.Socket, name string) {
	k.read(sock, name, func(m *Message) {
		if sock == k.stdin {
			if m.Header.MsgType == "input_reply" {
				select {
				case k.inputs <- m:
				default:
					k.log.Printf("stdin: input_reply nobody asked for: dropped")
				}
			}
			return
		}
		k.handle(sock, name, m)
	})
}

// read receives, checks and decodes the messages of sock and passes each
// to f, until the socket closes.
func (k *server) read(sock zmq4.Socket, name string, f func(*Message)) {
	for {
		zm, err := sock.Recv()
		if err != nil {
			select {
			case <-k.done:
				return
			default:
			}
			if errors.Is(err, context.Canceled) {
				return
			}
			k.log.Printf("%s: recv: %v", name, err)
			continue
		}
		m, err := k.sig.Decode(zm.Frames)
		if err != nil {
			k.log.Printf("%s: dropped a message: %v", name, err)
			continue
		}
		f(m)
	}
}

// handle serves one request between status busy and idle; a panic in a
// handler is logged and the kernel goes on.
func (k *server) handle(sock zmq4.Socket, name string, m *Message) {
	k.publish(m, "status", map[string]any{"execution_state": "busy"})
	defer k.publish(m, "status", map[string]any{"execution_state": "idle"})
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("%s: %s: panic: %v\n%s", name, m.Header.MsgType, r, debug.Stack())
		}
	}()
	switch t := m.Header.MsgType; t {
	case "kernel_info_request":
		k.reply(sock, m, "kernel_info_reply", kernelInfo())
	case "execute_request":
		k.execute(sock, m)
	case "complete_request":
		var c struct {
			Code      string `json:"code"`
			CursorPos int    `json:"cursor_pos"`
		}
		json.Unmarshal(m.Content, &c)
		matches, start, end := k.ev.Complete(c.Code, c.CursorPos)
		if matches == nil {
			matches = []string{}
		}
		k.reply(sock, m, "complete_reply", map[string]any{
			"status": "ok", "matches": matches, "cursor_start": start, "cursor_end": end, "metadata": map[string]any{},
		})
	case "inspect_request":
		var c struct {
			Code      string `json:"code"`
			CursorPos int    `json:"cursor_pos"`
		}
		json.Unmarshal(m.Content, &c)
		doc, found := k.ev.Inspect(c.Code, c.CursorPos)
		data := map[string]any{}
		if found {
			data["text/plain"] = doc
			data["text/markdown"] = "```go\n" + strings.TrimRight(doc, "\n") + "\n```\n"
		}
		k.reply(sock, m, "inspect_reply", map[string]any{"status": "ok", "found": found, "data": data, "metadata": map[string]any{}})
	case "is_complete_request":
		var c struct {
			Code string `json:"code"`
		}
		json.Unmarshal(m.Content, &c)
		status, indent := eval.IsComplete(c.Code)
		r := map[string]any{"status": status}
		if status == "incomplete" {
			r["indent"] = indent
		}
		k.reply(sock, m, "is_complete_reply", r)
	case "history_request":
		k.reply(sock, m, "history_reply", k.historyReply(m))
	case "comm_info_request":
		k.reply(sock, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "interrupt_request":
		k.interrupt()
		k.reply(sock, m, "interrupt_reply", map[string]any{"status": "ok"})
	case "shutdown_request":
		var c struct {
			Restart bool `json:"restart"`
		}
		json.Unmarshal(m.Content, &c)
		r := map[string]any{"status": "ok", "restart": c.Restart}
		k.reply(sock, m, "shutdown_reply", r)
		// The client waits for the reply on control; a request that came on
		// shell is answered there too, and on iopub as ipykernel does.
		k.publish(m, "shutdown_reply", r)
		k.interrupt()
		k.shutdown()
	case "comm_open", "comm_msg", "comm_close":
		// No comms: ignored, as the protocol allows.
	default:
		k.log.Printf("%s: unknown message type %q: ignored", name, t)
	}
}

func kernelInfo() map[string]any {
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         "seq2go",
		"implementation_version": "0.1",
		"banner":                 "seq2go — deep learning for NLP in Go (yaegi " + runtime.Version() + ")",
		"language_info": map[string]any{
			"name":            "go",
			"version":         strings.TrimPrefix(runtime.Version(), "go"),
			"mimetype":        "text/x-go",
			"file_extension":  ".go",
			"codemirror_mode": "go",
			"pygments_lexer":  "go",
		},
		"help_links": []map[string]string{
			{"text": "seq2go", "url": "https://github.com/seq2go/seq2go"},
			{"text": "Go documentation", "url": "https://go.dev/doc/"},
			{"text": "gonum mat", "url": "https://pkg.go.dev/gonum.org/v1/gonum/mat"},
		},
	}
}

func (k *server) historyReply(m *Message) map[string]any {
	var c struct {
		Output     bool   `json:"output"`
		AccessType string `json:"hist_access_type"`
		N          int    `json:"n"`
	}
	json.Unmarshal(m.Content, &c)
	k.mu.Lock()
	inputs := append([]string(nil), k.history...)
	k.mu.Unlock()
	first := 0
	if c.AccessType == "tail" && c.N > 0 && c.N < len(inputs) {
		first = len(inputs) - c.N
	}
	h := []any{}
	for i := first; i < len(inputs); i++ {
		var in any = inputs[i]
		if c.Output {
			in = []any{inputs[i], nil}
		}
		h = append(h, []any{0, i + 1, in})
	}
	return map[string]any{"status": "ok", "history": h}
}

// execute runs one cell: execute_input, the streams and displays the cell
// makes, execute_result or error, execute_reply.
func (k *server) execute(sock zmq4.Socket, m *Message) {
	var c struct {
		Code         string `json:"code"`
		Silent       bool   `json:"silent"`
		StoreHistory *bool  `json:"store_history"`
		AllowStdin   bool   `json:"allow_stdin"`
		StopOnError  *bool  `json:"stop_on_error"` // default true
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.log.Printf("execute_request: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The execution counter counts the requests that store history (true
	// by default, forced false by silent); the others get its current value
	// (the messaging spec, "Execution counter").
	store := !c.Silent && (c.StoreHistory == nil || *c.StoreHistory)
	k.mu.Lock()
	if store {
		k.count++
		k.history = append(k.history, c.Code)
	}
	n := k.count
	k.parent, k.allowIn, k.cancel = m, c.AllowStdin, cancel
	k.mu.Unlock()
	defer func() {
		k.mu.Lock()
		k.cancel, k.allowIn = nil, false
		k.mu.Unlock()
	}()

	if !c.Silent {
		k.publish(m, "execute_input", map[string]any{"code": c.Code, "execution_count": n})
	}
	res, err := k.run(ctx, c.Code)
	k.streams.flush()
	if err != nil && isExit(c.Code, err) {
		// exit or quit, typed at jupyter console: ask the front end to
		// leave, as ipykernel does.
		k.reply(sock, m, "execute_reply", map[string]any{
			"status": "ok", "execution_count": n, "user_expressions": map[string]any{},
			"payload": []any{map[string]any{"source": "ask_exit", "keepkernel": false}},
		})
		return
	}
	if err != nil {
		ename, evalue, tb := describe(err, c.Code)
		k.publish(m, "error", map[string]any{"ename": ename, "evalue": evalue, "traceback": tb})
		if sock == k.shell && (c.StopOnError == nil || *c.StopOnError) {
			// The execute requests that reached the kernel before this
			// reply leaves it were sent behind the failed cell: abort them.
			// A request the client sends on seeing the reply runs.
			time.Sleep(abortGrace)
			k.abort = len(k.queue)
		}
		k.reply(sock, m, "execute_reply", map[string]any{
			"status": "error", "execution_count": n, "ename": ename, "evalue": evalue, "traceback": tb,
		})
		return
	}
	if res.Value != nil && !c.Silent {
		k.publish(m, "execute_result", map[string]any{"execution_count": n, "data": mimeData(res.Value), "metadata": map[string]any{}})
	}
	k.reply(sock, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": n, "payload": []any{}, "user_expressions": map[string]any{},
	})
}

// isExit reports whether code is exit or quit (with or without
// parentheses) that failed because the session defines no such name.
func isExit(code string, err error) bool {
	name := strings.TrimSuffix(strings.TrimSpace(code), "()")
	if name != "exit" && name != "quit" {
		return false
	}
	var e *eval.Error
	return errors.As(err, &e) && e.Kind == "compile" && strings.Contains(e.Msg, "undefined: "+name)
}

// abortGrace is how long a failed cell's reply waits for requests still
// on their way from the socket to the queue, so that stop_on_error sees
// the requests a client sent right behind the failed one.
const abortGrace = 5 * time.Millisecond

// run is Eval with a guard: the evaluator recovers user panics itself, this
// catches anything else so that the kernel survives.
func (k *server) run(ctx context.Context, code string) (res eval.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("eval panicked: %v\n%s", r, debug.Stack())
			err = &eval.Error{Kind: "internal", Msg: fmt.Sprint("panic: ", r)}
		}
	}()
	return k.ev.Eval(ctx, code)
}

// describe turns an Eval error into the ename, evalue and traceback of an
// error message. The traceback says the problem once ("panic: boom"), then
// where: for a panic, each interpreted call it unwound, innermost first, with
// its line of code; for another error, the cell's line.
func describe(err error, code string) (ename, evalue string, tb []string) {
	var e *eval.Error
	if !errors.As(err, &e) {
		return "Error", err.Error(), []string{err.Error()}
	}
	ename = map[string]string{
		"syntax": "SyntaxError", "compile": "CompileError", "panic": "panic",
		"interrupt": "Interrupted", "busy": "Busy", "internal": "InternalError",
	}[e.Kind]
	if ename == "" {
		ename = "Error"
	}
	evalue = e.Msg
	for _, kind := range []string{"panic: ", "interrupted: "} {
		evalue = strings.TrimPrefix(evalue, kind)
	}
	tb = []string{"\x1b[31m" + ename + "\x1b[0m: " + evalue}
	frames := e.Stack
	if len(frames) == 0 && e.Line > 0 {
		lines := strings.Split(code, "\n")
		f := eval.Frame{Line: e.Line, Col: e.Col}
		if e.Line <= len(lines) {
			f.Code = lines[e.Line-1]
		}
		frames = []eval.Frame{f}
	}
	for _, f := range frames {
		tb = append(tb, f.Where()+":", fmt.Sprintf("  %4d | %s", f.Line, f.Code))
	}
	return ename, evalue, tb
}

// mimeData is a Bundle as the data of a display or result message: text
// as strings, image/png base64-encoded, other binary types too.
func mimeData(b display.Bundle) map[string]any {
	d := make(map[string]any, len(b))
	for t, v := range b {
		switch {
		case t == "image/png" || t == "image/jpeg" || (strings.HasPrefix(t, "image/") && t != "image/svg+xml"):
			d[t] = base64.StdEncoding.EncodeToString(v)
		case t == "application/json" || strings.HasSuffix(t, "+json"):
			if json.Valid(v) {
				d[t] = json.RawMessage(v)
			}
		default:
			d[t] = string(v)
		}
	}
	return d
}

// current returns the request being served, for outputs.
func (k *server) current() *Message {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.parent
}

// streamDelay is how long written text may wait to be sent, so that a
// loop printing many short lines sends a few large stream messages rather
// than thousands of small ones (ipykernel waits up to 200ms).
const streamDelay = 50 * time.Millisecond

// streamMax is the most text held back before it is sent at once.
const streamMax = 64 << 10

// streams batch what cells write to stdout and stderr into stream
// messages on iopub. Text is sent after streamDelay, when streamMax bytes
// are pending, when the other stream is written to (keeping the order of
// the two), and before any other output of the cell (flush).
type streams struct {
	k       *server
	mu      sync.Mutex
	name    string // the stream buf holds text of
	parent  *Message
	buf     []byte
	pending bool // a timer will flush
}

// stream is the io.Writer of one stream.
type stream struct {
	s    *streams
	name string
}

func (w *stream) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	s := w.s
	parent := s.k.current()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) > 0 && (s.name != w.name || s.parent != parent) {
		s.flushLocked()
	}
	s.name, s.parent = w.name, parent
	s.buf = append(s.buf, b...)
	if len(s.buf) >= streamMax {
		s.flushLocked()
	} else if !s.pending {
		s.pending = true
		time.AfterFunc(streamDelay, s.flush)
	}
	return len(b), nil
}

// flush sends the pending text now.
func (s *streams) flush() {
	s.mu.Lock()
	s.flushLocked()
	s.mu.Unlock()
}

func (s *streams) flushLocked() {
	s.pending = false
	if len(s.buf) == 0 {
		return
	}
	s.k.publish(s.parent, "stream", map[string]any{"name": s.name, "text": string(s.buf)})
	s.buf = s.buf[:0]
}

// sink sends package display's outputs to iopub and answers display.Input
// through the stdin socket.
type sink struct{ k *server }

func (s sink) Display(b display.Bundle, id string) {
	s.k.streams.flush()
	s.k.publish(s.k.current(), "display_data", displayContent(b, id))
}

func (s sink) Update(b display.Bundle, id string) {
	s.k.streams.flush()
	t := "update_display_data"
	if id == "" {
		t = "display_data"
	}
	s.k.publish(s.k.current(), t, displayContent(b, id))
}

func displayContent(b display.Bundle, id string) map[string]any {
	c := map[string]any{"data": mimeData(b), "metadata": map[string]any{}}
	if id != "" {
		c["transient"] = map[string]any{"display_id": id}
	}
	return c
}

// ErrNoStdin is what display.Input returns in a cell whose request does not
// allow stdin (a notebook run by nbclient, a silent execute).
var ErrNoStdin = errors.New("kernel: this front end does not accept input (allow_stdin is false)")

func (s sink) Input(prompt string, password bool) (string, error) {
	k := s.k
	k.mu.Lock()
	parent, allow := k.parent, k.allowIn
	k.mu.Unlock()
	if parent == nil || !allow {
		return "", ErrNoStdin
	}
	k.streams.flush() // the prompt's context first
	// Forget a stale reply.
	select {
	case <-k.inputs:
	default:
	}
	k.send(k.stdin, parent.Identities, parent, "input_request", map[string]any{"prompt": prompt, "password": password})
	ctx := k.ev.Context()
	select {
	case r := <-k.inputs:
		var c struct {
			Value string `json:"value"`
		}
		if err := json.Unmarshal(r.Content, &c); err != nil {
			return "", err
		}
		return c.Value, nil
	case <-ctx.Done():
		return "", ctx.Err()
	case <-k.done:
		return "", errors.New("kernel: shutting down")
	}
}
