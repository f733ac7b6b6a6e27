"""Drives the seq2go kernel with the real Jupyter client.

Run by kernel/jupyter_test.go with JUPYTER_PATH pointing at a kernelspec
installed in a temporary prefix. Each check prints "ok NAME" or raises;
argv[1] = "bench N" measures execute_request -> execute_reply for 1+1
against the kernel named argv[2] instead.
"""
import base64, hashlib, hmac, json, queue, sys, time, uuid

from jupyter_client.manager import start_new_kernel

TIMEOUT = 60


def run(kc, code, allow_stdin=False, on_stdin=None, timeout=TIMEOUT):
    """Execute code; return (reply content, [(time, msg)] of iopub outputs)."""
    msg_id = kc.execute(code, allow_stdin=allow_stdin)
    outs, deadline = [], time.time() + timeout
    reply = None
    idle = False
    while not (idle and reply):
        if time.time() > deadline:
            raise AssertionError("timeout running %r (reply=%r idle=%r)" % (code, reply, idle))
        if on_stdin is not None:
            try:
                m = kc.get_stdin_msg(timeout=0.01)
                on_stdin(kc, m)
            except queue.Empty:
                pass
        if reply is None:
            try:
                m = kc.get_shell_msg(timeout=0.01)
                if m["parent_header"].get("msg_id") == msg_id:
                    reply = m["content"]
            except queue.Empty:
                pass
        try:
            m = kc.get_iopub_msg(timeout=0.01)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status":
            if m["content"]["execution_state"] == "idle":
                idle = True
            continue
        outs.append((time.time(), m))
    return reply, outs


def reply_to(kc, msg_id):
    """The content of the shell reply to msg_id."""
    while True:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id:
            return m["content"]


def of(outs, t):
    return [m["content"] for _, m in outs if m["msg_type"] == t]


def check(name, cond, detail=""):
    if not cond:
        raise AssertionError("%s: %s" % (name, detail))
    print("ok", name, flush=True)


def main():
    km, kc = start_new_kernel(kernel_name="seq2go", startup_timeout=TIMEOUT)
    try:
        tests(km, kc)
    finally:
        if km.is_alive():
            km.shutdown_kernel(now=True)


