package nn_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
)

// pipelineCases are stacks that a Pipeline must run as the Stack does:
// LSTM and GRU run step by step, the other layers (RNN, Bidirectional) as
// whole-sequence stages, with residual connections and their clipping.
var pipelineCases = []struct {
	name     string
	make     func(rng *rand.Rand) *nn.Stack
	lengths  []int
	residual int
	clip     float64
}{
	{"LSTM×2", func(rng *rand.Rand) *nn.Stack {
		return nn.NewStack(nn.NewLSTM(rng, tD, tH), nn.NewLSTM(rng, tH, tH))
	}, nil, 0, 0},
	{"GRU×3/padded", func(rng *rand.Rand) *nn.Stack {
		return nn.NewStack(nn.NewGRU(rng, tD, tH), nn.NewGRU(rng, tH, tH), nn.NewGRU(rng, tH, tH))
	}, []int{3, 1}, 0, 0},
	{"LSTM/GRU×4/residual", func(rng *rand.Rand) *nn.Stack {
		return nn.NewStack(nn.NewLSTM(rng, tD, tH), nn.NewGRU(rng, tH, tH), nn.NewLSTM(rng, tH, tH), nn.NewGRU(rng, tH, tH))
	}, []int{2, 3}, 2, 0},
	{"LSTM×3/residual+clip", func(rng *rand.Rand) *nn.Stack {
		return nn.NewStack(nn.NewLSTM(rng, tD, tH), nn.NewLSTM(rng, tH, tH), nn.NewLSTM(rng, tH, tH))
	}, []int{3, 2}, 1, 0.3},
	{"Bidirectional+LSTM+RNN", func(rng *rand.Rand) *nn.Stack {
		return nn.NewStack(nn.NewBidirectional(nn.NewLSTM(rng, tD, 3), nn.NewGRU(rng, tD, 2)),
			nn.NewLSTM(rng, tH, tH), nn.NewRNN(rng, tH, tH))
	}, []int{1, 3}, 1, 0},
}

// A Pipeline must give the Stack's outputs, input gradients, weight
// gradients, final states and initial-state gradients. Both do the same
// arithmetic in the same order (only on other goroutines), so tolExact is
// a bound with room to spare; with -race this also checks that the stages
// share nothing but what they hand on.
func TestPipelineMatchesStack(t *testing.T) {
	for _, tc := range pipelineCases {
		t.Run(tc.name, func(t *testing.T) {
			build := func() *nn.Stack {
				rng := rand.New(rand.NewPCG(21, 21))
				s := tc.make(rng)
				for _, l := range s.Layers {
					if r, ok := l.(nn.Recurrent); ok {
						randomBiases(rng, r)
					}
				}
				s.Residual, s.Clip = tc.residual, tc.clip
				return s
			}
			seq, pipe := build(), nn.NewPipeline(build())
			rng := rand.New(rand.NewPCG(22, 22))
			top := seq.Layers[len(seq.Layers)-1].(nn.Recurrent)
			h0, dhT := randDense(rng, tB, tH), randDense(rng, tB, tH)
			for i := 0; i < 2; i++ { // twice: the second pass reuses every buffer
				xs, dys := randSeq(rng, tT, tB, tD), randSeq(rng, tT, tB, tH)
				dys[1] = nil // a zero gradient
				for _, s := range []*nn.Stack{seq, pipe.Stack} {
					r := s.Layers[len(s.Layers)-1].(nn.Recurrent)
					r.SetState(h0, nil)
					r.SetStateGrad(dhT, nil)
				}
				ys, pys := seq.ForwardSeq(xs, tc.lengths), pipe.ForwardSeq(xs, tc.lengths)
				for t2 := range ys {
					equalApprox(t, "y", pys[t2], ys[t2])
				}
				dxs, pdxs := seq.BackwardSeq(dys), pipe.BackwardSeq(dys)
				for t2 := range dxs {
					equalApprox(t, "dx", pdxs[t2], dxs[t2])
				}
			}
			for i, p := range seq.Params() {
				equalApprox(t, p.Name+".Grad", pipe.Params()[i].Grad, p.Grad)
			}
			ptop := pipe.Stack.Layers[len(seq.Layers)-1].(nn.Recurrent)
			h, _ := top.State()
			ph, _ := ptop.State()
			equalApprox(t, "h_T", ph, h)
			dh, _ := top.StateGrad()
			pdh, _ := ptop.StateGrad()
			equalApprox(t, "∂L/∂h_0", pdh, dh)
		})
	}
}

