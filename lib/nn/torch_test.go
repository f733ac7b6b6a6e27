package nn_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// tolTorch is the agreement with PyTorch's float64 layers: the two sides
// sum in other orders and take tanh and σ from other libraries (ours are
// lib/blas's, within 2 ulp), so they differ by some 1e-15; 1e-9 leaves room
// for the rounding and none for a wrong gate, bias or index.
const tolTorch = 1e-9

// torchCase is one case of testdata/torch_rnn.json, which
// bench/torch_rnn_fixture.py writes: a PyTorch nn.LSTM or nn.GRU, its
// inputs, outputs and gradients, all as PyTorch holds them.
type torchCase struct {
	Name          string
	Cell          string // "lstm" or "gru"
	Bidirectional bool
	Lengths       []int // nil: every row is T steps long
	T, B, D, H    int
	X             [][][]float64 // T×B×D
	H0            [][][]float64 // dirs×B×H
	C0            [][][]float64 // dirs×B×H, LSTM only
	// L = Σ r_y ⊙ y + Σ r_h ⊙ h_n + Σ r_c ⊙ c_n
	RY   [][][]float64 `json:"r_y"` // T×B×(dirs·H)
	RH   [][][]float64 `json:"r_h"` // dirs×B×H
	RC   [][][]float64 `json:"r_c"` // dirs×B×H, LSTM only
	Y    [][][]float64 // T×B×(dirs·H), zero past each row's length
	HN   [][][]float64 `json:"h_n"` // dirs×B×H
	CN   [][][]float64 `json:"c_n"` // dirs×B×H, LSTM only
	Loss float64
	// Weights and Grad are keyed by PyTorch's parameter names
	// (weight_ih_l0, bias_hh_l0_reverse); Grad also holds "x", "h0" and
	// "c0". Weights are matrices, biases vectors: decoded by name.
	Weights, Grad map[string]json.RawMessage
}

// matrix decodes the PyTorch matrix (or, as a 1×n row, vector) called name
// from m.
func (c *torchCase) matrix(t *testing.T, m map[string]json.RawMessage, name string) *mat.Dense {
	t.Helper()
	raw, ok := m[name]
	if !ok {
		t.Fatalf("%s: no %s in the fixture", c.Name, name)
	}
	var rows [][]float64
	if err := json.Unmarshal(raw, &rows); err != nil {
		var v []float64
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %s: %v", c.Name, name, err)
		}
		rows = [][]float64{v}
	}
	return fromRows(rows)
}

func fromRows(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// steps returns a T×B×w array as T matrices B×w.
func steps(a [][][]float64) []*mat.Dense {
	out := make([]*mat.Dense, len(a))
	for t, rows := range a {
		out[t] = fromRows(rows)
	}
	return out
}

// direction builds our layer from PyTorch's weights of one direction
// (suffix "" or "_reverse"). PyTorch keeps W_ih (G·H×D) and W_hh (G·H×H)
// out×in with G gate blocks in rows, and two biases; we keep in×out with
// the gate blocks in columns, in PyTorch's order (LSTM i, f, g, o; GRU r,
// z, n), so
//
//	Wx = W_ihᵀ,   Wh = W_hhᵀ
//	LSTM: b = b_ih + b_hh                          (the two only ever appear summed)
//	GRU:  b = b_ih + [b_hh_r | b_hh_z | 0],   bhn = b_hh_n   (r multiplies h·Whn + b_hh_n)
//
// and the gradients map back the same way: ∂L/∂W_ih = (∂L/∂Wx)ᵀ, and
// ∂L/∂b_ih = ∂L/∂b for every gate, ∂L/∂b_hh = ∂L/∂b for LSTM's gates and
// GRU's r and z, ∂L/∂b_hh_n = ∂L/∂bhn.
func (c *torchCase) direction(t *testing.T, suffix string) nn.Recurrent {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 1)) // every weight is overwritten below
	wih, whh := c.matrix(t, c.Weights, "weight_ih_l0"+suffix), c.matrix(t, c.Weights, "weight_hh_l0"+suffix)
	bih, bhh := c.matrix(t, c.Weights, "bias_ih_l0"+suffix), c.matrix(t, c.Weights, "bias_hh_l0"+suffix)
	switch c.Cell {
	case "lstm":
		l := nn.NewLSTM(rng, c.D, c.H)
		l.Wx.Value.CloneFrom(wih.T())
		l.Wh.Value.CloneFrom(whh.T())
		l.B.Value.Add(bih, bhh)
		return l
	case "gru":
		l := nn.NewGRU(rng, c.D, c.H)
		l.Wx.Value.CloneFrom(wih.T())
		l.Wh.Value.CloneFrom(whh.T())
		l.B.Value.CloneFrom(bih)
		b, hn := l.B.Value.RawRowView(0), bhh.RawRowView(0)
		for j := 0; j < 2*c.H; j++ {
			b[j] += hn[j]
		}
		l.Bhn.Value.SetRow(0, hn[2*c.H:])
		return l
	}
	t.Fatalf("%s: unknown cell %q", c.Name, c.Cell)
	return nil
}