def tests(km, kc):
    info = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    check("kernel_info", info["protocol_version"] == "5.3" and info["implementation"] == "seq2go"
          and info["language_info"]["name"] == "go" and info["language_info"]["file_extension"] == ".go", info)

    r, outs = run(kc, "1+1")
    res = of(outs, "execute_result")
    check("execute 1+1", r["status"] == "ok" and res and res[0]["data"]["text/plain"] == "2", (r, outs))
    check("execute_input", of(outs, "execute_input")[0]["code"] == "1+1")

    t0 = time.time()
    r, outs = run(kc, 'for i := 0; i < 3; i++ {\n\tfmt.Println("line", i)\n\ttime.Sleep(400 * time.Millisecond)\n}')
    streams = [(t, m["content"]["text"]) for t, m in outs if m["msg_type"] == "stream"]
    text = "".join(s for _, s in streams)
    check("stream text", text == "line 0\nline 1\nline 2\n", streams)
    check("streams arrive while running", len(streams) >= 3 and streams[-1][0] - streams[0][0] > 0.6,
          [(round(t - t0, 3), s) for t, s in streams])

    r, outs = run(kc, "x := 40\nfmt.Println(\"before\")\nvar s []int\n_ = s[3]")
    err = of(outs, "error")
    check("error reply", r["status"] == "error" and err and "line 4" in "\n".join(err[0]["traceback"]), (r, err))
    r, outs = run(kc, "x + 2")
    check("state kept after error", of(outs, "execute_result")[0]["data"]["text/plain"] == "42", outs)
    r, outs = run(kc, "undefinedThing + 1")
    check("compile error", r["status"] == "error" and "undefined" in r["evalue"], r)

    # A panic is said once, at the statement where it happened, with the
    # interpreted calls it unwound.
    r, outs = run(kc, 'func inner() {\n\tpanic("boom")\n}\nfunc outer() {\n\tinner()\n}\nouter()')
    tb = "\n".join(of(outs, "error")[0]["traceback"])
    check("panic said once", r["ename"] == "panic" and r["evalue"] == "boom"
          and tb.splitlines()[0] == "\x1b[31mpanic\x1b[0m: boom" and "Panic" not in tb, tb)
    check("panic placed in the function", tb.index("cell line 2, column 2, in inner:") < tb.index("cell line 5, column 2, in outer:")
          < tb.index("cell line 7, column 1:") and '2 | \tpanic("boom")' in tb, tb)

    # Strings show in Go syntax; values with a String method as they say.
    for code, want in [('""', '""'), ('"1"', '"1"'), ('strings.Repeat("ab", 2)', '"abab"'), ("time.Second", "1s")]:
        r, outs = run(kc, code)
        res = of(outs, "execute_result")
        check("result of %s" % code, res and res[0]["data"]["text/plain"] == want, (r, outs))

    # store_history=False does not advance the execution counter.
    r, outs = run(kc, "1")
    count = r["execution_count"]
    msg_id = kc.execute("2", store_history=False)
    r2 = reply_to(kc, msg_id)
    msg_id = kc.execute("3", silent=True)
    r3 = reply_to(kc, msg_id)
    r4, outs = run(kc, "4")
    check("store_history=False keeps the counter", r2["execution_count"] == count and r3["execution_count"] == count
          and r4["execution_count"] == count + 1, (count, r2, r3, r4))

    r, outs = run(kc, 'd := display.Show("step 0")\nd.Update("step 1")')
    disp = of(outs, "display_data")
    upd = of(outs, "update_display_data")
    ok = disp and upd and disp[-1].get("transient", {}).get("display_id") == upd[0]["transient"]["display_id"] \
        and upd[0]["data"]["text/plain"] == "step 1"
    check("display and update", ok, outs)

    r, outs = run(kc, "plot.NewContour(func(x, y float64) float64 { return x*x + y*y }, -1, 1, -1, 1)")
    res = of(outs, "execute_result")
    check("a figure is image/png alone", res and base64.b64decode(res[0]["data"]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
          and "image/svg+xml" not in res[0]["data"], r)
    r = kc.complete("strings.ToU", 11, reply=True, timeout=TIMEOUT)["content"]
    check("complete", "ToUpper" in [m.split(".")[-1] for m in r["matches"]] and r["cursor_end"] == 11, r)
    r = kc.complete('s := "héé"; strings.ToL', 23, reply=True, timeout=TIMEOUT)["content"]
    check("complete after non-ASCII", r["cursor_end"] == 23 and r["cursor_start"] in (12, 20), r)
    r = kc.inspect("strings.ToUpper", 12, reply=True, timeout=TIMEOUT)["content"]
    check("inspect", r["found"] and "ToUpper" in r["data"]["text/plain"] and "text/markdown" in r["data"], r)
    r = reply_to(kc, kc.is_complete("for {"))
    check("is_complete incomplete", r["status"] == "incomplete" and r["indent"] == "\t", r)
    r = reply_to(kc, kc.is_complete("x := 1"))
    check("is_complete complete", r["status"] == "complete", r)
    r = kc.history(hist_access_type="tail", n=2, reply=True, timeout=TIMEOUT)["content"]
    check("history", r["status"] == "ok" and len(r["history"]) == 2, r)
    r = reply_to(kc, kc.comm_info())
    check("comm_info", r["comms"] == {}, r)

    asked = []

    def answer(kc, m):
        if m["msg_type"] == "input_request":
            asked.append(m["content"]["prompt"])
            kc.input("gopher")

    r, outs = run(kc, 'name, err := display.Input("name? ")\nfmt.Println("hello", name, err)', allow_stdin=True, on_stdin=answer)
    text = "".join(c["text"] for c in of(outs, "stream"))
    check("stdin", asked == ["name? "] and "hello gopher <nil>" in text, (asked, outs))

    # fmt.Scanln reads from the notebook too.
    asked.clear()
    r, outs = run(kc, 'var name string\nfmt.Scanln(&name)\nfmt.Println("hello", name)', allow_stdin=True, on_stdin=answer)
    text = "".join(c["text"] for c in of(outs, "stream"))
    check("fmt.Scanln reads input_reply", r["status"] == "ok" and asked == [""] and "hello gopher" in text, (asked, r, outs))
    # So does os.Stdin.
    asked.clear()
    r, outs = run(kc, 'import "bufio"\nline, _ := bufio.NewReader(os.Stdin).ReadString(\'\\n\')\nline', allow_stdin=True, on_stdin=answer)
    res = of(outs, "execute_result")
    check("os.Stdin reads input_reply", r["status"] == "ok" and asked == [""] and res and res[0]["data"]["text/plain"] == '"gopher\\n"',
          (asked, r, outs))
    r, outs = run(kc, 'var n1, n2 string\n_, scanErr := fmt.Scanln(&n1)\nfmt.Println(scanErr)')
    text = "".join(c["text"] for c in of(outs, "stream"))
    check("fmt.Scanln without allow_stdin fails", r["status"] == "ok" and "allow_stdin is false" in text, (r, outs))

    # stop_on_error: requests queued behind a failing cell are aborted.
    ids = [kc.execute('time.Sleep(300 * time.Millisecond)\npanic("boom")'),
           kc.execute("aborted1 := 1"), kc.execute("aborted2 := 2")]
    replies = {}
    while len(replies) < 3:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") in ids:
            replies[m["parent_header"]["msg_id"]] = m["content"]["status"]
    check("stop_on_error aborts the queue", [replies[i] for i in ids] == ["error", "aborted", "aborted"], replies)
    r, outs = run(kc, "x + 1")
    check("next cell runs after the abort", r["status"] == "ok" and of(outs, "execute_result")[0]["data"]["text/plain"] == "41", (r, outs))
    r, outs = run(kc, "aborted1")
    check("aborted cells did not run", r["status"] == "error" and "undefined" in r["evalue"], r)
    ids = [kc.execute('panic("boom")', stop_on_error=False), kc.execute("notAborted := 3")]
    replies = {}
    while len(replies) < 2:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") in ids:
            replies[m["parent_header"]["msg_id"]] = m["content"]["status"]
    check("stop_on_error=False runs the queue", [replies[i] for i in ids] == ["error", "ok"], replies)

    r, outs = run(kc, "exit")
    check("exit asks the front end to leave", r["status"] == "ok" and r["payload"][0]["source"] == "ask_exit", r)

    # Interrupt with interrupt_request on control during for {}.
    msg_id = kc.execute("n := 0\nfor {\n\tn++\n}")
    time.sleep(1.0)
    t0 = time.time()
    km.interrupt_kernel()
    while True:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id:
            break
    check("interrupt stops for {}", m["content"]["status"] == "error" and time.time() - t0 < 3, (m["content"], time.time() - t0))
    tb = "\n".join(m["content"]["traceback"])
    check("interrupt says what stopped and that the state is kept", m["content"]["ename"] == "Interrupted"
          and "keeps its state" in m["content"]["evalue"] and "cell line 2, column 1:" in tb and "for {" in tb
          and "interrupted" not in m["content"]["evalue"], m["content"])
    r, outs = run(kc, "x * 2")
    check("next cell runs after interrupt", of(outs, "execute_result")[0]["data"]["text/plain"] == "80", outs)

    # A library training loop that takes cell.Context() stops too, and
    # keeps the weights of its last step.
    r, outs = run(kc, """text, _ := datasets.ReadAll("tinyshakespeare")
vocab := data.NewCharVocab(string(text))
ids, _ := vocab.Encode(string(text))
model, _ := charrnn.New(charrnn.MinCharRNN(), vocab, rand.New(rand.NewPCG(1, 1)))
trainer, _ := charrnn.NewTrainer(model, ids, ids[:1000])
before := mat.DenseCopyOf(model.Params()[0].Value)""")
    check("char-rnn set up", r["status"] == "ok", (r, outs))
    # Interrupt once 20 steps are done (however slow the machine, or -race).
    msg_id = kc.execute('trainErr := trainer.Run(cell.Context(), 100000000, func(p training.Progress) {\n'
                        '\tif p.Step == 20 {\n\t\tfmt.Println("step 20")\n\t}\n})')
    deadline = time.time() + TIMEOUT
    while True:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream" and "step 20" in m["content"]["text"]:
            break
        if time.time() > deadline:
            raise AssertionError("the training did not reach step 20")
    t0 = time.time()
    km.interrupt_kernel()
    while True:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id:
            break
    check("interrupt stops a library training loop within a second", time.time() - t0 < 1.0, time.time() - t0)
    r, outs = run(kc, "trainer.Step >= 20 && !mat.Equal(before, model.Params()[0].Value)")
    check("trained weights kept", of(outs, "execute_result")[0]["data"]["text/plain"] == "true", outs)

    # SIGINT interrupts too.
    msg_id = kc.execute("for {\n}")
    time.sleep(1.0)
    km.signal_kernel(2)
    while True:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id:
            break
    check("SIGINT interrupts", m["content"]["status"] == "error", m["content"])

    # Heartbeat answers while a cell runs.
    msg_id = kc.execute("time.Sleep(2 * time.Second)")
    time.sleep(0.5)
    check("heartbeat while running", kc.hb_channel.is_beating())
    m = kc.get_shell_msg(timeout=TIMEOUT)

    forged(km, kc)

    # Restart: shutdown_request with restart=true, then a fresh process.
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=TIMEOUT)
    r, outs = run(kc, "x")
    check("restart gives a fresh session", r["status"] == "error" and "undefined" in r["evalue"], r)


    kc.shutdown()
    m = kc.get_control_msg(timeout=TIMEOUT) if hasattr(kc, "get_control_msg") else None
    check("shutdown reply on control", m is None or m["msg_type"] == "shutdown_reply", m)
    deadline = time.time() + 10
    while km.is_alive() and time.time() < deadline:
        time.sleep(0.1)
    check("kernel exits on shutdown", not km.is_alive())


