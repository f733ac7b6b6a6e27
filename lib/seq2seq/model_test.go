package seq2seq

import (
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"gonum.org/v1/gonum/mat"
)

// TestModelGrad checks Model.Backward against central differences of
// Model.Loss for every parameter of a tiny model (two encoder layers),
// with each attention and cell, on a batch of three pairs of different
// lengths so that both source and target padding are exercised. The last
// case adds dropout and scheduled sampling: the model's generator is
// reseeded before every Loss, so that each sees the same masks and draws.
func TestModelGrad(t *testing.T) {
	src := [][]int{{1, 2, 3}, {4}, {2, 2}}
	tgt := [][]int{{2, 3}, {4, 5, 2}, {}}
	for _, c := range []struct {
		name, attn, cell        string
		dropout, teacherForcing float64
		clip                    float64
	}{
		{"bahdanau", "bahdanau", "lstm", 0, 0, 0},
		{"general", "general", "lstm", 0, 0, 0},
		{"dot", "dot", "lstm", 0, 0, 0},
		{"gru", "bahdanau", "gru", 0, 0, 0},
		{"dropout+sampling", "bahdanau", "gru", 0.3, 0.5, 0},
		{"quantization-aware", "general", "lstm", 0, 0, 0.3},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			m, err := NewModel(rng, Config{SrcVocab: 5, TgtVocab: 6, Embed: 3, Hidden: 4, Cell: c.cell,
				EncoderLayers: 2, Attention: c.attn, AttentionDim: 3, BOS: 0, EOS: 1,
				Dropout: c.dropout, TeacherForcing: c.teacherForcing, Residual: 1})
			if err != nil {
				t.Fatal(err)
			}
			m.SetClip(c.clip)
			loss := func() float64 {
				m.pcg.Seed(3, 4)
				return m.Loss(src, tgt)
			}
			rep := gradcheck.Check(loss, m.Backward, m.Params())
			if err := rep.Err(gradcheck.Tol); err != nil {
				t.Error(err)
			}
			t.Log(rep)
		})
	}
}

// reversalPairs returns n pairs of digit strings (3 to 5 digits, ids 0–9)
// and their reversals; target ids are the same digits, with BOS = 10 and
// EOS = 11.
func reversalPairs(rng *rand.Rand, n int) (src, tgt [][]int) {
	for i := 0; i < n; i++ {
		s := make([]int, 3+rng.IntN(3))
		for j := range s {
			s[j] = rng.IntN(10)
		}
		r := make([]int, len(s))
		for j, v := range s {
			r[len(s)-1-j] = v
		}
		src, tgt = append(src, s), append(tgt, r)
	}
	return src, tgt
}

// TestOverfitReversal trains a small model on 20 reversal pairs until
// greedy decoding reproduces every one exactly.
func TestOverfitReversal(t *testing.T) {
	for _, kind := range []string{"general", "bahdanau"} {
		t.Run(kind, func(t *testing.T) {
			start := time.Now()
			rng := rand.New(rand.NewPCG(7, 7))
			src, tgt := reversalPairs(rng, 20)
			m, err := NewModel(rng, Config{SrcVocab: 10, TgtVocab: 12, Embed: 16, Hidden: 32,
				Attention: kind, BOS: 10, EOS: 11})
			if err != nil {
				t.Fatal(err)
			}
			opt := optim.DefaultAdam(m.Params(), 0.01)
			var loss float64
			for step := 0; step < 300; step++ {
				opt.ZeroGrad()
				loss = m.Loss(src, tgt)
				m.Backward()
				optim.ClipGlobalNorm(m.Params(), 5)
				opt.Step()
			}
			wrong := 0
			for i, s := range src {
				if got := m.Greedy(s); !reflect.DeepEqual(got.Tokens, tgt[i]) {
					wrong++
					t.Logf("%v → %v, want %v", s, got.Tokens, tgt[i])
				}
			}
			batch := m.GreedyBatch(src)
			for i, s := range src {
				one := m.Greedy(s)
				if !reflect.DeepEqual(batch[i].Tokens, one.Tokens) || math.Abs(batch[i].LogProb-one.LogProb) > 1e-9 ||
					len(batch[i].Attention) != len(one.Attention) {
					t.Errorf("GreedyBatch %v (log P %.12f), Greedy %v (%.12f)", batch[i].Tokens, batch[i].LogProb, one.Tokens, one.LogProb)
				}
			}
			t.Logf("loss %.4f after 300 steps, %d of %d wrong, %v", loss, wrong, len(src), time.Since(start))
			if wrong > 0 {
				t.Errorf("%d of %d reversals wrong", wrong, len(src))
			}
		})
	}
}

