/*
Package kernel is seq2go's Jupyter kernel: the Jupyter messaging protocol
5.3 over ZeroMQ (github.com/go-zeromq/zmq4, pure Go) in front of the one
evaluator, internal/eval.

	seq2go kernel install --user             # writes ~/.local/share/jupyter/kernels/seq2go
	seq2go kernel --connection-file FILE     # what Jupyter runs

# Sockets

Jupyter starts the kernel with a connection file (see [ConnectionInfo]) that
names a transport, an ip, five ports, a signature scheme and a key. The
kernel binds, on that transport and ip only:

	shell    ROUTER  requests and their replies: execute, complete, inspect, ...
	control  ROUTER  the same, served while a cell runs: interrupt, shutdown
	stdin    ROUTER  input_request to the front end, input_reply back
	iopub    PUB     everything the front ends watch: status, streams, results
	hb       REP     heartbeat: every frame is echoed back at once

Each socket has one goroutine that writes to it; shell, control and stdin
are each read by their own goroutine, so control and the heartbeat answer
while shell runs a cell.

# Messages

A message is a multipart ZeroMQ message:

	identity…      routing ids the ROUTER added (the reply goes back to them)
	<IDS|MSG>      the delimiter
	signature      hex(HMAC-SHA256(key, header ‖ parent_header ‖ metadata ‖ content))
	header         {"msg_id", "session", "username", "date", "msg_type", "version": "5.3"}
	parent_header  the header of the request this message answers, or {}
	metadata       {}
	content        the body, by msg_type
	buffer…        optional binary frames

Every incoming message's signature is checked in constant time (hmac.Equal)
before anything in it is parsed further; a message with a missing or wrong
signature, too few frames, JSON that does not parse or a size above 64 MiB is
dropped with a log line. An empty key turns signing off, as the protocol
says. iopub messages carry their msg_type as ZeroMQ topic.

# A request

Every request on shell or control is bracketed by status messages on iopub:

	iopub  status {execution_state: busy}
	...    the request's own messages
	iopub  status {execution_state: idle}

An execute_request runs its code with [eval.Session.Eval]:

	iopub  execute_input  {code, execution_count}
	iopub  stream         {name: stdout|stderr, text}     as the cell writes, chunk by chunk
	iopub  display_data   {data, metadata, transient: {display_id}}    display.Show, display.PNG, ...
	iopub  update_display_data                            Handle.Update: the same display_id
	iopub  execute_result {execution_count, data, metadata}            the final expression's value
	    or error          {ename, evalue, traceback}      the problem once, then where
	shell  execute_reply  {status: ok|error, execution_count, ...}

The execution counter counts the requests that store history (store_history,
true unless silent): a request with store_history false gets the counter's
current value and does not advance it, as the messaging spec says.

data maps MIME types to strings: image/png is base64-encoded, text/plain,
text/html, text/markdown and image/svg+xml are text. A figure is image/png
alone (see display.UseSVG). display.Input sends an input_request on stdin,
to the identities of the execute_request, when that request set
allow_stdin, and returns the value of the input_reply; so do fmt.Scan,
fmt.Scanln and fmt.Scanf in a cell, and reads of os.Stdin (the evaluator
reads their lines through display.Inputter). Without allow_stdin they fail
with [ErrNoStdin].

An error's ename is "panic", "Interrupted", "CompileError", "SyntaxError",
"Busy" or "InternalError"; its traceback starts with "ename: evalue" and
then places it: for a panic, each interpreted call it unwound, innermost
first ("cell line 2, column 2, in inner:" and that line of code), for
anything else the cell's line.

Shell requests are read into a queue as they arrive and served in order.
When a cell fails and its request has stop_on_error (the default), the
execute requests that reached the kernel before its reply was sent are
answered with status "aborted" and not run, as ipykernel does; other
requests in the queue are served, and the first execute request sent
after the reply runs. A cell that is just exit or quit (when the session
defines no such name) is answered with the ask_exit payload, which ends
jupyter console.

The other requests are answered from the session: kernel_info, complete
(cursor positions in Unicode code points), inspect (Go doc as text/plain and
text/markdown), is_complete (with the indent of the next line), history (this
session's inputs), comm_info (no comms). interrupt_request (control; the
kernelspec says interrupt_mode "message") and SIGINT both cancel the running
cell's context. shutdown_request is answered on the socket it came on (and
on iopub, as ipykernel does) and the kernel exits, for a restart too: the
client starts the new process. The kernel also exits when its parent
process dies.
*/
package kernel

// BUG(seq2go): Comms (ipywidgets) and the debugger are not implemented;
// comm messages are ignored.
