package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/plot"
	"gonum.org/v1/gonum/mat"
)

func init() {
	benches["pipeline"] = command{"GNMT's pipeline: a goroutine per layer of a stacked LSTM against the sequential stack (--layers L, --plot FILE)", benchPipeline}
}

// pipelineBench is the model that bench pipeline times: a stack of
// recurrent layers of the char-LSTM's size by default.
type pipelineBench struct {
	cell                             string
	layers, hidden, in, batch, steps int
}

// stack returns a fresh stack of c's layers.
func (c pipelineBench) stack() *nn.Stack {
	rng := rand.New(rand.NewPCG(1, 1))
	s := nn.NewStack()
	in := c.in
	for k := 0; k < c.layers; k++ {
		if c.cell == "gru" {
			s.Layers = append(s.Layers, nn.NewGRU(rng, in, c.hidden))
		} else {
			s.Layers = append(s.Layers, nn.NewLSTM(rng, in, c.hidden))
		}
		in = c.hidden
	}
	return s
}

// data returns T random input steps (B×in) and output gradients (B×H).
func (c pipelineBench) data(steps int) (xs, dys []*mat.Dense) {
	rng := rand.New(rand.NewPCG(2, 2))
	for t := 0; t < steps; t++ {
		x, dy := mat.NewDense(c.batch, c.in, nil), mat.NewDense(c.batch, c.hidden, nil)
		nn.InitNormal(rng, x, 1)
		nn.InitNormal(rng, dy, 0.01)
		xs, dys = append(xs, x), append(dys, dy)
	}
	return xs, dys
}

