package nn_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// TestCapabilities checks the table of nn's capability documentation: which
// layer has which capability.
func TestCapabilities(t *testing.T) {
	rng := rand.New(rand.NewPCG(30, 30))
	for _, c := range []struct {
		l    nn.SeqLayer
		want string // R(eplicator) S(harer) C(ontainer) K (Clipper) Q(uantizable)
	}{
		{nn.NewRNN(rng, 2, 3), "RS"},
		{nn.NewLSTM(rng, 2, 3), "RSKQ"},
		{nn.NewGRU(rng, 2, 3), "RSQ"},
		{nn.NewBidirectional(nn.NewGRU(rng, 2, 3), nn.NewGRU(rng, 2, 3)), "RSCQ"},
		{nn.NewStack(nn.NewGRU(rng, 2, 3)), "RSCKQ"},
		{nn.NewPipeline(nn.NewStack(nn.NewGRU(rng, 2, 3))), "RSCKQ"},
	} {
		var got strings.Builder
		if _, ok := c.l.(nn.Replicator); ok {
			got.WriteString("R")
		}
		if _, ok := c.l.(nn.Sharer); ok {
			got.WriteString("S")
		}
		if _, ok := c.l.(nn.Container); ok {
			got.WriteString("C")
		}
		if _, ok := c.l.(nn.Clipper); ok {
			got.WriteString("K")
		}
		if _, ok := c.l.(nn.Quantizable); ok {
			got.WriteString("Q")
		}
		if got.String() != c.want {
			t.Errorf("%T: capabilities %q, want %q", c.l, got.String(), c.want)
		}
	}
}

// encoder is a seq2seq encoder: a bidirectional LSTM–GRU layer under an
// LSTM, with residual sums.
func encoder(rng *rand.Rand) *nn.Stack {
	s := nn.NewStack(nn.NewBidirectional(nn.NewLSTM(rng, tD, tH), nn.NewGRU(rng, tD, tH)), nn.NewLSTM(rng, 2*tH, 2*tH))
	s.Residual = 1
	return s
}

// A Shared copy has the original's Value and Grad and its own caches: its
// Backward adds into the original's gradients, and running it between the
// original's Forward and Backward changes nothing of the original's.
func TestShared(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 31))
	l, ref := encoder(rng), encoder(rand.New(rand.NewPCG(31, 31)))
	s := nn.SharedOf(l)
	if _, ok := s.(*nn.Stack); !ok {
		t.Fatalf("Shared of a *Stack is a %T", s)
	}
	for k, p := range l.Params() {
		if q := s.Params()[k]; q.Value != p.Value || q.Grad != p.Grad {
			t.Fatalf("%s: a shared copy must share Value and Grad", p.Name)
		}
	}
	xs, other := randSeq(rng, tT, tB, tD), randSeq(rng, tT, tB, tD)
	dys, dother := randSeq(rng, tT, tB, 2*tH), randSeq(rng, tT, tB, 2*tH)
	lengths := []int{3, 2}
	// l runs xs with s's run of other in between; ref runs both in turn.
	l.ForwardSeq(xs, lengths)
	s.ForwardSeq(other, nil)
	s.BackwardSeq(dother)
	dxs := l.BackwardSeq(dys)
	ref.ForwardSeq(other, nil)
	ref.BackwardSeq(dother)
	ref.ForwardSeq(xs, lengths)
	wantDxs := ref.BackwardSeq(dys)
	for i := range dxs {
		equalApprox(t, "dx", dxs[i], wantDxs[i])
	}
	for k, p := range l.Params() {
		equalApprox(t, p.Name+" grad", p.Grad, ref.Params()[k].Grad)
	}
}

// Walk visits every layer with its path; NameParams names the parameters
// by it; SetClip reaches every Clipper inside.
func TestWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(32, 32))
	enc := encoder(rng)
	var paths []string
	nn.Walk(enc, func(path string, _ nn.SeqLayer) { paths = append(paths, path) })
	if want := []string{"", "0", "0.fwd", "0.bwd", "1"}; !slices.Equal(paths, want) {
		t.Errorf("Walk paths %q, want %q", paths, want)
	}
	for k := 0; k < 2; k++ { // naming twice is naming once
		nn.NameParams("encoder", enc)
	}
	var names []string
	for _, p := range enc.Params() {
		names = append(names, p.Name)
	}
	want := []string{"encoder.0.fwd.Wx", "encoder.0.fwd.Wh", "encoder.0.fwd.b",
		"encoder.0.bwd.Wx", "encoder.0.bwd.Wh", "encoder.0.bwd.b", "encoder.0.bwd.bhn",
		"encoder.1.Wx", "encoder.1.Wh", "encoder.1.b"}
	if !slices.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	nn.SetClip(enc, 3)
	bi := enc.Layers[0].(*nn.Bidirectional)
	if enc.Clip != 3 || bi.Fwd.(*nn.LSTM).CellClip != 3 || enc.Layers[1].(*nn.LSTM).CellClip != 3 {
		t.Errorf("SetClip(3): stack %v, LSTM cells %v and %v", enc.Clip, bi.Fwd.(*nn.LSTM).CellClip, enc.Layers[1].(*nn.LSTM).CellClip)
	}
	// Copies keep the settings.
	r := nn.ReplicaOf(enc).(*nn.Stack)
	if r.Clip != 3 || r.Residual != 1 || r.Layers[1].(*nn.LSTM).CellClip != 3 {
		t.Errorf("replica: clip %v, residual %d, cell clip %v", r.Clip, r.Residual, r.Layers[1].(*nn.LSTM).CellClip)
	}
}

// plain is a SeqLayer with no capability beyond SeqLayer.
type plain struct{}

func (plain) ForwardSeq(xs []*mat.Dense, _ []int) []*mat.Dense { return xs }
func (plain) BackwardSeq(dys []*mat.Dense) []*mat.Dense        { return dys }
func (plain) Params() []*nn.Param                              { return nil }

// A layer without a capability is refused with a message naming it, also
// inside a container; Walk and SetClip pass over it.
func TestMissingCapability(t *testing.T) {
	for name, f := range map[string]func(){
		"ReplicaOf":            func() { nn.ReplicaOf(plain{}) },
		"SharedOf":             func() { nn.SharedOf(plain{}) },
		"Stack replica":        func() { nn.ReplicaOf(nn.NewStack(plain{})) },
		"Bidirectional shared": func() { nn.SharedOf(nn.NewBidirectional(plain{}, plain{})) },
	} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, "nn_test.plain") {
					t.Errorf("%s: recovered %q, want a panic naming nn_test.plain", name, r)
				}
			}()
			f()
		}()
	}
	nn.SetClip(nn.NewStack(plain{}), 1)
}
