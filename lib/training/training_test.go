package training

import (
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	p := Progress{Step: 30, Steps: 110, Tokens: 5000, Elapsed: 2 * time.Second}
	if got := p.TokensPerSecond(); got != 2500 {
		t.Errorf("TokensPerSecond = %v, want 2500", got)
	}
	// 20 steps of this run in 2 s: 80 steps left take 8 s.
	if got := p.ETA(10); got != 8*time.Second {
		t.Errorf("ETA = %v, want 8s", got)
	}
	if got := p.ETA(30); got != 0 {
		t.Errorf("ETA before any step of the run = %v, want 0", got)
	}
	if got := (Progress{Tokens: 1}).TokensPerSecond(); got <= 0 {
		t.Errorf("TokensPerSecond at no elapsed time = %v, want a finite positive rate", got)
	}
}
