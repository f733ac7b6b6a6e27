package seq2seq

import (
	"fmt"
	"math/rand/v2"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Attention is one attention block: a query h_t (B×H) looks at T_src keys
// s_j (each B×K, the encoder's outputs) and returns the context vector and
// the attention weights
//
//	a_tj  = exp(score(h_t, s_j)) / Σ_{j' < n_b} exp(score(h_t, s_j'))     (j < n_b; 0 past it)
//	c_t   = Σ_j a_tj · s_j                                                  (B×K)
//
// where n_b is the length of source sentence b. Only the score differs
// between the blocks: see Additive, General and Dot.
//
// The keys of a batch are the same at every decoder step, so what depends
// on them alone is computed once, by Memory, and shared by the steps (for
// Additive the projections s_j·Wk: once per batch instead of once per step).
// A decoder that attends at every step uses one Shared copy of the block per
// step, all reading the same Memory.
//
// Backward takes ∂L/∂c_t, returns ∂L/∂h_t and adds the keys' share of the
// gradient into the Memory; after the last step, MemoryBackward turns what
// the steps added into ∂L/∂s_j. The softmax and the weighted sum are shared
// by all blocks:
//
//	∂L/∂a_tj  = ∂L/∂c_t · s_j
//	∂L/∂s_j  += a_tj · ∂L/∂c_t
//	∂L/∂e_tj  = a_tj · (∂L/∂a_tj − Σ_j' a_tj' · ∂L/∂a_tj')           (e = score)
//
// The copies share the parameters, Value and Grad, so their gradients add up.
type Attention interface {
	// Memory prepares a batch of keys (T_src steps of B×K) with the source
	// lengths (nil means every row has T_src steps) for the steps that
	// attend to them. It keeps keys and never writes them.
	Memory(keys []*mat.Dense, lengths []int) *Memory
	// Forward returns the context (B×K) and the weights (B×T_src) of query
	// q (B×H) over mem. The block keeps q and the weights for Backward and
	// never writes them.
	Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense)
	// Backward returns ∂L/∂q (B×H) for dctx = ∂L/∂ctx (B×K), adds the
	// parameter gradients, and adds the keys' gradient into the Memory.
	Backward(dctx *mat.Dense) (dq *mat.Dense)
	// MemoryBackward returns ∂L/∂s_j (T_src steps of B×K), everything the
	// steps' Backward calls added into mem, carried back through Memory's
	// own computation (whose parameter gradients it adds).
	MemoryBackward(mem *Memory) (dkeys []*mat.Dense)
	// Params returns the block's parameters (none for Dot).
	Params() []*nn.Param
	// Shared returns a block of the same kind with the same parameters and
	// its own cache.
	Shared() Attention
	// Replica returns a block of the same kind with the same weights
	// (Value), its own gradients (Grad) and cache: for data parallelism.
	Replica() Attention
}

// Memory is a batch of source sentences ready to be attended to: the keys,
// their lengths, what the block computed from the keys alone, and the
// gradients that the steps' Backward calls add up.
type Memory struct {
	Keys    []*mat.Dense // T_src steps of B×K: s_j
	Lengths []int        // n_b, the source length of each row
	// Proj holds the key projections s_j·Wk (T_src steps of B×A) for
	// Additive; nil for the other blocks.
	Proj []*mat.Dense

	dKeys, dProj []*mat.Dense // ∂L/∂Keys and ∂L/∂Proj, added up by the steps
}

// newMemory checks the keys and lengths and returns a Memory without
// projections.
func newMemory(keys []*mat.Dense, lengths []int) *Memory {
	if len(keys) == 0 {
		panic(nn.ErrShape)
	}
	b, k := keys[0].Dims()
	for _, s := range keys {
		nn.MustDims(s, b, k)
	}
	lens := make([]int, b)
	for i := range lens {
		n := len(keys)
		if lengths != nil {
			if len(lengths) != b {
				panic(nn.ErrShape)
			}
			n = lengths[i]
		}
		if n < 0 || n > len(keys) {
			panic(nn.ErrShape)
		}
		lens[i] = n
	}
	return &Memory{Keys: keys, Lengths: lens}
}

