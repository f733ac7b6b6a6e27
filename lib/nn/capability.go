package nn

import (
	"fmt"
	"strings"
)

// What a sequence layer can do beyond SeqLayer it says through methods: the
// interfaces below. Code that needs a capability asks the layer for it
// with a type assertion to one of them (l.(nn.Replicator)), never with a
// switch over layer types, so that a new layer type with the methods works
// in every model, every data-parallel trainer and the int8 decoder without
// an edit anywhere else. The layers of this package implement all of them
// that apply:
//
//	               Replicator  Sharer  Container  Clipper  Quantizable
//	RNN                ✓          ✓
//	LSTM               ✓          ✓                  ✓          ✓
//	GRU                ✓          ✓                             ✓
//	Bidirectional      ✓          ✓        ✓                    ✓
//	Stack              ✓          ✓        ✓         ✓          ✓
//	Pipeline           ✓          ✓        ✓         ✓          ✓

// Replicator is a layer that makes copies of itself for data parallelism:
// N replicas run Forward and Backward on N parts of a batch at once, and
// their gradients are added up afterwards (AddGrads).
type Replicator interface {
	// Replica returns a layer of the same kind and settings with the same
	// weights (Value), its own gradients (Grad), caches and state.
	Replica() SeqLayer
}

// Sharer is a layer that makes copies of itself whose gradients are its
// own: a decoder that runs one step at a time beside a training in
// progress, or one copy per step, without disturbing the caches and state
// of the original.
type Sharer interface {
	// Shared returns a layer of the same kind and settings with the same
	// parameters (Value and Grad) and its own caches and state.
	Shared() SeqLayer
}

// Container is a layer made of other layers (Stack, Bidirectional): its
// capabilities are theirs, so Walk goes inside it.
type Container interface {
	// Sublayers returns the layers inside and their names, the steps of a
	// path in Walk and in parameter names: "0", "1", … for a Stack's
	// layers, "fwd" and "bwd" for a Bidirectional's directions.
	Sublayers() (names []string, layers []SeqLayer)
}

// Clipper is a layer with a bound δ for quantization-aware training (GNMT,
// Wu et al. 2016, §6): LSTM clips its cell state, Stack its residual sums.
type Clipper interface {
	// SetClip sets the bound; 0 turns it off.
	SetClip(delta float64)
}

// Quantizer makes the int8 twins of this package's layers. lib/quant
// implements it, since nn cannot import quant (which imports nn). A layer
// that has an int8 twin is Quantizable: its QuantizeWith calls the
// Quantizer's method for its own kind (double dispatch), so that no package
// switches over layer types, and a layer without a twin simply has no
// QuantizeWith. The twins are returned as any, for the same reason; the
// Quantizer knows their types.
type Quantizer interface {
	QuantizeLSTM(l *LSTM) (any, error)
	QuantizeGRU(l *GRU) (any, error)
	QuantizeBidirectional(l *Bidirectional) (any, error)
	QuantizeStack(l *Stack) (any, error)
}

// Quantizable is a layer that has an int8 twin (see Quantizer).
type Quantizable interface {
	// QuantizeWith returns q's twin of the layer.
	QuantizeWith(q Quantizer) (any, error)
}

// ReplicaOf returns l's Replica. It panics when l is not a Replicator: a
// model that trains data-parallel is built of layers that are.
func ReplicaOf(l SeqLayer) SeqLayer {
	r, ok := l.(Replicator)
	if !ok {
		panic(fmt.Sprintf("nn: a %T makes no replicas (it has no Replica() SeqLayer method)", l))
	}
	return r.Replica()
}

// SharedOf returns l's Shared copy. It panics when l is not a Sharer.
func SharedOf(l SeqLayer) SeqLayer {
	s, ok := l.(Sharer)
	if !ok {
		panic(fmt.Sprintf("nn: a %T makes no shared copies (it has no Shared() SeqLayer method)", l))
	}
	return s.Shared()
}

// Walk calls visit for l and then, depth first, for every layer inside it
// (see Container), each with its path of names from l joined by dots: ""
// for l itself, "0" for a Stack's first layer, "0.fwd" for the forward
// direction of a Bidirectional first layer.
func Walk(l SeqLayer, visit func(path string, l SeqLayer)) {
	walk("", l, visit)
}

func walk(path string, l SeqLayer, visit func(path string, l SeqLayer)) {
	visit(path, l)
	c, ok := l.(Container)
	if !ok {
		return
	}
	names, layers := c.Sublayers()
	for k, sub := range layers {
		p := names[k]
		if path != "" {
			p = path + "." + p
		}
		walk(p, sub, visit)
	}
}

// SetClip sets the bound δ of quantization-aware training (0: none) on l
// and on every layer inside it that has one (see Clipper).
func SetClip(l SeqLayer, delta float64) {
	Walk(l, func(_ string, l SeqLayer) {
		if c, ok := l.(Clipper); ok {
			c.SetClip(delta)
		}
	})
}

// NameParams names the parameters of l and of every layer inside it by
// their path under prefix and their own name (see PrefixNames):
// "encoder.0.fwd.Wx" for the Wx of the forward direction of the first
// layer of a Stack under "encoder".
func NameParams(prefix string, l SeqLayer) {
	Walk(l, func(path string, l SeqLayer) {
		if _, ok := l.(Container); ok {
			return // its parameters are its layers'
		}
		p := prefix
		if path != "" {
			p += "." + path
		}
		PrefixNames(p, l.Params())
	})
}

// PrefixNames names each parameter prefix + "." + its own name, the part
// of its name after the last dot: an earlier prefix is replaced, so naming
// twice is naming once. A model names its parameters so, uniquely, for the
// keys of its checkpoints ("out.W").
func PrefixNames(prefix string, ps []*Param) {
	for _, p := range ps {
		name := p.Name
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		p.Name = prefix + "." + name
	}
}
