package seq2seq

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/optim"
)

// copyBatch is a batch whose targets copy source words: target id 6 is a
// word outside the vocabulary of 6 found in the first and second sources
// (only copied), id 7 one found nowhere (generated as Unk); id 4 is in the
// vocabulary and also in the first source (generated or copied); −1 marks
// source words no target can copy.
var (
	copySrc = [][]int{{1, 2, 3}, {4}, {2, 2}}
	copyTgt = [][]int{{6, 4}, {4, 6, 2}, {7}}
	copyIDs = [][]int{{6, 4, -1}, {6}, {-1, -1}}
)

// TestCopyGrad checks the pointer's gradient (gate, attention weights,
// logits) against central differences, with and without dropout.
func TestCopyGrad(t *testing.T) {
	for _, dropout := range []float64{0, 0.3} {
		rng := rand.New(rand.NewPCG(1, 2))
		m, err := NewModel(rng, Config{SrcVocab: 5, TgtVocab: 6, Embed: 3, Hidden: 4, Attention: "general",
			BOS: 0, EOS: 1, Unk: 5, Copy: true, Dropout: dropout})
		if err != nil {
			t.Fatal(err)
		}
		loss := func() float64 {
			m.pcg.Seed(3, 4)
			return m.LossCopy(copySrc, copyTgt, copyIDs)
		}
		if err := gradcheck.Check(loss, m.Backward, m.Params()).Err(gradcheck.Tol); err != nil {
			t.Errorf("dropout %v: %v", dropout, err)
		}
	}
}

// TestCopyDecoderMatchesLoss: forced decoding through NewCopyDecoder gives
// the log-likelihood that LossCopy trains.
func TestCopyDecoderMatchesLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	m, err := NewModel(rng, Config{SrcVocab: 5, TgtVocab: 6, Embed: 3, Hidden: 4, Attention: "bahdanau",
		BOS: 0, EOS: 1, Unk: 5, Copy: true})
	if err != nil {
		t.Fatal(err)
	}
	m.LossCopy(copySrc, copyTgt, copyIDs)
	nll, _ := m.LastNLL()
	got := 0.0
	for i, src := range copySrc {
		d := m.NewCopyDecoder([][]int{src}, copyIDs[i:i+1], 2)
		parent, tok := 0, m.BOS
		for k := 0; k <= len(copyTgt[i]); k++ {
			logp, _ := d.Step([]int{parent}, []int{tok})
			want := m.EOS
			if k < len(copyTgt[i]) {
				want = copyTgt[i][k]
			}
			got -= logp.At(0, want)
			tok = want
		}
	}
	if math.Abs(got-nll) > 1e-9 {
		t.Errorf("decoder NLL %v, Loss NLL %v", got, nll)
	}
}

// TestCopyLearns: a model whose target vocabulary holds nothing but the
// special ids learns to copy the source's second word, a word it can only
// copy (each source word has its own id from TgtVocab up).
func TestCopyLearns(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const words = 30
	m, err := NewModel(rng, Config{SrcVocab: words + 3, TgtVocab: 3, Embed: 8, Hidden: 16, Attention: "dot",
		BOS: 0, EOS: 1, Unk: 2, Copy: true})
	if err != nil {
		t.Fatal(err)
	}
	batch := func(n int) (src, tgt, cp [][]int) {
		for i := 0; i < n; i++ {
			s := []int{3 + rng.IntN(words), 3 + rng.IntN(words), 3 + rng.IntN(words)}
			c := []int{s[0], s[1], s[2]} // source id w is target id w: all ≥ TgtVocab
			src, cp = append(src, s), append(cp, c)
			tgt = append(tgt, []int{s[1]})
		}
		return src, tgt, cp
	}
	opt := optim.DefaultAdam(m.Params(), 0.02)
	for step := 0; step < 200; step++ {
		src, tgt, cp := batch(32)
		opt.ZeroGrad()
		m.LossGradCopy(src, tgt, cp, 1)
		opt.Step()
	}
	src, tgt, cp := batch(100)
	right := 0
	for i := range src {
		logp, _ := m.NewCopyDecoder(src[i:i+1], cp[i:i+1], words+3).Step([]int{0}, []int{m.BOS})
		if argmax(logp.RawRowView(0)) == tgt[i][0] {
			right++
		}
	}
	if right < 90 {
		t.Errorf("the second word copied for %d of 100 sources, want ≥ 90", right)
	}
}
