package eval

import "github.com/traefik/yaegi/interp"

// Use adds symbol tables to the session, for tests that need compiled
// packages of their own (a library that prints, a rich value).
func (s *Session) Use(e interp.Exports) error { return s.use(e) }
