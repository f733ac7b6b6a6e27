package tagger

import (
	"math/rand/v2"
	"sort"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// charNet is a model's character network: character embeddings, then a
// BiLSTM whose two final states are the word's representation, or a
// convolution pooled by max over the word. It runs over the distinct forms
// of a batch, sorted by length and cut into groups of charGroup forms, so
// that a group of short words is not padded to the length of the batch's
// longest: the forms of a batch of 32 sentences have 1 to 20 characters,
// 5 on average, and padding them all to 20 would make the network do three
// times the work. Each group runs on its own replica of the layers (they
// keep the caches their Backward reads), whose gradients are added into the
// network's own at the end of backward.
type charNet struct {
	hidden    int // units per direction (lstm)
	groupRows int // forms per group: charGroupRows
	emb       *nn.Embedding
	rnn       *nn.Bidirectional // Char "lstm"
	conv      *nn.Conv1D        // Char "cnn"

	groups []*charGroup // replicas, made on first use
	used   int          // groups of the last forward
	order  []int        // the forms sorted by length
	ids    []int
}

// charGroup is one group of forms of similar length and the layer replicas
// that ran it.
type charGroup struct {
	emb   *nn.Embedding
	rnn   *nn.Bidirectional
	conv  *nn.Conv1D
	pool  nn.MaxOverTime
	rows  []int // the rows of the batch's representation it fills
	lens  []int
	ids   []int // L·U char ids, time-major
	steps int
	dys   *mat.Dense // (L·U)×2Hc, or U×F: the output gradients
	dx    *mat.Dense // (L·U)×C, the embeddings' gradient
}

// charGroupRows is the number of forms in a group: wide enough for the
// products to run near full speed, narrow enough that the lengths in a
// group are close.
const charGroupRows = 64

func newCharNet(rng *rand.Rand, cfg Config, chars int) *charNet {
	c := &charNet{hidden: cfg.CharHidden, groupRows: charGroupRows, emb: nn.NewEmbedding(rng, chars, cfg.CharDim)}
	nn.InitUniform(rng, c.emb.W.Value, 0.1)
	if cfg.Char == "cnn" {
		c.conv = nn.NewConv1D(rng, cfg.CharDim, cfg.CharHidden, cfg.CharWidth)
	} else {
		c.rnn = nn.NewBidirectional(nn.NewLSTM(rng, cfg.CharDim, cfg.CharHidden), nn.NewLSTM(rng, cfg.CharDim, cfg.CharHidden))
	}
	return c
}

// params returns the embedding's, then the BiLSTM's or the convolution's.
func (c *charNet) params() []*nn.Param {
	ps := c.emb.Params()
	if c.rnn != nil {
		return append(ps, c.rnn.Params()...)
	}
	return append(ps, c.conv.Params()...)
}

// name names the parameters for checkpoints: "char.W", "charlstm.fwd.Wx",
// "charcnn.W".
func (c *charNet) name() {
	nn.PrefixNames("char", c.emb.Params())
	if c.rnn != nil {
		nn.NameParams("charlstm", c.rnn)
	} else {
		nn.NameParams("charcnn", c.conv)
	}
}

// replica returns a network that shares c's weights, with its own groups.
func (c *charNet) replica() *charNet {
	r := &charNet{hidden: c.hidden, groupRows: c.groupRows, emb: c.emb.Replica()}
	if c.rnn != nil {
		r.rnn = c.rnn.Replica().(*nn.Bidirectional)
	} else {
		r.conv = c.conv.Replica().(*nn.Conv1D)
	}
	return r
}

// group returns the k-th group, made on first use.
func (c *charNet) group(k int) *charGroup {
	for len(c.groups) <= k {
		g := &charGroup{emb: c.emb.Replica()}
		if c.rnn != nil {
			g.rnn = c.rnn.Replica().(*nn.Bidirectional)
		} else {
			g.conv = c.conv.Replica().(*nn.Conv1D)
		}
		c.groups = append(c.groups, g)
	}
	return c.groups[k]
}

// forward returns the representations of forms (U×Dc, dst reused when it
// has the shape); ids(dst, form) gives a form's character ids.
func (c *charNet) forward(forms []string, ids func([]int, string) []int, dst *mat.Dense) *mat.Dense {
	u := len(forms)
	width := 2 * c.hidden
	if c.conv != nil {
		_, width = c.conv.W.Value.Dims()
	}
	dst = nn.Ensure(dst, u, width)
	// Sort the forms by length (counting characters as the network will).
	lens := make([]int, u)
	for k, f := range forms {
		c.ids = ids(c.ids, f)
		lens[k] = len(c.ids)
	}
	c.order = resizeInts(c.order, u)
	for k := range c.order {
		c.order[k] = k
	}
	sort.SliceStable(c.order, func(a, b int) bool { return lens[c.order[a]] < lens[c.order[b]] })
	c.used = 0
	for lo := 0; lo < u; lo += c.groupRows {
		g := c.group(c.used)
		c.used++
		g.rows = append(g.rows[:0], c.order[lo:min(lo+c.groupRows, u)]...)
		g.forward(forms, lens, ids, dst, c.hidden)
	}
	return dst
}

// forward runs the group's forms and writes their rows of dst.
func (g *charGroup) forward(forms []string, lens []int, ids func([]int, string) []int, dst *mat.Dense, hc int) {
	u := len(g.rows)
	g.lens = resizeInts(g.lens, u)
	g.steps = 1
	for k, r := range g.rows {
		g.lens[k] = lens[r]
		g.steps = max(g.steps, lens[r])
	}
	g.ids = resizeInts(g.ids, g.steps*u)
	var scratch []int
	for k, r := range g.rows {
		scratch = ids(scratch, forms[r])
		for t := 0; t < g.steps; t++ {
			id := data.PadID
			if t < len(scratch) {
				id = scratch[t]
			}
			g.ids[t*u+k] = id
		}
	}
	xs := nn.SplitSteps(g.emb.Forward(g.ids), g.steps, u)
	if g.conv != nil {
		rep := g.pool.Forward(g.conv.ForwardSeq(xs, g.lens), g.lens)
		for k, r := range g.rows {
			copy(dst.RawRowView(r), rep.RawRowView(k))
		}
		return
	}
	ys := g.rnn.ForwardSeq(xs, g.lens)
	for k, r := range g.rows {
		row := dst.RawRowView(r)
		n := g.lens[k]
		if n == 0 {
			clear(row)
			continue
		}
		copy(row[:hc], ys[n-1].RawRowView(k)[:hc]) // →h after the last character
		copy(row[hc:], ys[0].RawRowView(k)[hc:])   // ←h after reading back to the first
	}
}

// backward backpropagates drep (U×Dc), the gradient of the last forward's
// representations, and adds the weight gradients into the network's.
func (c *charNet) backward(drep *mat.Dense) {
	own := c.params()
	for _, g := range c.groups[:c.used] {
		ps := g.params()
		nn.ZeroGrads(ps)
		g.backward(drep, c.hidden)
		nn.AddGrads(own, ps, 1)
	}
}

func (g *charGroup) params() []*nn.Param {
	ps := g.emb.Params()
	if g.rnn != nil {
		return append(ps, g.rnn.Params()...)
	}
	return append(ps, g.conv.Params()...)
}

func (g *charGroup) backward(drep *mat.Dense, hc int) {
	u := len(g.rows)
	var dxs []*mat.Dense
	if g.conv != nil {
		_, f := drep.Dims()
		g.dys = nn.Ensure(g.dys, u, f) // every row is written below
		for k, r := range g.rows {
			copy(g.dys.RawRowView(k), drep.RawRowView(r))
		}
		dxs = g.conv.BackwardSeq(g.pool.Backward(g.dys))
	} else {
		g.dys = nn.Ensure(g.dys, g.steps*u, 2*hc)
		g.dys.Zero()
		dys := nn.SplitSteps(g.dys, g.steps, u)
		for k, r := range g.rows {
			n := g.lens[k]
			if n == 0 {
				continue
			}
			d := drep.RawRowView(r)
			copy(dys[n-1].RawRowView(k)[:hc], d[:hc])
			copy(dys[0].RawRowView(k)[hc:], d[hc:])
		}
		dxs = g.rnn.BackwardSeq(dys)
	}
	_, cd := g.emb.W.Value.Dims()
	g.dx = nn.Ensure(g.dx, g.steps*u, cd) // every row is written below
	for t, d := range dxs {
		for k := 0; k < u; k++ {
			copy(g.dx.RawRowView(t*u+k), d.RawRowView(k))
		}
	}
	g.emb.Backward(g.dx)
}
