package seq2seq

import (
	"math"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// The pointer of Config.Copy (See, Liu & Manning 2017, "Get To The Point:
// Summarization with Pointer-Generator Networks", §2.2; Gu et al. 2016's
// CopyNet and Mem2Seq (Madotto et al. 2018) copy from a dialog's history
// the same way). At step t a gate, computed from the attentional state h̃_t,
// mixes generating a word with copying one of the source words, each
// source word j copied with its attention weight a_tj:
//
//	g_t      = σ(h̃_t·w_g + b_g)                                   (B×1)
//	P(y_t)   = g_t·P_gen(y_t) + (1 − g_t)·Σ_{j: c_j = y_t} a_tj
//
// where c_j is the target id of source word j (copyIDs) and P_gen the
// softmax over the target vocabulary. A word outside the vocabulary has an
// id from TgtVocab up: found in the source, it can only be copied
// (P_gen(y) = 0); not found, the generator makes it as Unk (P_gen(y) =
// softmax(z)_Unk), so that no such word gets the Unk mass while it is
// there to point at. A dialog's restaurant names, phone numbers and
// addresses, most of them never seen in training, are copied from the
// facts the dialog holds. The loss is −(1/N) Σ log P(y_t), and with
// P = g·G + (1−g)·C:
//
//	∂L/∂z_k  = (g·G/P) · (softmax(z)_k − [k = gen(y)]) / N        the logits
//	∂L/∂u    = −((G − C)/P) · g(1 − g) / N                         u = h̃·w_g + b_g
//	∂L/∂a_tj = −((1 − g)/P) · [c_j = y_t] / N                      into the attention's Backward

// part returns ids[lo:hi], or nil for nil.
func part(ids [][]int, lo, hi int) [][]int {
	if ids == nil {
		return nil
	}
	return ids[lo:hi]
}

// copyLoss computes the pointer's loss of the last Loss's rows (see
// above) and keeps what its backward pass needs: per row P, G and C.
func (m *Model) copyLoss(fw *forwardCache, logits *mat.Dense) float64 {
	rows := len(fw.targets)
	gen := make([]int, rows)
	for i, y := range fw.targets {
		gen[i] = m.inputID(y)
	}
	m.loss.Forward(logits, gen, fw.mask) // the softmax, P_gen, and its backward pass
	probs := m.loss.Probs()
	fw.gate = m.Gate.Forward(fw.hd) // (Tt·B)×1: u, then g = σ(u)
	g := fw.gate.RawMatrix().Data
	seqblas.SigmoidTo(g, g)
	if cap(fw.mix) < 3*rows {
		fw.mix = make([]float64, 3*rows)
	}
	fw.mix = fw.mix[:3*rows]
	nll := 0.0
	for row, y := range fw.targets {
		if fw.mask[row] == 0 {
			continue
		}
		t, b := row/fw.b, row%fw.b
		C := 0.0
		if fw.copyIDs != nil {
			w := fw.weights[t].RawRowView(b)
			for j, id := range fw.copyIDs[b] {
				if id == y {
					C += w[j]
				}
			}
		}
		G := 0.0 // a word outside the vocabulary that the source holds is only copied
		if y < m.TgtVocab || C == 0 {
			G = probs.At(row, gen[row])
		}
		P := g[row]*G + (1-g[row])*C
		fw.mix[3*row], fw.mix[3*row+1], fw.mix[3*row+2] = P, G, C
		nll -= math.Log(P)
	}
	return nll / float64(fw.tokens)
}

// copyLossBackward returns ∂L/∂logits and ∂L/∂u of the pointer's loss.
func (m *Model) copyLossBackward(fw *forwardCache) (dlogits, dgate *mat.Dense) {
	dlogits = m.loss.Backward() // (softmax − onehot(gen))/N on the real rows
	g := fw.gate.RawMatrix().Data
	dgate = mat.NewDense(len(g), 1, nil)
	n := float64(fw.tokens)
	for row := range fw.targets {
		if fw.mask[row] == 0 {
			continue
		}
		P, G, C := fw.mix[3*row], fw.mix[3*row+1], fw.mix[3*row+2]
		r := dlogits.RawRowView(row)
		s := g[row] * G / P
		for k := range r {
			r[k] *= s
		}
		dgate.Set(row, 0, -(G-C)/P*g[row]*(1-g[row])/n)
	}
	return dlogits, dgate
}

// dweights returns ∂L/∂a_t (B×Ts), the pointer's gradient for the
// attention weights of step t.
func (fw *forwardCache) dweights(t int) *mat.Dense {
	d := mat.NewDense(fw.b, fw.ts, nil)
	if fw.copyIDs == nil {
		return d
	}
	g := fw.gate.RawMatrix().Data
	n := float64(fw.tokens)
	for b, ids := range fw.copyIDs {
		row := t*fw.b + b
		if fw.mask[row] == 0 {
			continue
		}
		y, P := fw.targets[row], fw.mix[3*row]
		for j, id := range ids {
			if id == y {
				d.Set(b, j, -(1-g[row])/P/n)
			}
		}
	}
	return d
}

// NewCopyDecoder is NewBatchDecoder for a model with Copy: copyIDs[i][j]
// is the target id of word j of source i (see LossCopy), and ext the
// number of ids from TgtVocab up that name words outside the target
// vocabulary. Each Step returns log P over TgtVocab + ext ids: the
// pointer's mixture (see copy.go), so that a word outside the vocabulary
// scores by the attention on its copies in the source.
func (m *Model) NewCopyDecoder(src, copyIDs [][]int, ext int) *StepDecoder {
	if !m.Copy || len(copyIDs) != len(src) || ext < 0 {
		panic(nn.ErrShape)
	}
	d := m.NewBatchDecoder(src)
	d.copyIDs, d.ext = copyIDs, ext
	return d
}

// pointer turns the logits of a step (n×V) into the log-probabilities of
// the pointer's mixture over V + ext ids, for rows whose attentional state
// is pre (n×H), attention weights w (n×Ts) and sources rowSrc.
func (d *StepDecoder) pointer(logits, pre, w *mat.Dense, rowSrc []int) *mat.Dense {
	m := d.m
	n, v := logits.Dims()
	gate := (&nn.Linear{W: m.Gate.W, B: m.Gate.B}).Forward(pre) // n×1
	out := mat.NewDense(n, v+d.ext, nil)
	p := make([]float64, v)
	for i := 0; i < n; i++ {
		g := 1 / (1 + math.Exp(-gate.At(i, 0)))
		nn.SoftmaxTo(p, logits.RawRowView(i))
		row := out.RawRowView(i)
		for k, x := range p {
			row[k] = g * x
		}
		for k := v; k < v+d.ext; k++ {
			row[k] = g * p[m.Unk] // a word outside the vocabulary, not in the source: generated as Unk
		}
		if d.copyIDs != nil {
			ids := d.copyIDs[rowSrc[i]]
			for _, id := range ids {
				if id >= v && id < v+d.ext {
					row[id] = 0 // in the source: only copied
				}
			}
			for j, id := range ids {
				if id >= 0 && id < v+d.ext {
					row[id] += (1 - g) * w.At(i, j)
				}
			}
		}
		for k, x := range row {
			row[k] = math.Log(x)
		}
	}
	return out
}