func TestGradPipeline(t *testing.T) {
	for _, tc := range pipelineCases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(23, 23))
			s := tc.make(rng)
			s.Residual = tc.residual // no Clip: finite differences cannot cross its kinks
			checkPass(t, gradcheck.Seq(nn.NewPipeline(s), randSeq(rng, tT, tB, tD), tc.lengths, rng))
		})
	}
}

// The spans must show the wavefront: layer k+1 starts step t only after
// layer k has finished it, forward; backward, layer k starts step t only
// after layer k+1 has finished it; each layer runs every step once, in
// order (T−1 … 0 backward), and then adds its weight gradients.
func TestPipelineSpans(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 24))
	const layers, steps = 3, 6
	s := nn.NewStack(nn.NewLSTM(rng, tD, tH))
	for k := 1; k < layers; k++ {
		s.Layers = append(s.Layers, nn.NewGRU(rng, tH, tH))
	}
	p := nn.NewPipeline(s)
	p.ForwardSeq(randSeq(rng, steps, tB, tD), nil)
	p.BackwardSeq(randSeq(rng, steps, tB, tH))
	type key struct {
		layer, step int
		backward    bool
	}
	spans := map[key]nn.Span{}
	next := map[key]int{} // the next step each layer must run, by direction
	weights := 0
	for _, sp := range p.Spans() {
		if sp.Weights {
			// After the layer's step 0, and once per layer.
			if last, ok := spans[key{sp.Layer, 0, true}]; !ok || sp.Start < last.End || sp.Step != -1 {
				t.Errorf("weight-gradient span %+v before the end of the layer's backward steps", sp)
			}
			weights++
			continue
		}
		k := key{sp.Layer, sp.Step, sp.Backward}
		if _, dup := spans[k]; dup {
			t.Fatalf("layer %d ran step %d twice", sp.Layer, sp.Step)
		}
		if sp.End < sp.Start {
			t.Errorf("span %+v ends before it starts", sp)
		}
		spans[k] = sp
		want := next[key{sp.Layer, 0, sp.Backward}]
		if sp.Backward {
			want = steps - 1 - want
		}
		if sp.Step != want {
			t.Errorf("layer %d (backward %v) ran step %d, want %d", sp.Layer, sp.Backward, sp.Step, want)
		}
		next[key{sp.Layer, 0, sp.Backward}]++
	}
	if len(spans) != 2*layers*steps || weights != layers {
		t.Fatalf("%d step spans and %d weight-gradient spans, want %d and %d", len(spans), weights, 2*layers*steps, layers)
	}
	for k := 0; k+1 < layers; k++ {
		for st := 0; st < steps; st++ {
			if lo, hi := spans[key{k, st, false}], spans[key{k + 1, st, false}]; hi.Start < lo.End {
				t.Errorf("forward: layer %d started step %d at %v, before layer %d ended it at %v", k+1, st, hi.Start, k, lo.End)
			}
			if lo, hi := spans[key{k, st, true}], spans[key{k + 1, st, true}]; lo.Start < hi.End {
				t.Errorf("backward: layer %d started step %d at %v, before layer %d ended it at %v", k, st, lo.Start, k+1, hi.End)
			}
		}
	}
}

// A layer's panic (here the shape mismatch of an input too narrow for the
// bottom layer, or of a layer too wide for the one above) reaches the
// caller's goroutine, where it can be recovered, and no stage is left
// waiting.
func TestPipelinePanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 25))
	for _, tc := range []struct {
		name string
		s    *nn.Stack
		in   int
	}{
		{"input", nn.NewStack(nn.NewLSTM(rng, tD, tH), nn.NewLSTM(rng, tH, tH)), tD + 1},
		{"between", nn.NewStack(nn.NewLSTM(rng, tD, tH), nn.NewGRU(rng, tH+1, tH), nn.NewLSTM(rng, tH, tH)), tD},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nn.ErrShape {
					t.Errorf("recovered %v, want %v", r, nn.ErrShape)
				}
			}()
			nn.NewPipeline(tc.s).ForwardSeq(randSeq(rng, tT, tB, tc.in), nil)
		})
	}
}

