package quant

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"gonum.org/v1/gonum/floats"
)

// tolLogP is the largest difference allowed between the log-probabilities
// of the int8 and the float decoders of the random models below (Hidden 16,
// three encoder layers, log p ≈ −2.5 over 12 words): the rounding of every
// product adds ~0.5 % to each logit; measured at 0.005–0.011.
const tolLogP = 0.1

// TestQuantizeLogits decodes random models of every cell and attention
// with the float and the int8 step decoders on the same tokens (the float
// model's greedy choices) for a batch of sources of different lengths,
// and compares their log-probabilities.
func TestQuantizeLogits(t *testing.T) {
	src := [][]int{{3, 4, 5, 6, 7}, {8}, {2, 9, 2}}
	for _, cell := range []string{"lstm", "gru"} {
		for _, attn := range []string{"bahdanau", "general", "dot", "bahdanau+clip"} {
			t.Run(cell+"/"+attn, func(t *testing.T) {
				kind, clip, _ := strings.Cut(attn, "+")
				m, err := seq2seq.NewModel(rand.New(rand.NewPCG(8, 8)), seq2seq.Config{SrcVocab: 10, TgtVocab: 12,
					Embed: 6, Hidden: 16, Cell: cell, EncoderLayers: 3, Residual: 2, Attention: kind, BOS: 0, EOS: 1})
				if err != nil {
					t.Fatal(err)
				}
				if clip != "" {
					m.SetClip(0.1) // quantization-aware bounds, low enough to bite
				}
				q, err := Quantize(m)
				if err != nil {
					t.Fatal(err)
				}
				if m.Infer != nil || q.Infer == nil {
					t.Fatal("Quantize changed the float model or left the copy's Infer nil")
				}
				fd, qd := m.NewBatchDecoder(src), q.NewBatchDecoder(src)
				parents, tokens := []int{0, 1, 2}, []int{0, 0, 0}
				worst := 0.0
				for step := 0; step < 6; step++ {
					want, _ := fd.Step(parents, tokens)
					got, _ := qd.Step(parents, tokens)
					worst = max(worst, maxDiff(got, want))
					for i := range tokens {
						tokens[i] = floats.MaxIdx(want.RawRowView(i))
					}
				}
				t.Logf("max |Δ log p| = %.3g", worst)
				if worst > tolLogP {
					t.Errorf("int8 log-probabilities off by %g > %g", worst, tolLogP)
				}
			})
		}
	}
}

// TestQuantizeErrors: a model whose encoder holds a layer without an int8
// form is refused, with the layer named.
func TestQuantizeErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	m, err := seq2seq.NewModel(rng, seq2seq.Config{SrcVocab: 5, TgtVocab: 5, Embed: 3, Hidden: 4,
		EncoderLayers: 2, Attention: "dot", BOS: 0, EOS: 1})
	if err != nil {
		t.Fatal(err)
	}
	m.Encoder.Layers[1] = nn.NewRNN(rng, 4, 4)
	if _, err := Quantize(m); err == nil {
		t.Error("Quantize: no error for an RNN layer")
	} else {
		t.Log(err)
	}
	if _, err := Stats(m); err == nil {
		t.Error("Stats: no error for an RNN layer")
	}
}

// TestQuantizeTrained trains a small model on 20 digit reversals (as
// seq2seq's TestOverfitReversal does) and checks that its int8 copy
// translates them as the float model does: GNMT reports no loss of BLEU
// from quantization, so nearly every token should agree.
func TestQuantizeTrained(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	start := time.Now()
	rng := rand.New(rand.NewPCG(7, 7))
	var src, tgt [][]int
	for i := 0; i < 20; i++ {
		s := make([]int, 3+rng.IntN(3))
		r := make([]int, len(s))
		for j := range s {
			s[j] = rng.IntN(10)
			r[len(s)-1-j] = s[j]
		}
		src, tgt = append(src, s), append(tgt, r)
	}
	for _, cell := range []string{"lstm", "gru"} {
		t.Run(cell, func(t *testing.T) {
			m, err := seq2seq.NewModel(rng, seq2seq.Config{SrcVocab: 10, TgtVocab: 12, Embed: 16, Hidden: 32,
				Cell: cell, Attention: "general", BOS: 10, EOS: 11})
			if err != nil {
				t.Fatal(err)
			}
			opt := optim.DefaultAdam(m.Params(), 0.01)
			for step := 0; step < 200; step++ {
				opt.ZeroGrad()
				m.Loss(src, tgt)
				m.Backward()
				optim.ClipGlobalNorm(m.Params(), 5)
				opt.Step()
			}
			q, err := Quantize(m)
			if err != nil {
				t.Fatal(err)
			}
			fl, in8 := m.GreedyBatch(src), q.GreedyBatch(src)
			same, total, right := 0, 0, 0
			for i := range src {
				a, b := fl[i].Tokens, in8[i].Tokens
				total += max(len(a), len(b))
				for k := 0; k < min(len(a), len(b)); k++ {
					if a[k] == b[k] {
						same++
					}
				}
				if reflect.DeepEqual(b, tgt[i]) {
					right++
				}
			}
			t.Logf("%d of %d tokens agree; int8 gets %d of %d reversals right; %v", same, total, right, len(src), time.Since(start))
			if float64(same) < 0.95*float64(total) {
				t.Errorf("only %d of %d tokens agree", same, total)
			}
		})
	}
}

