package seq2seq

import (
	"fmt"
	"math/rand/v2"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
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
// Backward takes ∂L/∂c_t, returns ∂L/∂h_t and adds into the Memory what
// the steps share: the keys' share of the gradient and, for the blocks with
// a query-side weight W (Additive's Wq, General's W), the query h_t and
// ∂L/∂(h_t·W). After the last step, MemoryBackward turns what the steps
// added into ∂L/∂s_j and the weight gradients, each one product over all
// steps, ∂L/∂W += Σ_t h_tᵀ·∂L/∂(h_t·W) of depth T·B rather than T
// products of depth B. The softmax and the weighted sum are shared by all
// blocks:
//
//	∂L/∂a_tj  = ∂L/∂c_t · s_j
//	∂L/∂s_j  += a_tj · ∂L/∂c_t
//	∂L/∂e_tj  = a_tj · (∂L/∂a_tj − Σ_j' a_tj' · ∂L/∂a_tj')           (e = score)
//
// The copies share the parameters, Value and Grad, so their gradients add up.
type Attention interface {
	// Memory prepares a batch of keys (T_src steps of B×K) with the source
	// lengths (nil means every row has T_src steps) for the steps that
	// attend to them. It copies the keys.
	Memory(keys []*mat.Dense, lengths []int) *Memory
	// Forward returns the context (B×K) and the weights (B×T_src) of query
	// q (B×H) over mem. The block keeps q and the weights for Backward and
	// never writes them.
	Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense)
	// Backward returns ∂L/∂q (B×H) for dctx = ∂L/∂ctx (B×K), adds the
	// gradients of the parameters that only this step uses (Additive's v),
	// and adds the keys' gradient and the query's share of the weights'
	// into the Memory.
	Backward(dctx *mat.Dense) (dq *mat.Dense)
	// MemoryBackward returns ∂L/∂s_j (T_src steps of B×K), everything the
	// steps' Backward calls added into mem, carried back through Memory's
	// own computation, and adds the gradients of the weights that the steps
	// share.
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

	keys, proj *mat.Dense // Keys and Proj stacked, (T_src·B)×K and ×A, when the block made them
	// ∂L/∂Keys and ∂L/∂Proj, stacked as keys and proj and in their steps,
	// added up by the steps.
	dKeys, dProj          *mat.Dense
	dKeySteps, dProjSteps []*mat.Dense
	// The rows of the steps' queries h_t and of ∂L/∂(h_t·W), one after the
	// other: ((steps·B)×H and ×A) for the query-side weight's gradient.
	queries, dqw []float64
	// The query-side weight (Additive's Wq, General's W) packed for the
	// products of the steps: W forward, Wᵀ backward.
	qW, qWT nn.PackedWeight
}