// Rows returns a Memory of the rows idx of m, in that order (copies, no
// gradients): the sources of a set of hypotheses in beam search.
func (m *Memory) Rows(idx []int) *Memory {
	r := &Memory{Keys: make([]*mat.Dense, len(m.Keys)), Lengths: make([]int, len(idx))}
	for j, k := range m.Keys {
		r.Keys[j] = pick(k, idx)
	}
	if m.Proj != nil {
		r.Proj = make([]*mat.Dense, len(m.Proj))
		for j, p := range m.Proj {
			r.Proj[j] = pick(p, idx)
		}
	}
	for i, row := range idx {
		r.Lengths[i] = m.Lengths[row]
	}
	return r
}

// grads returns the gradient accumulators of m's keys (and projections),
// allocating them on first use.
func (m *Memory) grads() (dkeys, dproj []*mat.Dense) {
	if m.dKeys == nil {
		m.dKeys = zerosLike(m.Keys)
		if m.Proj != nil {
			m.dProj = zerosLike(m.Proj)
		}
	}
	return m.dKeys, m.dProj
}

// zerosLike returns zero matrices shaped like ms.
func zerosLike(ms []*mat.Dense) []*mat.Dense {
	z := make([]*mat.Dense, len(ms))
	for j, m := range ms {
		r, c := m.Dims()
		z[j] = mat.NewDense(r, c, nil)
	}
	return z
}

// NewAttention returns the attention block named kind: "bahdanau" (or
// "additive"), "general" (or "luong") or "dot", for queries of width h and
// keys of width k. dim is the width of the additive block's hidden layer
// (ignored by the others). An unknown kind is an error of the caller's data
// (a flag, a file) and is returned.
func NewAttention(rng *rand.Rand, kind string, h, k, dim int) (Attention, error) {
	switch kind {
	case "bahdanau", "additive":
		return NewAdditive(rng, h, k, dim), nil
	case "general", "luong":
		return NewGeneral(rng, h, k), nil
	case "dot":
		if h != k {
			return nil, fmt.Errorf("seq2seq: dot attention needs equal query and key widths, have %d and %d", h, k)
		}
		return &Dot{}, nil
	}
	return nil, fmt.Errorf("seq2seq: unknown attention %q (want bahdanau, general or dot)", kind)
}

// attend is the part every block shares: the masked softmax over the
// scores, the context, and their backward pass. It keeps the cache.
type attend struct {
	q       *mat.Dense
	mem     *Memory
	weights *mat.Dense // B×T_src
}

// forward turns the scores (B×T_src, overwritten) into weights and returns
// the context.
func (a *attend) forward(q *mat.Dense, mem *Memory, scores *mat.Dense) (ctx, weights *mat.Dense) {
	b, _ := q.Dims()
	_, k := mem.Keys[0].Dims()
	a.q, a.mem = q, mem
	for i, n := range mem.Lengths {
		row := scores.RawRowView(i)
		if n > 0 {
			nn.SoftmaxTo(row[:n], row[:n])
		}
		clear(row[n:]) // padding gets no weight; an empty source none at all
	}
	ctx = mat.NewDense(b, k, nil)
	for i, n := range mem.Lengths {
		c, w := ctx.RawRowView(i), scores.RawRowView(i)
		for j := 0; j < n; j++ {
			floats.AddScaled(c, w[j], mem.Keys[j].RawRowView(i))
		}
	}
	a.weights = scores
	return ctx, scores
}

// backward returns de = ∂L/∂scores (B×T_src) for dctx = ∂L/∂ctx and adds
// the weighted sum's share of ∂L/∂s_j into the Memory.
func (a *attend) backward(dctx *mat.Dense) (de *mat.Dense) {
	if a.weights == nil {
		panic("seq2seq: attention Backward before Forward")
	}
	b, steps := a.weights.Dims()
	_, k := a.mem.Keys[0].Dims()
	nn.MustDims(dctx, b, k)
	dkeys, _ := a.mem.grads()
	de = mat.NewDense(b, steps, nil)
	for i, n := range a.mem.Lengths {
		dc, w, d := dctx.RawRowView(i), a.weights.RawRowView(i), de.RawRowView(i)
		sum := 0.0
		for j := 0; j < n; j++ {
			d[j] = floats.Dot(dc, a.mem.Keys[j].RawRowView(i))
			floats.AddScaled(dkeys[j].RawRowView(i), w[j], dc)
			sum += w[j] * d[j]
		}
		for j := 0; j < n; j++ {
			d[j] = w[j] * (d[j] - sum)
		}
	}
	return de
}

