package quant

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// tolSeq is the largest difference allowed between the outputs h_t
// (|h| < 1) of an int8 sequence layer and its float twin on the random
// layers of these tests: two products of ~20 terms, each rounded by about
// 1/254 of its scale, move a pre-activation by ~1e-3 and the carried state
// adds a little at each step; measured at 4–10e-3 for T = 6.
const tolSeq = 0.02

// seqInputs returns T steps of B×d inputs drawn from N(0, 1).
func seqInputs(rng *rand.Rand, steps, b, d int) []*mat.Dense {
	xs := make([]*mat.Dense, steps)
	for t := range xs {
		xs[t] = randDense(rng, b, d, 1)
	}
	return xs
}

// rowSeq returns row i of each of the first n steps of xs, as 1×d
// matrices: sentence i alone.
func rowSeq(xs []*mat.Dense, i, n int) []*mat.Dense {
	out := make([]*mat.Dense, n)
	for t := range out {
		out[t] = mat.DenseCopyOf(xs[t].Slice(i, i+1, 0, xs[t].RawMatrix().Cols))
	}
	return out
}

// TestSeqLayers runs int8 LSTM, GRU, Bidirectional and residual Stack
// layers against lib/nn's over a padded batch: within tolSeq of the float
// outputs, exactly zero past each row's length, and each row exactly what
// it is alone (lengths 6, 2 and 0: a full, a short and an empty row; each row is quantized with its own scale, so its neighbours
// cannot change it).
func TestSeqLayers(t *testing.T) {
	const steps, b, d, hid = 6, 3, 5, 8
	newCell := map[string]func(rng *rand.Rand, in, h int) nn.SeqLayer{
		"lstm": func(rng *rand.Rand, in, h int) nn.SeqLayer { return nn.NewLSTM(rng, in, h) },
		"gru": func(rng *rand.Rand, in, h int) nn.SeqLayer {
			g := nn.NewGRU(rng, in, h)
			nn.InitNormal(rng, g.B.Value, 0.5)
			nn.InitNormal(rng, g.Bhn.Value, 0.5)
			return g
		},
	}
	for _, cell := range []string{"lstm", "gru"} {
		for _, c := range []struct {
			name  string
			build func(rng *rand.Rand) nn.SeqLayer
		}{
			{"layer", func(rng *rand.Rand) nn.SeqLayer { return newCell[cell](rng, d, hid) }},
			{"bidirectional", func(rng *rand.Rand) nn.SeqLayer {
				return nn.NewBidirectional(newCell[cell](rng, d, hid/2), newCell[cell](rng, d, hid/2))
			}},
			{"stack", func(rng *rand.Rand) nn.SeqLayer {
				s := nn.NewStack(nn.NewBidirectional(newCell[cell](rng, d, hid/2), newCell[cell](rng, d, hid/2)),
					newCell[cell](rng, hid, hid), newCell[cell](rng, hid, hid))
				s.Residual = 1
				return s
			}},
		} {
			for _, lengths := range [][]int{nil, {6, 2, 0}} {
				t.Run(fmt.Sprintf("%s/%s/%v", cell, c.name, lengths), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(4, 4))
					l := c.build(rng)
					xs := seqInputs(rng, steps, b, d)
					q, err := QuantizeLayer(l)
					if err != nil {
						t.Fatal(err)
					}
					got := q.ForwardSeq(xs, lengths)
					want := l.ForwardSeq(xs, lengths)
					worst := 0.0
					for s := range got {
						worst = max(worst, maxDiff(got[s], want[s]))
					}
					t.Logf("max |int8 − float| = %.2g", worst)
					if worst > tolSeq {
						t.Errorf("int8 outputs off by %g > %g", worst, tolSeq)
					}
					for i := 0; i < b; i++ {
						n := steps
						if lengths != nil {
							n = lengths[i]
						}
						for s := n; s < steps; s++ {
							for _, v := range got[s].RawRowView(i) {
								if v != 0 {
									t.Fatalf("row %d step %d past length %d: %v", i, s, n, got[s].RawRowView(i))
								}
							}
						}
						if n == 0 {
							continue
						}
						alone := q.ForwardSeq(rowSeq(xs, i, n), nil)
						for s := 0; s < n; s++ {
							if !mat.Equal(alone[s], got[s].Slice(i, i+1, 0, hid)) {
								t.Fatalf("row %d step %d: batch %v, alone %v", i, s, got[s].RawRowView(i), alone[s].RawRowView(0))
							}
						}
					}
				})
			}
		}
	}
}

// TestStepMatchesSeq: T calls of Step give exactly ForwardSeq's outputs
// (the stacked input product quantizes each row as Step does).
func TestStepMatchesSeq(t *testing.T) {
	const steps, b, d, hid = 4, 2, 3, 5
	rng := rand.New(rand.NewPCG(5, 5))
	xs := seqInputs(rng, steps, b, d)
	for _, l := range []Recurrent{NewLSTM(nn.NewLSTM(rng, d, hid)), NewGRU(nn.NewGRU(rng, d, hid))} {
		ys := l.ForwardSeq(xs, nil)
		var h, c *mat.Dense
		for s, x := range xs {
			h, c = l.Step(x, h, c)
			if !mat.Equal(h, ys[s]) {
				t.Errorf("%T step %d: Step %v, ForwardSeq %v", l, s, h.RawRowView(0), ys[s].RawRowView(0))
			}
		}
	}
}

// TestQuantizeLayerErrors: a plain RNN has no int8 form, alone or inside
// a Stack or a Bidirectional.
func TestQuantizeLayerErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	rnn := nn.NewRNN(rng, 3, 4)
	for _, l := range []nn.SeqLayer{
		rnn,
		nn.NewStack(nn.NewLSTM(rng, 3, 4), rnn),
		nn.NewBidirectional(nn.NewGRU(rng, 3, 2), rnn),
	} {
		if _, err := QuantizeLayer(l); err == nil {
			t.Errorf("%T: no error", l)
		} else {
			t.Log(err)
		}
	}
}