// newMemory checks the keys and lengths and returns a Memory of a stacked
// copy of the keys, without projections.
func newMemory(keys []*mat.Dense, lengths []int) *Memory {
	if len(keys) == 0 {
		panic(nn.ErrShape)
	}
	b, k := keys[0].Dims()
	stack := mat.NewDense(len(keys)*b, k, nil)
	steps := nn.SplitSteps(stack, len(keys), b)
	for j, s := range keys {
		nn.MustDims(s, b, k)
		steps[j].Copy(s)
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
	return &Memory{Keys: steps, Lengths: lens, keys: stack}
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
// in steps, allocating them on first use.
func (m *Memory) grads() (dkeys, dproj []*mat.Dense) {
	if m.dKeys == nil {
		b, k := m.Keys[0].Dims()
		m.dKeys = mat.NewDense(len(m.Keys)*b, k, nil)
		m.dKeySteps = nn.SplitSteps(m.dKeys, len(m.Keys), b)
		if m.Proj != nil {
			_, a := m.Proj[0].Dims()
			m.dProj = mat.NewDense(len(m.Proj)*b, a, nil)
			m.dProjSteps = nn.SplitSteps(m.dProj, len(m.Proj), b)
		}
	}
	return m.dKeySteps, m.dProjSteps
}

// addQuery adds the query q (B×H) of a step and g = ∂L/∂(q·W) (B×A) for
// addQueryGrad.
func (m *Memory) addQuery(q, g *mat.Dense) {
	r, h := q.Dims()
	_, a := g.Dims()
	if len(m.queries) == 0 {
		// Room for as many steps as the source has, which a translation's
		// target rarely passes by much; append grows it when needed.
		m.queries, m.dqw = make([]float64, 0, 2*len(m.Keys)*r*h), make([]float64, 0, 2*len(m.Keys)*r*a)
	}
	for i := 0; i < r; i++ {
		m.queries = append(m.queries, q.RawRowView(i)...)
		m.dqw = append(m.dqw, g.RawRowView(i)...)
	}
}

// addQueryGrad adds Σ_t q_tᵀ·g_t (H×A) over the steps' addQuery calls into
// dst, as one product: ((steps·B)×H)ᵀ·((steps·B)×A).
func (m *Memory) addQueryGrad(dst *mat.Dense) {
	h, a := dst.Dims()
	if len(m.queries) == 0 {
		return
	}
	addProduct(dst, mat.NewDense(len(m.queries)/h, h, m.queries), mat.NewDense(len(m.dqw)/a, a, m.dqw))
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
//	∂L/∂W += h_tᵀ·g (in MemoryBackward, over all steps),   ∂L/∂h_t = g·Wᵀ
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
	h, k := a.W.Value.Dims()
	a.qw = mat.NewDense(checkQuery(q, mem, h), k, nil)
	mem.qW.Mul(a.qw, q, a.W.Value, false, 0) // (B×K) = (B×H)·(H×K)
	return a.forward(q, mem, scoreKeys(a.qw, mem))
}

// Backward implements Attention.
func (a *General) Backward(dctx *mat.Dense) (dq *mat.Dense) {
	g := keysBackward(a.backward(dctx), a.qw, a.mem)
	a.mem.addQuery(a.q, g)
	dq = mat.NewDense(g.RawMatrix().Rows, a.W.Value.RawMatrix().Rows, nil)
	a.mem.qWT.Mul(dq, g, a.W.Value, true, 0) // (B×H) = (B×K)·(K×H)
	return dq
}

// MemoryBackward implements Attention: it adds ∂L/∂W = Σ_t h_tᵀ·g_t.
func (a *General) MemoryBackward(mem *Memory) []*mat.Dense {
	mem.addQueryGrad(a.W.Grad) // (H×K) += ((steps·B)×H)ᵀ·((steps·B)×K)
	return memoryGrads(mem)
}

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
//	∂L/∂h_t = (Σ_j dz_tj)·Wqᵀ
//	∂L/∂p_j += dz_tj,   h_t and Σ_j dz_tj             (added into the Memory)
//
// and MemoryBackward, after the last step, with S, ∂L/∂P, Q and dZ the
// stacks of the s_j, the ∂L/∂p_j, the steps' h_t and their Σ_j dz_tj:
//
//	∂L/∂Wk += Sᵀ·∂L/∂P,    ∂L/∂S += ∂L/∂P·Wkᵀ,    ∂L/∂Wq += Qᵀ·dZ
type Additive struct {
	Wq, Wk, V *nn.Param
	attend
	u     []*mat.Dense // T_src blocks B×A, views of us
	us    *mat.Dense
	qa    *mat.Dense // q·Wq (B×A)
	dzSum *mat.Dense // Σ_j dz_tj (B×A)
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

// Memory implements Attention: it computes the projections p_j = s_j·Wk,
// of all steps in one product.
func (a *Additive) Memory(keys []*mat.Dense, lengths []int) *Memory {
	k, dim := a.Wk.Value.Dims()
	nn.MustDims(keys[0], -1, k)
	mem := newMemory(keys, lengths)
	b, _ := keys[0].Dims()
	mem.proj = mat.NewDense(len(keys)*b, dim, nil)
	mem.proj.Mul(mem.keys, a.Wk.Value) // ((T_src·B)×A) = ((T_src·B)×K)·(K×A)
	mem.Proj = nn.SplitSteps(mem.proj, len(keys), b)
	return mem
}

// Forward implements Attention.
func (a *Additive) Forward(q *mat.Dense, mem *Memory) (ctx, weights *mat.Dense) {
	h, dim := a.Wq.Value.Dims()
	b := checkQuery(q, mem, h)
	if mem.Proj == nil {
		panic("seq2seq: Additive attention over a Memory it did not make")
	}
	a.qa = nn.Ensure(a.qa, b, dim)
	mem.qW.Mul(a.qa, q, a.Wq.Value, false, 0) // (B×A) = (B×H)·(H×A)
	v := a.V.Value.RawRowView(0)
	scores := mat.NewDense(b, len(mem.Keys), nil)
	a.u = a.u[:0]
	a.us = nn.Ensure(a.us, len(mem.Proj)*b, dim) // the T_src blocks, reused while the shape holds
	for j, p := range mem.Proj {
		u := a.us.Slice(j*b, (j+1)*b, 0, dim).(*mat.Dense)
		for i, n := range mem.Lengths {
			if j >= n {
				continue // padding: no score, no gradient
			}
			row := u.RawRowView(i)
			floats.AddTo(row, p.RawRowView(i), a.qa.RawRowView(i))
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
	a.dzSum = nn.Ensure(a.dzSum, b, dim)
	a.dzSum.Zero()
	for j, u := range a.u {
		for i, n := range a.mem.Lengths {
			if j >= n {
				continue
			}
			e := de.At(i, j)
			ur, dpr, sr := u.RawRowView(i), dproj[j].RawRowView(i), a.dzSum.RawRowView(i)
			for l, x := range ur {
				dv[l] += e * x
				dz := e * v[l] * (1 - x*x)
				dpr[l] += dz
				sr[l] += dz
			}
		}
	}
	a.mem.addQuery(a.q, a.dzSum)
	dq = mat.NewDense(b, a.Wq.Value.RawMatrix().Rows, nil)
	a.mem.qWT.Mul(dq, a.dzSum, a.Wq.Value, true, 0) // (B×H) = (B×A)·(A×H)
	return dq
}

// MemoryBackward implements Attention.
func (a *Additive) MemoryBackward(mem *Memory) []*mat.Dense {
	dkeys, _ := mem.grads()
	addProduct(a.Wk.Grad, mem.keys, mem.dProj) // (K×A) += ((T_src·B)×K)ᵀ·((T_src·B)×A)
	// ∂L/∂S += ∂L/∂P·Wkᵀ: ((T_src·B)×K) += ((T_src·B)×A)·(A×K)
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, mem.dProj.RawMatrix(), a.Wk.Value.RawMatrix(), 1, mem.dKeys.RawMatrix())
	mem.addQueryGrad(a.Wq.Grad) // (H×A) += ((steps·B)×H)ᵀ·((steps·B)×A)
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
