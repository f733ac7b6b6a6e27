package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainForecast trains a small forecaster of the CO₂ series for a few
// steps, resumes it, and prints the table of the test period with the
// baselines; an unknown series is a usage error.
func TestTrainForecast(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "co2.safetensors")
	code, stdout, stderr := runCLI("train", "forecast", "--series", "co2", "--hidden", "4", "--members", "1", "--steps", "4", "--out", out)
	if code != 0 || !strings.HasPrefix(stdout, "final smooth_loss=") || !strings.Contains(stdout, "val_mae=") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	plot := filepath.Join(dir, "co2.svg")
	code, stdout, stderr = runCLI("train", "forecast", "--series", "co2", "--resume", out, "--steps", "6", "--out", out, "--plot", plot)
	if code != 0 || !strings.Contains(stderr, "steps 4 → 6") {
		t.Fatalf("resume: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"Mauna Loa", "persistence", "seasonal naive (same month last year)", "linear AR(", "lstm 1×4, 1 members", "plot drawn to"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if code, _, stderr := runCLI("train", "forecast", "--series", "paris"); code != 2 || !strings.Contains(stderr, `unknown series "paris"`) {
		t.Errorf("--series paris: exit %d, %s", code, stderr)
	}
}
