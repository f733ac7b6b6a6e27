package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// --parallel async trains with a parameter server on every model that can
// fork workers; the others, and a strategy that does not exist, get a
// usage error.
func TestParallelFlag(t *testing.T) {
	text := writeFile(t, "verse.txt", strings.Repeat(verse, 20))
	out := filepath.Join(t.TempDir(), "m.safetensors")
	charRNN := []string{"train", "charrnn", "--data", text, "--arch", "lstm", "--hidden", "16", "--layers", "2", "--embed", "8",
		"--seq", "10", "--batch", "8", "--sample-every", "0", "--val-every", "0", "--out", out}
	for _, tc := range []struct {
		args []string
		code int
		want string // in stderr, or in stdout when code is 0
	}{
		{append(charRNN, "--steps", "60", "--workers", "2", "--parallel", "async", "--staleness", "1"), 0, "final smooth_loss="},
		{append(charRNN, "--steps", "4", "--pipeline"), 0, "final smooth_loss="},
		{append(charRNN, "--steps", "4", "--parallel", "ring"), 2, `--parallel "ring": want sync or async`},
		{[]string{"train", "babi", "--task", "1", "--parallel", "async", "--out", out}, 2, "babi cannot fork workers"},
	} {
		code, stdout, stderr := runCLI(tc.args...)
		got := stderr
		if tc.code == 0 {
			got = stdout
		}
		if code != tc.code || !strings.Contains(got, tc.want) {
			t.Errorf("%q: exit %d, want %d and %q\nstdout %q\nstderr %q", tc.args, code, tc.code, tc.want, stdout, stderr)
		}
	}
}