func benchPipeline(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench pipeline", stderr)
	var c pipelineBench
	fs.StringVar(&c.cell, "cell", "lstm", "the recurrent cell: lstm or gru")
	fs.IntVar(&c.layers, "layers", 2, "L, the number of stacked layers (each on its own goroutine)")
	fs.IntVar(&c.hidden, "hidden", 256, "H, the width of every layer")
	fs.IntVar(&c.in, "input", 64, "the width of the bottom layer's input (the char-LSTM's embedding)")
	fs.IntVar(&c.batch, "batch", 32, "B, sequences per batch")
	fs.IntVar(&c.steps, "seq", 100, "T, time steps per sequence")
	rounds := fs.Int("rounds", 3, "rounds; each times the stack, then the pipeline")
	passes := fs.Int("passes", 5, "forward and backward passes per side and round")
	plotFile := fs.String("plot", "", "draw the pipeline diagram of one pass to this file (.png, .svg or .pdf)")
	plotSteps := fs.Int("plot-steps", 12, "time steps of the pass that --plot draws")
	predictFlag := fs.String("predict", "4,8", "layer counts to predict the speed-up for, on as many cores")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var predict []int
	for _, f := range strings.Split(*predictFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return usageError{fmt.Sprintf("--predict %q: want layer counts like 4,8", *predictFlag)}
		}
		predict = append(predict, n)
	}
	switch {
	case c.cell != "lstm" && c.cell != "gru":
		return usageError{fmt.Sprintf("--cell %q: want lstm or gru", c.cell)}
	case c.layers < 2:
		return usageError{fmt.Sprintf("--layers %d: a pipeline needs at least 2", c.layers)}
	case c.hidden < 1 || c.in < 1 || c.batch < 1 || c.steps < 1 || *rounds < 1 || *passes < 1 || *plotSteps < 1:
		return usageError{"bench pipeline: sizes, --rounds, --passes and --plot-steps must be positive"}
	}

	fmt.Fprintf(stdout, "pipeline: %d %s layers, H=%d, B=%d, T=%d, input %d; GOMAXPROCS %d; %d rounds of %d passes (forward + backward) per side\n"+
		"(the stack runs its layers one after another, each product split over the cores; on 1 core, GOMAXPROCS=1)\n\n",
		c.layers, strings.ToUpper(c.cell), c.hidden, c.batch, c.steps, c.in, runtime.GOMAXPROCS(0), *rounds, *passes)
	s := c.stack()
	p := nn.NewPipeline(c.stack())
	xs, dys := c.data(c.steps)
	pass := func(l nn.SeqLayer) {
		l.ForwardSeq(xs, nil)
		l.BackwardSeq(dys)
	}
	pass(s) // the first pass of each allocates the buffers the others reuse
	pass(p)
	tokens := float64(*passes * c.batch * c.steps)
	// rate times the passes of l, with the products on cores goroutines
	// at most, and returns tokens/s.
	rate := func(l nn.SeqLayer, cores int, each func()) float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(cores))
		start := time.Now()
		for i := 0; i < *passes; i++ {
			pass(l)
			each()
		}
		return tokens / time.Since(start).Seconds()
	}
	cores := runtime.GOMAXPROCS(0)
	var oneRates, stackRates, pipeRates []float64
	var spans [][]nn.Span
	var seqTimes [][]time.Duration // per round: each layer's forward + backward time, run alone
	for r := 0; r < *rounds; r++ {
		oneRates = append(oneRates, rate(s, 1, func() {}))
		stackRates = append(stackRates, rate(s, cores, func() {}))
		seqTimes = append(seqTimes, layerTimes(s, xs, dys))
		pipeRates = append(pipeRates, rate(p, cores, func() { spans = append(spans, p.Spans()) }))
		fmt.Fprintf(stdout, "round %d: stack on 1 core %.0f, stack %.0f, pipeline %.0f tokens/s (%.2f× the stack)\n",
			r+1, oneRates[r], stackRates[r], pipeRates[r], pipeRates[r]/stackRates[r])
	}
	om, sm, pm := median(oneRates), median(stackRates), median(pipeRates)
	fmt.Fprintf(stdout, "median: stack on 1 core %.0f, stack %.0f, pipeline %.0f tokens/s: %.2f× the stack, %.2f× the stack on 1 core\n\n",
		om, sm, pm, pm/sm, pm/om)

	fit := fitPipeline(spans, c.layers)
	seq := make([]float64, c.layers)
	for k := range seq {
		var ts []float64
		for _, round := range seqTimes {
			ts = append(ts, round[k].Seconds())
		}
		seq[k] = median(ts)
	}
	fmt.Fprintf(stdout, "per-step times in the pipeline (medians): hand-off %s\n", ms(fit.delta))
	for k := range fit.f {
		fmt.Fprintf(stdout, "  layer %d: forward %s, backward %s, weight gradients %s; alone in the stack %s a pass\n",
			k+1, ms(fit.f[k]), ms(fit.g[k]), ms(fit.w[k]), ms(seq[k]))
	}
	fmt.Fprintf(stdout, "\nprediction from a model fitted to these times (a prediction, not a measurement): L layers on L cores,\n"+
		"each layer as fast as layer 2 here, the stack's layers as fast as here, T=%d\n", c.steps)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "layers\tstack\tpipeline\tspeed-up\t")
	for _, n := range append([]int{c.layers}, predict...) {
		stackTime := seq[0] + float64(n-1)*seq[len(seq)-1]
		pipeTime := fit.predict(n, c.steps)
		note := ""
		if n == c.layers {
			note = fmt.Sprintf(" (measured %.2f×)", pm/sm)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f×%s\t\n", n, ms(stackTime), ms(pipeTime), stackTime/pipeTime, note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	if *plotFile != "" {
		pxs, pdys := c.data(*plotSteps)
		p.ForwardSeq(pxs, nil)
		p.BackwardSeq(pdys)
		tl := plot.PipelineDiagram(p.Spans(), c.layers)
		tl.Title = fmt.Sprintf("pipeline: %d %s layers on %d cores, H=%d, B=%d, T=%d", c.layers, strings.ToUpper(c.cell),
			runtime.GOMAXPROCS(0), c.hidden, c.batch, *plotSteps)
		if err := tl.Save(*plotFile); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\npipeline diagram of one pass of %d steps drawn to %s\n", *plotSteps, *plotFile)
	}
	return nil
}