// TestDecoderMatchesLoss pins the decoding path (StepDecoder) to the
// training path (Loss): the log-probability that beam search reports for a
// sentence equals −Loss·tokens for that sentence as a one-pair batch.
func TestDecoderMatchesLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	m, err := NewModel(rng, Config{SrcVocab: 7, TgtVocab: 8, Embed: 4, Hidden: 6,
		EncoderLayers: 2, Attention: "bahdanau", BOS: 0, EOS: 1})
	if err != nil {
		t.Fatal(err)
	}
	src := []int{3, 1, 4, 1, 5}
	got := m.Beam(src, BeamOptions{Width: 3, MaxLen: 6})
	loss := m.Loss([][]int{src}, [][]int{got.Tokens})
	nll, n := m.LastNLL()
	if !got.Finished {
		// Without EOS, Loss would count one more token than the decoder made.
		t.Skip("the untrained model did not finish; nothing to compare")
	}
	if math.Abs(-nll-got.LogProb) > 1e-9 || math.Abs(loss*float64(n)-nll) > 1e-9 {
		t.Errorf("decoder log P = %.12f, −Loss·tokens = %.12f", got.LogProb, -nll)
	}
	for _, row := range got.Attention {
		s := 0.0
		for _, v := range row {
			s += v
		}
		if len(row) != len(src) || math.Abs(s-1) > 1e-12 {
			t.Errorf("attention row %v does not sum to 1 over %d words", row, len(src))
		}
	}
}

func TestNewModelErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, cfg := range []Config{
		{SrcVocab: 5, TgtVocab: 5, Embed: 2, Hidden: 3, Attention: "dot"},         // odd H
		{SrcVocab: 5, TgtVocab: 5, Embed: 2, Hidden: 4, Attention: "nope"},        // attention
		{SrcVocab: 5, TgtVocab: 5, Embed: 2, Hidden: 4, Attention: "dot", EOS: 5}, // EOS out of range
	} {
		if _, err := NewModel(rng, cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

// TestGreedyBatchUntrained compares batched and one-by-one greedy decoding
// on an untrained model whose sources differ in length (padded attention in
// the batch). A bias of −10 on EOS makes every sentence run to the length
// limit 2·|x|, where EOS is forced.
func TestGreedyBatchUntrained(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	m, err := NewModel(rng, Config{SrcVocab: 9, TgtVocab: 9, Embed: 4, Hidden: 6,
		Attention: "general", BOS: 0, EOS: 1})
	if err != nil {
		t.Fatal(err)
	}
	m.Out.B.Value.Set(0, 1, -10)
	src := [][]int{{3, 4, 5, 6, 7}, {8}, {2, 2, 2}}
	batch := m.GreedyBatch(src)
	var lens []int
	for _, tr := range batch {
		lens = append(lens, len(tr.Tokens))
	}
	t.Logf("output lengths %v", lens)
	for i, s := range src {
		one := m.Greedy(s)
		if !reflect.DeepEqual(batch[i].Tokens, one.Tokens) || math.Abs(batch[i].LogProb-one.LogProb) > 1e-9 ||
			batch[i].Finished != one.Finished {
			t.Errorf("source %v: GreedyBatch %v (log P %.12f), Greedy %v (%.12f)", s, batch[i].Tokens, batch[i].LogProb, one.Tokens, one.LogProb)
		}
		for k, row := range one.Attention {
			for j, v := range row {
				if math.Abs(v-batch[i].Attention[k][j]) > 1e-12 {
					t.Fatalf("source %v: attention differs at [%d,%d]", s, k, j)
				}
			}
		}
		if len(one.Tokens) != 2*len(s) {
			t.Errorf("source %v: %d tokens, want the limit %d", s, len(one.Tokens), 2*len(s))
		}
	}
}

// TestDecodeBetweenLossAndBackward: decoding runs on copies of the layers,
// so a Greedy call between Loss and Backward leaves the gradients as they
// are without it.
func TestDecodeBetweenLossAndBackward(t *testing.T) {
	newModel := func() *Model {
		m, err := NewModel(rand.New(rand.NewPCG(9, 9)), Config{SrcVocab: 6, TgtVocab: 6, Embed: 3, Hidden: 4,
			EncoderLayers: 2, Attention: "bahdanau", BOS: 0, EOS: 1})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	src, tgt := [][]int{{2, 3, 4}, {5}}, [][]int{{3, 2}, {4, 4, 4}}
	a, b := newModel(), newModel()
	a.Loss(src, tgt)
	a.Backward()
	b.Loss(src, tgt)
	b.Greedy([]int{5, 4, 3, 2})
	b.Beam([]int{1}, BeamOptions{Width: 3})
	b.Backward()
	pb := b.Params()
	for i, p := range a.Params() {
		if !mat.Equal(p.Grad, pb[i].Grad) {
			t.Errorf("param %d (%s): gradient changed by decoding", i, p.Name)
		}
	}
}

// TestNLLMatchesLoss pins forced decoding (NLL, through the Inference) to
// the training path: on a batch of pairs of different lengths, both give
// the same summed negative log-likelihood and token count.
func TestNLLMatchesLoss(t *testing.T) {
	for _, cell := range []string{"lstm", "gru"} {
		m, err := NewModel(rand.New(rand.NewPCG(4, 4)), Config{SrcVocab: 7, TgtVocab: 8, Embed: 4, Hidden: 6,
			Cell: cell, EncoderLayers: 2, Attention: "bahdanau", BOS: 0, EOS: 1})
		if err != nil {
			t.Fatal(err)
		}
		src := [][]int{{3, 1, 4}, {5}, {2, 6, 5, 3}}
		tgt := [][]int{{2, 7}, {}, {3, 3, 4, 5, 6}}
		m.Loss(src, tgt)
		want, wantN := m.LastNLL()
		got, n := m.NLL(src, tgt)
		if n != wantN || math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: NLL = %.12f over %d tokens, Loss gives %.12f over %d", cell, got, n, want, wantN)
		}
	}
}

// TestBeamBatch compares batched beam search with Beam on each sentence
// alone, for sources of different lengths and with pruning.
func TestBeamBatch(t *testing.T) {
	m, err := NewModel(rand.New(rand.NewPCG(6, 6)), Config{SrcVocab: 9, TgtVocab: 9, Embed: 4, Hidden: 6,
		Cell: "gru", Attention: "bahdanau", BOS: 0, EOS: 1})
	if err != nil {
		t.Fatal(err)
	}
	src := [][]int{{3, 4, 5, 6, 7}, {8}, {2, 2, 2}, {5, 4}}
	for _, opt := range []BeamOptions{{Width: 3}, {Width: 4, Alpha: 0.6, Beta: 0.2, Margin: 3}} {
		batch := m.BeamBatch(src, opt)
		for i, s := range src {
			one := m.Beam(s, opt)
			if !reflect.DeepEqual(batch[i].Tokens, one.Tokens) || math.Abs(batch[i].Score-one.Score) > 1e-9 ||
				len(batch[i].Attention) != len(one.Attention) {
				t.Errorf("%+v source %v: BeamBatch %v (score %.12f), Beam %v (%.12f)", opt, s, batch[i].Tokens, batch[i].Score, one.Tokens, one.Score)
			}
			for _, row := range batch[i].Attention {
				if len(row) != len(s) {
					t.Errorf("source %v: attention row of %d weights", s, len(row))
				}
			}
		}
	}
}

// TestDecodeParallel: Decode shares a batch out among goroutines and gives
// what GreedyBatch and BeamBatch give on the whole batch; MaxLen caps
// greedy translations.
func TestDecodeParallel(t *testing.T) {
	m, err := NewModel(rand.New(rand.NewPCG(6, 7)), Config{SrcVocab: 9, TgtVocab: 9, Embed: 4, Hidden: 6,
		Cell: "gru", Attention: "bahdanau", BOS: 0, EOS: 1})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	var src [][]int
	for i := 0; i < 3*minShare+1; i++ {
		s := make([]int, 1+rng.IntN(6))
		for j := range s {
			s[j] = 2 + rng.IntN(7)
		}
		src = append(src, s)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	same := func(a, b []Translation) bool {
		for i := range a {
			if !reflect.DeepEqual(a[i].Tokens, b[i].Tokens) || math.Abs(a[i].Score-b[i].Score) > 1e-9 {
				return false
			}
		}
		return len(a) == len(b)
	}
	if !same(m.Decode(src, BeamOptions{}), m.GreedyBatch(src)) {
		t.Error("Decode (greedy) differs from GreedyBatch")
	}
	opt := BeamOptions{Width: 3, Alpha: 0.6}
	if !same(m.Decode(src, opt), m.BeamBatch(src, opt)) {
		t.Error("Decode (beam) differs from BeamBatch")
	}
	for i, tr := range m.Decode(src, BeamOptions{MaxLen: 2}) {
		if len(tr.Tokens) > 2 {
			t.Errorf("sentence %d: %d tokens with MaxLen 2", i, len(tr.Tokens))
		}
	}
}

// TestLossGradParallel: LossGrad shared out among three replicas returns
// the loss and adds the gradient of the whole batch, as one model does
// (dropout off, so that both compute the same function).
func TestLossGradParallel(t *testing.T) {
	src, tgt := reversalPairs(rand.New(rand.NewPCG(5, 5)), 3*MinShare+5)
	grads := func(workers int) ([]*mat.Dense, float64, int) {
		m, err := NewModel(rand.New(rand.NewPCG(2, 2)), Config{SrcVocab: 10, TgtVocab: 12, Embed: 6, Hidden: 8,
			Cell: "lstm", EncoderLayers: 2, Residual: 1, Attention: "bahdanau", BOS: 10, EOS: 11})
		if err != nil {
			t.Fatal(err)
		}
		loss, tokens := m.LossGrad(src, tgt, workers)
		var gs []*mat.Dense
		for _, p := range m.Params() {
			gs = append(gs, mat.DenseCopyOf(p.Grad))
		}
		return gs, loss, tokens
	}
	one, loss1, n1 := grads(1)
	three, loss3, n3 := grads(3)
	if n1 != n3 || math.Abs(loss1-loss3) > 1e-12*loss1 {
		t.Fatalf("loss %v over %d tokens on one model, %v over %d on three", loss1, n1, loss3, n3)
	}
	for i := range one {
		var d mat.Dense
		d.Sub(one[i], three[i])
		if diff, norm := mat.Norm(&d, 1), mat.Norm(one[i], 1); diff > 1e-10*max(norm, 1e-3) {
			t.Errorf("param %d: gradients differ by %g (norm %g)", i, diff, norm)
		}
	}
}

// TestPipelineIsExact: with Config.Pipeline (the encoder's layers on their
// own goroutines, its bidirectional layer's directions side by side) the
// loss and the gradients are those of the plain model bit for bit, one
// model or two replicas, LSTM or GRU, with residual sums and padding.
func TestPipelineIsExact(t *testing.T) {
	src, tgt := reversalPairs(rand.New(rand.NewPCG(5, 6)), 2*MinShare+3)
	for _, cell := range []string{"lstm", "gru"} {
		for _, workers := range []int{1, 2} {
			run := func(pipeline bool) ([]*mat.Dense, float64) {
				m, err := NewModel(rand.New(rand.NewPCG(2, 3)), Config{SrcVocab: 10, TgtVocab: 12, Embed: 6, Hidden: 8,
					Cell: cell, EncoderLayers: 3, Residual: 2, Attention: "general", BOS: 10, EOS: 11, Pipeline: pipeline})
				if err != nil {
					t.Fatal(err)
				}
				var loss float64
				for step := 0; step < 2; step++ { // the second reuses the pipeline's buffers
					nn.ZeroGrads(m.Params())
					loss, _ = m.LossGrad(src, tgt, workers)
				}
				var gs []*mat.Dense
				for _, p := range m.Params() {
					gs = append(gs, mat.DenseCopyOf(p.Grad))
				}
				return gs, loss
			}
			plain, loss := run(false)
			piped, ploss := run(true)
			if ploss != loss {
				t.Errorf("%s, %d workers: loss %v pipelined, %v plain", cell, workers, ploss, loss)
			}
			for i := range plain {
				if !mat.Equal(piped[i], plain[i]) {
					t.Errorf("%s, %d workers: gradient %d differs", cell, workers, i)
				}
			}
		}
	}
}