def forged(km, kc):
    """A message signed with the wrong key must not run."""
    import zmq
    ci = km.get_connection_info()
    ctx = zmq.Context.instance()
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.connect("%s://%s:%d" % (ci["transport"], ci["ip"], ci["shell_port"]))
    code = 'os.WriteFile("/dev/null", nil, 0)\nforged := 1'
    header = json.dumps({"msg_id": uuid.uuid4().hex, "session": uuid.uuid4().hex, "username": "x", "date": "",
                         "msg_type": "execute_request", "version": "5.3"}).encode()
    parts = [header, b"{}", b"{}", json.dumps({"code": code, "silent": False}).encode()]
    wrong = hmac.new(b"not-the-key", b"".join(parts), hashlib.sha256).hexdigest().encode()
    s.send_multipart([b"<IDS|MSG>", wrong] + parts)
    s.send_multipart([b"<IDS|MSG>", b""] + parts)  # missing signature
    s.send_multipart([b"<IDS|MSG>", b"x"])  # malformed
    time.sleep(0.5)
    s.close()
    r, outs = run(kc, "forged")
    check("forged signature rejected, kernel alive", r["status"] == "error" and "undefined" in r["evalue"], r)


def bench(name, n):
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=TIMEOUT)
    try:
        run(kc, "1+1")
        ts = []
        for _ in range(n):
            t0 = time.perf_counter()
            msg_id = kc.execute("1+1")
            while True:
                m = kc.get_shell_msg(timeout=TIMEOUT)
                if m["parent_header"].get("msg_id") == msg_id:
                    break
            ts.append(time.perf_counter() - t0)
        ts.sort()
        print("bench %s median %.3f ms p10 %.3f ms p90 %.3f ms" % (name, 1e3 * ts[n // 2], 1e3 * ts[n // 10], 1e3 * ts[9 * n // 10]))
    finally:
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "bench":
        for name in sys.argv[3:]:
            bench(name, int(sys.argv[2]))
    else:
        main()
