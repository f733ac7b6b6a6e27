package eval

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"time"
	_ "unsafe" // for go:linkname

	"github.com/traefik/yaegi/interp"
)

// How an interrupt stops a cell, without leaving anything running beside
// the next one.
//
// yaegi's ExecuteWithContext runs the program on a goroutine of its own and,
// when its context is cancelled, returns at once while that goroutine goes
// on until its next interpreted statement, or until the compiled call it is
// in returns (a training step). The goroutine then writes the results and
// the interpreter's state while the session has moved on: the race that
// yaegi's maintainers describe in traefik/yaegi#402 and #815, which the race
// detector reports on every interrupt.
//
// So the session never cancels yaegi's context. Each piece of a cell runs on
// a goroutine the session starts (run), which reports on a channel once the
// program has really returned; an interrupt stops the interpreted code with
// the interpreter's own stop signal (stopInterpreter, what ExecuteWithContext
// calls on cancellation), and Eval waits on that channel. When a compiled call
// that takes no context keeps the program running past interruptWait, Eval
// returns anyway and the session keeps the channel (pending): the next Eval,
// Complete, Inspect or Vars waits for it, up to pendingWait, before it touches
// the interpreter again.

// stopInterpreter is yaegi's (*Interpreter).stop: it bumps the run id, which
// every interpreted statement checks, and closes the channel that blocked
// channel operations select on. yaegi v0.16.1 (pinned in go.mod) calls it only
// from its *WithContext methods, whose cancellation races as said above; a
// yaegi without this method fails to link, so an upgrade cannot break it
// silently.
//
//go:linkname stopInterpreter github.com/traefik/yaegi/interp.(*Interpreter).stop
func stopInterpreter(*interp.Interpreter)

// interruptWait bounds how long an interrupted Eval waits for its program to
// return: interpreted code stops at once, a library loop that takes
// cell.Context() after its current step. pendingWait bounds how long a cell
// waits for the program of an interrupted cell that was still running when
// its Eval returned. (Variables, for the tests.)
var (
	interruptWait = 700 * time.Millisecond
	pendingWait   = 2 * time.Second
)

// outcome is what a program's run gave back.
type outcome struct {
	v   reflect.Value
	err error
}

// run starts prog on a goroutine of its own and returns the channel that
// receives its outcome once it has returned.
//
// The goroutine first executes an empty program with ExecuteWithContext and
// a context that is never cancelled: that gives the interpreter a fresh stop
// channel (stop closes it, so it serves one run) without any cancellation
// path. Then it marks the run stoppable and executes prog itself, so that
// nothing of the run outlives the goroutine that reports its end.
func (s *Session) run(prog *interp.Program) <-chan outcome {
	done := make(chan outcome, 1)
	in := s.interp
	go func() {
		var o outcome
		defer func() {
			if r := recover(); r != nil {
				o.err = &Error{Kind: "internal", Msg: fmt.Sprintf("the interpreter failed: %v", r), Err: fmt.Errorf("%v\n%s", r, debug.Stack()), off: -1}
			}
			s.stateMu.Lock()
			s.stoppable = false
			s.stateMu.Unlock()
			done <- o
		}()
		if _, o.err = in.ExecuteWithContext(context.Background(), s.empty); o.err != nil {
			return
		}
		s.stateMu.Lock()
		s.stoppable, s.stopped = true, s.stopAsked
		s.stateMu.Unlock()
		if s.stopped {
			stopInterpreter(in) // interrupted before it started
		}
		o.v, o.err = in.Execute(prog)
	}()
	return done
}

// stop stops the interpreted code of the running program, once; a program
// not yet started stops as soon as it starts.
func (s *Session) stop() {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	s.stopAsked = true
	if s.stoppable && !s.stopped && s.interp != nil {
		s.stopped = true
		stopInterpreter(s.interp)
	}
}

// errStillRunning is an interrupt whose program had not returned within
// interruptWait.
var errStillRunning = errors.New("eval: a compiled call is still running")

// execute runs prog and returns its outcome. On ctx's end it stops the
// program and waits for it up to interruptWait; a program that is still
// running then becomes the session's pending run, and execute returns
// ctx's error joined with errStillRunning.
func (s *Session) execute(ctx context.Context, prog *interp.Program) (reflect.Value, error) {
	if ctx.Err() != nil {
		return reflect.Value{}, ctx.Err()
	}
	done := s.run(prog)
	select {
	case o := <-done:
		return o.v, o.err
	case <-ctx.Done():
	}
	s.stop()
	select {
	case <-done:
		return reflect.Value{}, ctx.Err()
	case <-time.After(interruptWait):
		s.pending = done
		return reflect.Value{}, errors.Join(ctx.Err(), errStillRunning)
	}
}

// settled waits, up to pendingWait or ctx's end, for the pending run of an
// interrupted cell, and reports whether none is left.
func (s *Session) settled(ctx context.Context) bool {
	if s.pending == nil {
		return true
	}
	select {
	case <-s.pending:
		s.pending = nil
		return true
	case <-ctx.Done():
	case <-time.After(pendingWait):
	}
	return false
}