// checkGrads compares the gradients of one direction's parameters with
// PyTorch's.
func (c *torchCase) checkGrads(t *testing.T, l nn.Recurrent, suffix string) {
	t.Helper()
	ps := l.Params() // Wx, Wh, b (and bhn)
	gih, ghh := c.matrix(t, c.Grad, "weight_ih_l0"+suffix), c.matrix(t, c.Grad, "weight_hh_l0"+suffix)
	gbih, gbhh := c.matrix(t, c.Grad, "bias_ih_l0"+suffix), c.matrix(t, c.Grad, "bias_hh_l0"+suffix)
	closeTo(t, c.Name+" ∂L/∂Wx"+suffix, ps[0].Grad, gih.T())
	closeTo(t, c.Name+" ∂L/∂Wh"+suffix, ps[1].Grad, ghh.T())
	closeTo(t, c.Name+" ∂L/∂b vs ∂L/∂b_ih"+suffix, ps[2].Grad, gbih)
	if c.Cell == "lstm" {
		closeTo(t, c.Name+" ∂L/∂b vs ∂L/∂b_hh"+suffix, ps[2].Grad, gbhh)
		return
	}
	h2 := 2 * c.H
	closeTo(t, c.Name+" ∂L/∂b[r,z] vs ∂L/∂b_hh[r,z]"+suffix, ps[2].Grad.Slice(0, 1, 0, h2), gbhh.Slice(0, 1, 0, h2))
	closeTo(t, c.Name+" ∂L/∂bhn vs ∂L/∂b_hh[n]"+suffix, ps[3].Grad, gbhh.Slice(0, 1, h2, 3*c.H))
}

// closeTo fails the test where got and want differ by more than tolTorch
// (relative to |want| above 1).
func closeTo(t *testing.T, what string, got, want mat.Matrix) {
	t.Helper()
	r, c := want.Dims()
	if gr, gc := got.Dims(); gr != r || gc != c {
		t.Fatalf("%s: %d×%d, PyTorch %d×%d", what, gr, gc, r, c)
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			g, w := got.At(i, j), want.At(i, j)
			if math.Abs(g-w) > tolTorch*math.Max(1, math.Abs(w)) {
				t.Errorf("%s[%d,%d] = %.17g, PyTorch %.17g", what, i, j, g, w)
				return
			}
		}
	}
}