// layerTimes runs one forward and backward pass of s's layers one after
// another, as Stack does without residual connections, and returns the
// time of each layer.
func layerTimes(s *nn.Stack, xs, dys []*mat.Dense) []time.Duration {
	times := make([]time.Duration, len(s.Layers))
	in := xs
	for k, l := range s.Layers {
		start := time.Now()
		in = l.ForwardSeq(in, nil)
		times[k] += time.Since(start)
	}
	d := dys
	for k := len(s.Layers) - 1; k >= 0; k-- {
		start := time.Now()
		d = s.Layers[k].BackwardSeq(d)
		times[k] += time.Since(start)
	}
	return times
}

// pipelineFit is the model of a pipeline pass fitted to measured spans:
// per layer the time of a forward step f, of a backward step g and of the
// weight-gradient products w that end the backward pass, and the hand-off
// delta between a layer finishing a step and the
// next layer starting it when it was waiting. All in seconds.
type pipelineFit struct {
	f, g, w []float64
	delta   float64
}

// fitPipeline fits the model to the spans of several passes: medians of
// the per-step times and of the waits.
func fitPipeline(passes [][]nn.Span, layers int) pipelineFit {
	fit := pipelineFit{f: make([]float64, layers), g: make([]float64, layers), w: make([]float64, layers)}
	f, g, w := make([][]float64, layers), make([][]float64, layers), make([][]float64, layers)
	var waits []float64
	for _, spans := range passes {
		type key struct {
			layer, step int
			backward    bool
		}
		at := map[key]nn.Span{}
		for _, s := range spans {
			at[key{s.Layer, s.Step, s.Backward}] = s
			d := (s.End - s.Start).Seconds()
			switch {
			case s.Weights:
				w[s.Layer] = append(w[s.Layer], d)
			case s.Backward:
				g[s.Layer] = append(g[s.Layer], d)
			default:
				f[s.Layer] = append(f[s.Layer], d)
			}
		}
		// A wait is how long after both its input and its own previous
		// step were done a layer started a step.
		for _, s := range spans {
			if s.Step < 0 {
				continue
			}
			from, prev := s.Layer-1, s.Step-1
			if s.Backward {
				from, prev = s.Layer+1, s.Step+1
			}
			in, ok := at[key{from, s.Step, s.Backward}]
			if !ok {
				continue
			}
			ready := in.End
			if own, ok := at[key{s.Layer, prev, s.Backward}]; ok {
				ready = max(ready, own.End)
			}
			waits = append(waits, max(0, (s.Start-ready).Seconds()))
		}
	}
	for k := 0; k < layers; k++ {
		fit.f[k], fit.g[k], fit.w[k] = median(f[k]), median(g[k]), median(w[k])
	}
	fit.delta = median(waits)
	return fit
}

// predict returns the time of a forward and backward pass of n layers over
// T steps on n cores: layer 1 as measured, the others as the top layer,
// each running step t as soon as its input for t and its own step t−1 are
// done (plus the hand-off), the backward pass from the top layer down
// after the forward pass, each layer's weight gradients after its step 1.
func (fit pipelineFit) predict(n, steps int) float64 {
	at := func(v []float64, k int) float64 { return v[min(k, len(v)-1)] }
	end := make([]float64, n) // when each layer finished its latest step
	for t := 0; t < steps; t++ {
		for k := 0; k < n; k++ {
			start := end[k]
			if k > 0 {
				start = max(start, end[k-1]+fit.delta)
			}
			end[k] = start + at(fit.f, k)
		}
	}
	forward := slices.Max(end)
	for k := range end {
		end[k] = forward
	}
	last := forward
	for t := steps - 1; t >= 0; t-- {
		for k := n - 1; k >= 0; k-- {
			start := end[k]
			if k < n-1 {
				start = max(start, end[k+1]+fit.delta)
			}
			end[k] = start + at(fit.g, k)
			if t == 0 { // the weight gradients, after step 1 is handed on
				last = max(last, end[k]+at(fit.w, k))
			}
		}
	}
	return last
}

// median returns the median of xs (the mean of the middle two for an even
// count), 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ms formats seconds as milliseconds.
func ms(seconds float64) string { return fmt.Sprintf("%.2f ms", seconds*1e3) }
