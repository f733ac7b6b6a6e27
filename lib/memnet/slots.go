package memnet

import (
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/nn"
)

// slots lays encoded sentences out in a batch's memory and adds the
// temporal encoding, the paper's T_A and T_C, a row per age (0 the latest
// sentence):
//
//	mem_s = enc[idx_s] + T[age_s]                  (1×d)
//	∂L/∂enc[idx_s] += ∂L/∂mem_s,    ∂L/∂T[age_s] += ∂L/∂mem_s
//
// A story's sentences are encoded once for all the slots that hold them,
// however many questions of the batch remember them. idx_s is −1 for a
// sentence without a known word (its slot holds T[age_s] alone), age_s −1
// for a padding slot (zero, no gradient). T is nil without temporal
// encoding.
type slots struct {
	T         *nn.Param
	idx, ages []int
}

// Forward writes the slots into the rows of dst (len(idx)×d), reading enc
// (U×d), and keeps idx and ages for Backward.
func (s *slots) Forward(dst, enc *mat.Dense, idx, ages []int) {
	_, d := enc.Dims()
	nn.MustDims(dst, len(idx), d)
	if len(ages) != len(idx) {
		panic(nn.ErrShape)
	}
	s.idx, s.ages = idx, ages
	for r, i := range idx {
		row := dst.RawRowView(r)
		switch {
		case ages[r] < 0:
			clear(row)
			continue
		case i >= 0:
			copy(row, enc.RawRowView(i))
		default:
			clear(row)
		}
		if s.T != nil {
			floats.Add(row, s.T.Value.RawRowView(ages[r]))
		}
	}
}

// Backward adds the gradients for dmem (len(idx)×d) into denc (U×d) and
// T's gradient.
func (s *slots) Backward(dmem, denc *mat.Dense) {
	for r, i := range s.idx {
		if s.ages[r] < 0 {
			continue
		}
		g := dmem.RawRowView(r)
		if i >= 0 {
			floats.Add(denc.RawRowView(i), g)
		}
		if s.T != nil {
			floats.Add(s.T.Grad.RawRowView(s.ages[r]), g)
		}
	}
}
