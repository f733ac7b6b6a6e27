package eval

import (
	"bytes"
	"crypto/rand"
	"io"
	"os"
	"sync"
	"time"
)

// A capture forwards what the process writes to one file descriptor (1 or
// 2) while a cell runs to a writer, as it is written. It works at the level
// of the descriptor: yaegi's Options.Stdout reaches only interpreted code,
// while the library is compiled and writes to os.Stdout (fd 1) directly.
// During Eval the descriptor is a pipe (dup2); a goroutine copies the pipe to
// the session's writer; after Eval the descriptor is restored.
//
// Interpreted and compiled writes go through the same pipe, so their order
// is kept. sync lets the session wait until everything written so far has
// been delivered, before it shows a display output or returns a result.
type capture struct {
	fd    int      // the descriptor captured
	saved *os.File // a duplicate of the original descriptor
	r, w  *os.File // the pipe
	token []byte   // written by sync to mark a point in the stream

	outMu sync.Mutex // held while writing to dst
	dst   io.Writer

	syncMu sync.Mutex    // one sync at a time
	synced chan struct{} // the copier passed a token
	done   chan struct{} // the copier stopped (the pipe was closed)
}

// newCapture prepares the capture of fd into dst. When dst is the
// descriptor's own *os.File (os.Stdout for fd 1), the capture writes to a
// duplicate of the original descriptor instead, so that it does not feed
// its own pipe.
func newCapture(fd int, dst io.Writer) (*capture, error) {
	savedFd, err := dupCloexec(fd)
	if err != nil {
		return nil, err
	}
	c := &capture{fd: fd, saved: os.NewFile(uintptr(savedFd), "saved"), synced: make(chan struct{}, 1), done: make(chan struct{})}
	if f, ok := dst.(*os.File); ok && (f == os.Stdout && fd == 1 || f == os.Stderr && fd == 2) {
		dst = c.saved
	}
	c.dst = dst
	if c.r, c.w, err = os.Pipe(); err != nil {
		c.saved.Close()
		return nil, err
	}
	c.token = make([]byte, 24)
	rand.Read(c.token[8:])
	copy(c.token, "\x00\x1bseq2go") // bytes no program prints in practice
	go c.copy()
	return c, nil
}

// start points the descriptor at the pipe.
func (c *capture) start() error { return dup2(int(c.w.Fd()), c.fd) }

// stop delivers what was written and points the descriptor back at its
// original file.
func (c *capture) stop() error {
	c.sync()
	return dup2(int(c.saved.Fd()), c.fd)
}

// close stops the copier and releases the pipe. The descriptor must have
// been restored.
func (c *capture) close() {
	c.w.Close()
	select {
	case <-c.done:
	case <-time.After(time.Second): // a child process still holds the pipe
	}
	c.r.Close()
	c.saved.Close()
}

// syncTimeout bounds the wait in sync: when the session's writer blocks,
// output may come late but Eval returns.
const syncTimeout = 5 * time.Second

// sync returns once everything written to the descriptor before the call
// has been passed to dst.
func (c *capture) sync() {
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	if _, err := c.w.Write(c.token); err != nil {
		return
	}
	select {
	case <-c.synced:
	case <-c.done:
	case <-time.After(syncTimeout):
	}
}

// write passes b to dst, in order with the captured stream.
func (c *capture) write(b []byte) {
	c.outMu.Lock()
	c.dst.Write(b)
	c.outMu.Unlock()
}

// copy is the copier: it forwards the pipe to dst chunk by chunk, and
// signals each token it meets instead of forwarding it. A chunk that ends
// with the first bytes of a token is held back until the next read shows
// whether the token follows.
func (c *capture) copy() {
	defer close(c.done)
	buf := make([]byte, 32<<10)
	var held []byte
	for {
		n, err := c.r.Read(buf)
		data := append(held, buf[:n]...)
		held = nil
		for {
			i := bytes.Index(data, c.token)
			if i < 0 {
				break
			}
			if i > 0 {
				c.write(data[:i])
			}
			data = data[i+len(c.token):]
			select {
			case c.synced <- struct{}{}:
			default:
			}
		}
		k := partialSuffix(data, c.token)
		if len(data)-k > 0 {
			c.write(data[:len(data)-k])
		}
		held = append([]byte(nil), data[len(data)-k:]...)
		if err != nil {
			if len(held) > 0 {
				c.write(held)
			}
			return
		}
	}
}

// partialSuffix returns the length of the longest suffix of data that is a
// proper prefix of token.
func partialSuffix(data, token []byte) int {
	n := min(len(data), len(token)-1)
	for k := n; k > 0; k-- {
		if bytes.Equal(data[len(data)-k:], token[:k]) {
			return k
		}
	}
	return 0
}