// A Pipeline is a drop-in for its Stack in a model: its replicas are
// pipelines whose gradients add up to the pipeline's own on the same data,
// and Walk and NameParams see the stack's layers under the stack's names.
func TestPipelineCapabilities(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 26))
	p := nn.NewPipeline(nn.NewStack(nn.NewLSTM(rng, tD, tH), nn.NewGRU(rng, tH, tH)))
	r, ok := nn.ReplicaOf(p).(*nn.Pipeline)
	if !ok {
		t.Fatalf("the replica of a Pipeline is a %T", nn.ReplicaOf(p))
	}
	xs, dys := randSeq(rng, tT, tB, tD), randSeq(rng, tT, tB, tH)
	r.ForwardSeq(xs, nil)
	r.BackwardSeq(dys)
	p.ForwardSeq(xs, nil)
	p.BackwardSeq(dys)
	for i, q := range p.Params() {
		if rq := r.Params()[i]; rq.Value != q.Value || rq.Grad == q.Grad {
			t.Fatalf("%s: a replica must share Value and own Grad", q.Name)
		}
		equalApprox(t, q.Name+".Grad", r.Params()[i].Grad, q.Grad)
	}
	nn.NameParams("encoder", p)
	var names []string
	for _, q := range p.Params() {
		names = append(names, q.Name)
	}
	want := []string{"encoder.0.Wx", "encoder.0.Wh", "encoder.0.b", "encoder.1.Wx", "encoder.1.Wh", "encoder.1.b", "encoder.1.bhn"}
	if !slices.Equal(names, want) {
		t.Errorf("names %v, want the Stack's %v", names, want)
	}
	nn.SetClip(p, 0.5)
	if p.Stack.Clip != 0.5 || p.Stack.Layers[0].(*nn.LSTM).CellClip != 0.5 {
		t.Errorf("SetClip: stack %v, LSTM %v; want 0.5 for both", p.Stack.Clip, p.Stack.Layers[0].(*nn.LSTM).CellClip)
	}
}

// A Concurrent Bidirectional (its directions side by side, as in GNMT's
// encoder) gives the plain one's results and gradients, and its
// directions' panics reach the caller.
func TestBidirectionalConcurrent(t *testing.T) {
	build := func(concurrent bool) *nn.Bidirectional {
		rng := rand.New(rand.NewPCG(27, 27))
		b := nn.NewBidirectional(randomBiases(rng, nn.NewLSTM(rng, tD, tH)), randomBiases(rng, nn.NewGRU(rng, tD, 3)))
		b.Concurrent = concurrent
		return b
	}
	plain, conc := build(false), build(true)
	rng := rand.New(rand.NewPCG(28, 28))
	xs, dys := randSeq(rng, tT, tB, tD), randSeq(rng, tT, tB, tH+3)
	lengths := []int{2, 3}
	ys, cys := plain.ForwardSeq(xs, lengths), conc.ForwardSeq(xs, lengths)
	dxs, cdxs := plain.BackwardSeq(dys), conc.BackwardSeq(dys)
	for i := range ys {
		equalApprox(t, "y", cys[i], ys[i])
		equalApprox(t, "dx", cdxs[i], dxs[i])
	}
	for i, p := range plain.Params() {
		equalApprox(t, p.Name+".Grad", conc.Params()[i].Grad, p.Grad)
	}
	if r, ok := nn.ReplicaOf(conc).(*nn.Bidirectional); !ok || !r.Concurrent {
		t.Error("a replica of a Concurrent Bidirectional must be Concurrent")
	}
	checkPass(t, gradcheck.Seq(conc, randSeq(rng, tT, tB, tD), lengths, rng))
	defer func() {
		if r := recover(); r != nn.ErrShape {
			t.Errorf("recovered %v, want %v", r, nn.ErrShape)
		}
	}()
	conc.ForwardSeq(randSeq(rng, tT, tB, tD+1), nil)
}