// scoreKeys fills scores (B×T_src) with the dot products of the rows of qk
// (B×K) with the keys, for rows' real steps: the scores of Dot (qk = h_t)
// and General (qk = h_t·W).
func scoreKeys(qk *mat.Dense, mem *Memory) *mat.Dense {
	b, _ := qk.Dims()
	scores := mat.NewDense(b, len(mem.Keys), nil)
	for i, n := range mem.Lengths {
		qr, sr := qk.RawRowView(i), scores.RawRowView(i)
		for j := 0; j < n; j++ {
			sr[j] = floats.Dot(qr, mem.Keys[j].RawRowView(i))
		}
	}
	return scores
}

// keysBackward adds ∂L/∂e_tj · qk_t into ∂L/∂s_j and returns
// Σ_j ∂L/∂e_tj · s_j (B×K): the backward pass of scoreKeys.
func keysBackward(de, qk *mat.Dense, mem *Memory) *mat.Dense {
	b, k := qk.Dims()
	dkeys, _ := mem.grads()
	g := mat.NewDense(b, k, nil)
	for i, n := range mem.Lengths {
		qr, gr, e := qk.RawRowView(i), g.RawRowView(i), de.RawRowView(i)
		for j := 0; j < n; j++ {
			floats.AddScaled(gr, e[j], mem.Keys[j].RawRowView(i))
			floats.AddScaled(dkeys[j].RawRowView(i), e[j], qr)
		}
	}
	return g
}

// memoryGrads returns the keys' gradients the steps added into mem (zeros
// when no step did), for blocks whose Memory has no projections.
func memoryGrads(mem *Memory) []*mat.Dense {
	dkeys, _ := mem.grads()
	return dkeys
}

// Dot is Luong et al.'s dot attention, for keys as wide as the query:
//
//	score(h_t, s_j) = h_tᵀ·s_j
//	∂L/∂h_t = Σ_j ∂L/∂e_tj · s_j,    ∂L/∂s_j += ∂L/∂e_tj · h_t
type Dot struct{ attend }

// Memory implements Attention: the keys as they are.
func (a *Dot) Memory(keys []*mat.Dense, lengths []int) *Memory { return newMemory(keys, lengths) }

// Forward implements Attention.
func (a *Dot) Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense) {
	_, k := mem.Keys[0].Dims()
	checkQuery(q, mem, k)
	return a.forward(q, mem, scoreKeys(q, mem))
}

// Backward implements Attention.
func (a *Dot) Backward(dctx *mat.Dense) (dq *mat.Dense) {
	return keysBackward(a.backward(dctx), a.q, a.mem)
}

// MemoryBackward implements Attention.
func (a *Dot) MemoryBackward(mem *Memory) []*mat.Dense { return memoryGrads(mem) }

// Params returns nil: dot attention has no parameters.
func (a *Dot) Params() []*nn.Param { return nil }

// Shared implements Attention.
func (a *Dot) Shared() Attention { return &Dot{} }

// Replica implements Attention.
func (a *Dot) Replica() Attention { return &Dot{} }

// General is Luong et al.'s "general" (bilinear) attention:
//
//	score(h_t, s_j) = h_tᵀ·W·s_j = (h_t·W)·s_j        W: H×K
//	∂L/∂(h_t·W) = Σ_j ∂L/∂e_tj · s_j =: g,   ∂L/∂s_j += ∂L/∂e_tj · h_t·W
//	∂L/∂W += h_tᵀ·g,   ∂L/∂h_t = g·Wᵀ
type General struct {
	W *nn.Param
	attend
	qw *mat.Dense // q·W, B×K
}