// TestQuantizeConcurrent decodes with one quantized model from several
// goroutines at once (run with -race) and checks every result against the
// sequential one.
func TestQuantizeConcurrent(t *testing.T) {
	m, err := seq2seq.NewModel(rand.New(rand.NewPCG(10, 10)), seq2seq.Config{SrcVocab: 10, TgtVocab: 10,
		Embed: 4, Hidden: 8, Cell: "gru", EncoderLayers: 2, Attention: "bahdanau", BOS: 0, EOS: 1})
	if err != nil {
		t.Fatal(err)
	}
	q, err := Quantize(m)
	if err != nil {
		t.Fatal(err)
	}
	srcs := [][]int{{2, 3, 4}, {5}, {6, 7, 8, 9, 2}, {3, 3}}
	want := make([]string, len(srcs))
	for i, s := range srcs {
		want[i] = fmt.Sprint(q.Greedy(s).Tokens)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(srcs))
	for g := 0; g < 4; g++ {
		for i, s := range srcs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got := fmt.Sprint(q.Greedy(s).Tokens); got != want[i] {
					errs <- fmt.Sprintf("source %v: %s concurrently, %s alone", s, got, want[i])
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestStats checks the statistics of a model's weights against the bound
// of rounding (max error ≤ t_max/254) and the names and shapes of
// Quantize's matrices.
func TestStats(t *testing.T) {
	m, err := seq2seq.NewModel(rand.New(rand.NewPCG(11, 11)), seq2seq.Config{SrcVocab: 10, TgtVocab: 12,
		Embed: 6, Hidden: 8, EncoderLayers: 2, Attention: "general", BOS: 0, EOS: 1})
	if err != nil {
		t.Fatal(err)
	}
	stats, err := Stats(m)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range stats {
		names = append(names, s.Name)
		if s.MaxAbsErr > s.MaxScale/254*(1+1e-12) || s.RMSErr > s.MaxAbsErr || s.RelErr <= 0 || s.RelErr > 0.02 ||
			s.MinScale > s.MaxScale {
			t.Errorf("%v: out of bounds", s)
		}
	}
	want := []string{"encoder.0.fwd.Wx", "encoder.0.fwd.Wh", "encoder.0.bwd.Wx", "encoder.0.bwd.Wh",
		"encoder.1.Wx", "encoder.1.Wh", "decoder.Wx", "decoder.Wh", "combine.W", "out.W"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("names %v, want %v", names, want)
	}
	if s := stats[len(stats)-1]; s.Rows != 8 || s.Cols != 12 {
		t.Errorf("out.W is %d×%d, want 8×12", s.Rows, s.Cols)
	}
	zero := MatrixStats("zero", randDense(rand.New(rand.NewPCG(1, 1)), 3, 2, 0))
	if zero.RelErr != 0 || zero.MaxAbsErr != 0 || zero.MaxScale != 0 {
		t.Errorf("zero matrix: %v", zero)
	}
}

// TestPlots checks the data of the figures and that one renders.
func TestPlots(t *testing.T) {
	xs := make([]float64, 200)
	sig := make([]float64, len(xs))
	for i := range xs {
		xs[i] = float64(i) / 20
		sig[i] = 2 * math.Sin(xs[i])
	}
	for _, bits := range []int{3, 8} {
		p := StaircasePlot("sine", xs, sig, bits)
		levels := float64(int(1)<<(bits-1) - 1)
		if e := p.MaxError(); e > 2/(2*levels)*(1+1e-12) || e == 0 {
			t.Errorf("%d bits: max error %g, want within half a step %g", bits, e, 1/levels)
		}
	}
	w := randDense(rand.New(rand.NewPCG(12, 12)), 20, 10, 0.3)
	h := WeightHistogram("weights", w, 30)
	if got := h.Names(); !reflect.DeepEqual(got, []string{"float64", "int8"}) {
		t.Errorf("histogram series %v", got)
	}
	stats := []LayerStats{MatrixStats("a", w), MatrixStats("b", randDense(rand.New(rand.NewPCG(13, 13)), 5, 5, 1))}
	l := ErrorPlot(stats)
	if _, ys := l.Series("‖W − Ŵ‖/‖W‖"); len(ys) != 2 || ys[0] != stats[0].RelErr {
		t.Errorf("relative error series %v", ys)
	}
	if png := l.PNG(); len(png) < 100 || string(png[1:4]) != "PNG" {
		t.Error("ErrorPlot did not render a PNG")
	}
}
