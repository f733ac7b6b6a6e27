package display

import (
	"io"
	"time"
)

// NewProgressClock is NewProgress with a clock the test controls.
func NewProgressClock(total int, now func() time.Time) *Progress { return newProgress(total, now) }

func ReadLine(r io.Reader) (string, error) { return readLine(r) }