// NewGeneral returns a general attention block for queries of width h and
// keys of width k, with a Xavier-initialised W.
func NewGeneral(rng *rand.Rand, h, k int) *General {
	a := &General{W: nn.NewParam("Wa", h, k)}
	nn.InitXavier(rng, a.W.Value)
	return a
}

// Memory implements Attention: the keys as they are.
func (a *General) Memory(keys []*mat.Dense, lengths []int) *Memory {
	_, k := a.W.Value.Dims()
	nn.MustDims(keys[0], -1, k)
	return newMemory(keys, lengths)
}

// Forward implements Attention.
func (a *General) Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense) {
	h, _ := a.W.Value.Dims()
	checkQuery(q, mem, h)
	a.qw = &mat.Dense{}
	a.qw.Mul(q, a.W.Value) // (B×K) = (B×H)·(H×K)
	return a.forward(q, mem, scoreKeys(a.qw, mem))
}

// Backward implements Attention.
func (a *General) Backward(dctx *mat.Dense) (dq *mat.Dense) {
	g := keysBackward(a.backward(dctx), a.qw, a.mem)
	var dw mat.Dense
	dw.Mul(a.q.T(), g) // (H×K) = (B×H)ᵀ·(B×K)
	a.W.Grad.Add(a.W.Grad, &dw)
	dq = &mat.Dense{}
	dq.Mul(g, a.W.Value.T()) // (B×H) = (B×K)·(K×H)
	return dq
}

// MemoryBackward implements Attention.
func (a *General) MemoryBackward(mem *Memory) []*mat.Dense { return memoryGrads(mem) }

// Params returns W.
func (a *General) Params() []*nn.Param { return []*nn.Param{a.W} }

// Shared implements Attention.
func (a *General) Shared() Attention { return &General{W: a.W} }

// Replica implements Attention.
func (a *General) Replica() Attention { return &General{W: a.W.Replica()} }

// Additive is Bahdanau et al.'s additive attention, a one-hidden-layer
// network of the query and each key:
//
//	p_j  = s_j·Wk                                  Wk: K×A   (B×A, once per batch: Memory)
//	u_tj = tanh(h_t·Wq + p_j)                      Wq: H×A   (B×A)
//	score(h_t, s_j) = u_tj·vᵀ                      v: 1×A
//
// Backward, with dz_tj = ∂L/∂e_tj · v ⊙ (1 − u_tj²)  (B×A):
//
//	∂L/∂v  += Σ_j ∂L/∂e_tj · u_tj
//	∂L/∂Wq += h_tᵀ·Σ_j dz_tj,    ∂L/∂h_t = (Σ_j dz_tj)·Wqᵀ
//	∂L/∂p_j += dz_tj                                  (added into the Memory)
//
// and MemoryBackward, after the last step:
//
//	∂L/∂Wk += Σ_j s_jᵀ·∂L/∂p_j,    ∂L/∂s_j += ∂L/∂p_j·Wkᵀ
type Additive struct {
	Wq, Wk, V *nn.Param
	attend
	u  []*mat.Dense // T_src blocks B×A, views of us
	us *mat.Dense
}

// NewAdditive returns an additive attention block for queries of width h,
// keys of width k and a hidden layer of width dim, Xavier-initialised.
func NewAdditive(rng *rand.Rand, h, k, dim int) *Additive {
	a := &Additive{Wq: nn.NewParam("Wq", h, dim), Wk: nn.NewParam("Wk", k, dim), V: nn.NewParam("v", 1, dim)}
	nn.InitXavier(rng, a.Wq.Value)
	nn.InitXavier(rng, a.Wk.Value)
	nn.InitXavier(rng, a.V.Value)
	return a
}

// Memory implements Attention: it computes the projections p_j = s_j·Wk.
func (a *Additive) Memory(keys []*mat.Dense, lengths []int) *Memory {
	k, _ := a.Wk.Value.Dims()
	nn.MustDims(keys[0], -1, k)
	mem := newMemory(keys, lengths)
	mem.Proj = make([]*mat.Dense, len(keys))
	for j, s := range keys {
		p := &mat.Dense{}
		p.Mul(s, a.Wk.Value) // (B×A) = (B×K)·(K×A)
		mem.Proj[j] = p
	}
	return mem
}

