package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
)

// bench pipeline on a tiny stack: the table of rates and predictions, and
// the diagram as a PNG; bad flags are usage errors.
func TestBenchPipeline(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pipeline.png")
	code, stdout, stderr := runCLI("bench", "pipeline", "--layers", "3", "--hidden", "8", "--input", "4", "--batch", "2",
		"--seq", "6", "--rounds", "1", "--passes", "1", "--plot", out, "--plot-steps", "4", "--predict", "4,8")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"3 LSTM layers", "median:", "a prediction, not a measurement", "layer 3:", "diagram"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("the diagram is not a PNG: %v", err)
	}
	for _, args := range [][]string{{"--layers", "1"}, {"--cell", "rnn"}, {"--predict", "x"}, {"--rounds", "0"}} {
		if code, _, stderr := runCLI(append([]string{"bench", "pipeline"}, args...)...); code != 2 {
			t.Errorf("bench pipeline %v: exit %d, want 2 (usage)\n%s", args, code, stderr)
		}
	}
}

// The wavefront model: with every step taking 1 and no hand-off, L layers
// over T steps take T + L − 1 forward and as long backward, plus the
// weight gradients of the bottom layer, the last to finish (the others'
// overlap the steps of the layers below).
func TestPipelinePrediction(t *testing.T) {
	fit := pipelineFit{f: []float64{1, 1}, g: []float64{1, 1}, w: []float64{0.5, 0.5}}
	for _, tc := range []struct{ layers, steps int }{{2, 10}, {4, 10}, {8, 100}} {
		want := float64(2*(tc.steps+tc.layers-1)) + 0.5
		if got := fit.predict(tc.layers, tc.steps); got != want {
			t.Errorf("%d layers, %d steps: %v, want %v", tc.layers, tc.steps, got, want)
		}
	}
	// A fit recovers what it is given: spans of 2 layers with forward
	// steps of 2, backward steps of 3 and weight gradients of 5 (units).
	var spans []nn.Span
	for k := 0; k < 2; k++ {
		for s := 0; s < 4; s++ {
			spans = append(spans, nn.Span{Layer: k, Step: s, Start: 10, End: 12},
				nn.Span{Layer: k, Step: s, Backward: true, Start: 20, End: 23})
		}
		spans = append(spans, nn.Span{Layer: k, Step: -1, Backward: true, Weights: true, Start: 30, End: 35})
	}
	got := fitPipeline([][]nn.Span{spans}, 2)
	if got.f[1] != 2e-9 || got.g[0] != 3e-9 || got.w[1] != 5e-9 {
		t.Errorf("fit %+v, want forward 2 ns, backward 3 ns, weight gradients 5 ns", got)
	}
}
