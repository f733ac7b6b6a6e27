package nn

import "gonum.org/v1/gonum/mat"

// MeanSquaredError is the loss of a regression, such as a forecast of the
// next value of a series:
//
//	L = Σ_i m_i · Σ_j (ŷ_ij − y_ij)²  /  (Σ_i m_i · n)       (mean over unmasked elements)
//	∂L/∂ŷ_ij = 2 m_i (ŷ_ij − y_ij) / (Σ_i m_i · n)
//
// ŷ and y are B×n; m is a mask of B rows (1 to count a row, 0 to leave it
// out, as a target that was never observed; nil means all ones).
type MeanSquaredError struct {
	diff   *mat.Dense // m_i (ŷ − y), kept for Backward
	weight float64    // 1/(Σm·n)
	dy     *mat.Dense
}

// Forward returns the loss of pred against target (both B×n), counting
// the rows whose mask is non-zero; 0 when there is none.
func (l *MeanSquaredError) Forward(pred, target *mat.Dense, mask []float64) float64 {
	b, n := pred.Dims()
	MustDims(target, b, n)
	if mask != nil && len(mask) != b {
		panic(ErrShape)
	}
	l.diff = Ensure(l.diff, b, n)
	sum, count := 0.0, 0.0
	for i := 0; i < b; i++ {
		m := 1.0
		if mask != nil {
			m = mask[i]
		}
		d, p, y := l.diff.RawRowView(i), pred.RawRowView(i), target.RawRowView(i)
		for j := range d {
			d[j] = m * (p[j] - y[j])
			sum += m * (p[j] - y[j]) * (p[j] - y[j])
		}
		count += m * float64(n)
	}
	l.weight = 0
	if count > 0 {
		l.weight = 1 / count
	}
	return sum * l.weight
}

// Backward returns ∂L/∂pred (B×n) for the last Forward. The matrix belongs
// to the loss and is overwritten by the next Backward.
func (l *MeanSquaredError) Backward() *mat.Dense {
	if l.diff == nil {
		panic("nn: MeanSquaredError Backward before Forward")
	}
	b, n := l.diff.Dims()
	l.dy = Ensure(l.dy, b, n)
	l.dy.Scale(2*l.weight, l.diff)
	return l.dy
}