// Forward implements Attention.
func (a *Additive) Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense) {
	h, dim := a.Wq.Value.Dims()
	b := checkQuery(q, mem, h)
	if mem.Proj == nil {
		panic("seq2seq: Additive attention over a Memory it did not make")
	}
	var qa mat.Dense
	qa.Mul(q, a.Wq.Value) // (B×A) = (B×H)·(H×A)
	v := a.V.Value.RawRowView(0)
	scores := mat.NewDense(b, len(mem.Keys), nil)
	a.u = a.u[:0]
	if a.us == nil || a.us.RawMatrix().Rows != len(mem.Proj)*b {
		a.us = mat.NewDense(len(mem.Proj)*b, dim, nil) // the T_src blocks, reused while the shape holds
	}
	for j, p := range mem.Proj {
		u := a.us.Slice(j*b, (j+1)*b, 0, dim).(*mat.Dense)
		for i, n := range mem.Lengths {
			if j >= n {
				continue // padding: no score, no gradient
			}
			row, pr, qr := u.RawRowView(i), p.RawRowView(i), qa.RawRowView(i)
			for l := range row {
				row[l] = pr[l] + qr[l]
			}
			seqblas.TanhTo(row, row)
			scores.Set(i, j, floats.Dot(row, v))
		}
		a.u = append(a.u, u)
	}
	return a.forward(q, mem, scores)
}

// Backward implements Attention.
func (a *Additive) Backward(dctx *mat.Dense) (dq *mat.Dense) {
	de := a.backward(dctx)
	_, dproj := a.mem.grads()
	b, dim := a.u[0].Dims()
	v, dv := a.V.Value.RawRowView(0), a.V.Grad.RawRowView(0)
	dzSum := mat.NewDense(b, dim, nil)
	for j, u := range a.u {
		for i, n := range a.mem.Lengths {
			if j >= n {
				continue
			}
			e := de.At(i, j)
			ur, dpr, sr := u.RawRowView(i), dproj[j].RawRowView(i), dzSum.RawRowView(i)
			for l, x := range ur {
				dv[l] += e * x
				dz := e * v[l] * (1 - x*x)
				dpr[l] += dz
				sr[l] += dz
			}
		}
	}
	var dwq mat.Dense
	dwq.Mul(a.q.T(), dzSum) // (H×A) = (B×H)ᵀ·(B×A)
	a.Wq.Grad.Add(a.Wq.Grad, &dwq)
	dq = &mat.Dense{}
	dq.Mul(dzSum, a.Wq.Value.T()) // (B×H) = (B×A)·(A×H)
	return dq
}

// MemoryBackward implements Attention.
func (a *Additive) MemoryBackward(mem *Memory) []*mat.Dense {
	dkeys, dproj := mem.grads()
	var dwk, dsk mat.Dense
	for j, s := range mem.Keys {
		dwk.Mul(s.T(), dproj[j]) // (K×A) = (B×K)ᵀ·(B×A)
		a.Wk.Grad.Add(a.Wk.Grad, &dwk)
		dsk.Mul(dproj[j], a.Wk.Value.T()) // (B×K) = (B×A)·(A×K)
		dkeys[j].Add(dkeys[j], &dsk)
	}
	return dkeys
}

// Params returns Wq, Wk and v.
func (a *Additive) Params() []*nn.Param { return []*nn.Param{a.Wq, a.Wk, a.V} }

// Shared implements Attention.
func (a *Additive) Shared() Attention { return &Additive{Wq: a.Wq, Wk: a.Wk, V: a.V} }

// Replica implements Attention.
func (a *Additive) Replica() Attention {
	return &Additive{Wq: a.Wq.Replica(), Wk: a.Wk.Replica(), V: a.V.Replica()}
}

// checkQuery checks that q has the Memory's B rows and width h, and
// returns B.
func checkQuery(q *mat.Dense, mem *Memory, h int) int {
	b, _ := mem.Keys[0].Dims()
	nn.MustDims(q, b, h)
	return b
}