// TestTorchRNN runs nn.LSTM and nn.GRU (alone, over a padded batch, and as
// an nn.Bidirectional pair over a padded batch) on PyTorch's weights and
// inputs from testdata/torch_rnn.json, and compares the outputs, the final
// states, the loss and the gradients with respect to the inputs, the
// initial states and every weight with PyTorch's (see
// bench/torch_rnn_fixture.py, which writes the fixture).
func TestTorchRNN(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_rnn.json")
	if err != nil {
		t.Fatal(err)
	}
	var fixture struct {
		Torch string
		Cases []torchCase
	}
	if err := json.Unmarshal(raw, &fixture); err != nil {
		t.Fatalf("testdata/torch_rnn.json: %v", err)
	}
	if len(fixture.Cases) != 6 {
		t.Fatalf("%d cases in the fixture, want 6 (LSTM and GRU: plain, padded, bidirectional)", len(fixture.Cases))
	}
	for _, c := range fixture.Cases {
		t.Run(c.Name, func(t *testing.T) {
			suffixes := []string{""}
			if c.Bidirectional {
				suffixes = append(suffixes, "_reverse")
			}
			dirs := make([]nn.Recurrent, len(suffixes))
			for k, s := range suffixes {
				dirs[k] = c.direction(t, s)
			}
			var l nn.SeqLayer = dirs[0]
			if c.Bidirectional {
				l = nn.NewBidirectional(dirs[0], dirs[1])
			}
			// c0 and its gradient exist for an LSTM only; a GRU's are nil.
			state := func(a [][][]float64, k int) *mat.Dense {
				if a == nil {
					return nil
				}
				return fromRows(a[k])
			}

			for k, d := range dirs {
				d.SetState(state(c.H0, k), state(c.C0, k))
			}
			ys := l.ForwardSeq(steps(c.X), c.Lengths)
			loss := 0.0
			for step, y := range ys {
				closeTo(t, fmt.Sprintf("%s y[%d]", c.Name, step), y, fromRows(c.Y[step]))
				loss += sumProduct(y, fromRows(c.RY[step]))
			}
			for k, d := range dirs {
				h, cell := d.State()
				closeTo(t, fmt.Sprintf("%s h_n[%d]", c.Name, k), h, fromRows(c.HN[k]))
				loss += sumProduct(h, fromRows(c.RH[k]))
				if cell != nil {
					closeTo(t, fmt.Sprintf("%s c_n[%d]", c.Name, k), cell, fromRows(c.CN[k]))
					loss += sumProduct(cell, fromRows(c.RC[k]))
				}
			}
			if math.Abs(loss-c.Loss) > tolTorch*math.Max(1, math.Abs(c.Loss)) {
				t.Errorf("loss %.17g, PyTorch %.17g", loss, c.Loss)
			}

			for k, d := range dirs {
				d.SetStateGrad(state(c.RH, k), state(c.RC, k))
			}
			dxs := l.BackwardSeq(steps(c.RY))
			var gxs [][][]float64
			if err := json.Unmarshal(c.Grad["x"], &gxs); err != nil {
				t.Fatal(err)
			}
			for step, dx := range dxs {
				closeTo(t, fmt.Sprintf("%s ∂L/∂x[%d]", c.Name, step), dx, fromRows(gxs[step]))
			}
			var gh0, gc0 [][][]float64
			if err := json.Unmarshal(c.Grad["h0"], &gh0); err != nil {
				t.Fatal(err)
			}
			if c.Cell == "lstm" {
				if err := json.Unmarshal(c.Grad["c0"], &gc0); err != nil {
					t.Fatal(err)
				}
			}
			for k, d := range dirs {
				dh, dc := d.StateGrad()
				closeTo(t, fmt.Sprintf("%s ∂L/∂h0[%d]", c.Name, k), dh, fromRows(gh0[k]))
				if gc0 != nil {
					closeTo(t, fmt.Sprintf("%s ∂L/∂c0[%d]", c.Name, k), dc, fromRows(gc0[k]))
				}
				c.checkGrads(t, d, suffixes[k])
			}
		})
	}
}

// sumProduct returns Σ a ⊙ b.
func sumProduct(a, b *mat.Dense) float64 {
	var m mat.Dense
	m.MulElem(a, b)
	return mat.Sum(&m)
}
