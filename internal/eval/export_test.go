package eval

import (
	"time"

	"github.com/traefik/yaegi/interp"
)

// Use adds symbol tables to the session, for tests that need compiled
// packages of their own (a library that prints, a rich value).
func (s *Session) Use(e interp.Exports) error { return s.use(e) }

// SetWaits sets how long an interrupted cell waits for its program and how
// long the next cell waits for one still running, and returns a function
// that restores them.
func SetWaits(interrupt, pending time.Duration) (restore func()) {
	i, p := interruptWait, pendingWait
	interruptWait, pendingWait = interrupt, pending
	return func() { interruptWait, pendingWait = i, p }
}
