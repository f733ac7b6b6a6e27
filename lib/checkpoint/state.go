package checkpoint

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// The metadata keys of a State. A model's own metadata (State.Meta) may use
// any other key.
const (
	KeyKind       = "kind"        // the model kind
	KeyConfig     = "config"      // the model's configuration, JSON
	KeyStep       = "step"        // training steps taken, a decimal count
	KeySmoothLoss = "smooth_loss" // the smoothed training loss, a decimal float
	KeyPosition   = "position"    // the model's place in its data, a decimal count
	KeyRand       = "rand_state"  // the model's random generator, hexadecimal bytes
)

// State is what one checkpoint holds of a model and its training, in the
// one format every seq2go model uses: a safetensors file (see Write) whose
// tensors are the weights, the optimizer's state and the model's own extra
// tensors, and whose metadata says what the model is and where its training
// stands.
//
//	tensors                      metadata
//	  Weights    (F64, by name)    kind         KeyKind: "charrnn", "seq2go/translate", ...
//	  Optimizer  (F64, by name)    config       the configuration, JSON
//	  Extra      (as given)        step         steps taken          ┐
//	                               smooth_loss  the smoothed loss    │ only when
//	                               position     place in the data    │ Trained
//	                               rand_state   random generator     ┘ (hex, if any)
//	                               ...          the model's Meta: vocabularies, ...
//
// A model alone (to sample from, to translate with) is a State without the
// training: Trained false, no optimizer, no counters. lib/training's Loop
// writes and restores the training half; the model supplies Kind, Config,
// Meta, Position, Rand and Extra through its SaveState and RestoreState
// methods.
//
// Writing: fill the fields and call Write, which refuses weights that are
// not finite and replaces the file atomically. Reading: ReadState parses
// the metadata; the model builds itself from Kind, Config and Meta, then
// copies its weights in with LoadParams, its optimizer's state with
// LoadOptimizer and reads its extra tensors with Tensor.
//
// The keys are those that lib/charrnn and lib/translate wrote before this
// type existed, so their older checkpoints read as States.
type State struct {
	Kind   string            // the model kind; ReadState checks it
	Config string            // the model's configuration, JSON
	Meta   map[string]string // the model's other metadata (vocabularies, ...)

	// Weights are the model's parameters, in its Params order, written as
	// F64 tensors named by Param.Name. ReadState leaves it nil: LoadParams
	// copies the file's weights into a model's parameters.
	Weights []*nn.Param

	// Trained says whether the training half below is present.
	Trained    bool
	Optimizer  []*nn.Param // the optimizer's state (optim.Optimizer.State); ReadState leaves it nil
	Step       int         // training steps taken
	SmoothLoss float64     // the smoothed training loss
	Position   int         // the model's place in its data: what it counts is the model's business
	Rand       []byte      // the state of the model's random generator; nil when it has none
	// Extra are the model's own tensors (a recurrent state carried from one
	// chunk of text to the next, say). ReadState leaves it nil: Tensor finds
	// them by name.
	Extra []Tensor

	tensors []Tensor // every tensor of the file ReadState read
}

// Write saves s to path atomically (see the package function Write): a
// crash or an error leaves the previous file as it was. It refuses, with an
// error naming the tensor and the element, weights or optimizer state that
// are NaN or infinite: a diverged training must not overwrite the last good
// checkpoint.
func (s *State) Write(path string) error {
	if err := s.check(); err != nil {
		return fmt.Errorf("checkpoint: %s not written: %w", path, err)
	}
	meta := make(map[string]string, len(s.Meta)+6)
	for k, v := range s.Meta {
		switch k {
		case KeyKind, KeyConfig, KeyStep, KeySmoothLoss, KeyPosition, KeyRand:
			return fmt.Errorf("checkpoint: %s not written: the model's metadata uses the reserved key %q", path, k)
		}
		meta[k] = v
	}
	meta[KeyKind] = s.Kind
	if s.Config != "" {
		meta[KeyConfig] = s.Config
	}
	extra := s.Extra
	if s.Trained {
		meta[KeyStep] = strconv.Itoa(s.Step)
		meta[KeySmoothLoss] = strconv.FormatFloat(s.SmoothLoss, 'g', -1, 64)
		meta[KeyPosition] = strconv.Itoa(s.Position)
		if s.Rand != nil {
			meta[KeyRand] = hex.EncodeToString(s.Rand)
		}
		opt := make([]Tensor, 0, len(s.Optimizer)+len(s.Extra))
		for _, p := range s.Optimizer {
			opt = append(opt, FromDense(p.Name, p.Value))
		}
		extra = append(opt, s.Extra...)
	}
	return SaveParams(path, s.Weights, extra, meta)
}

// check returns an error for the first weight or optimizer value that is
// NaN or infinite.
func (s *State) check() error {
	if s.Kind == "" {
		return fmt.Errorf("the state has no model kind")
	}
	if err := Finite(s.Weights); err != nil {
		return err
	}
	return Finite(s.Optimizer)
}

// Finite returns nil when every value of params is a finite number, and
// otherwise an error naming the first parameter and element that is not:
//
//	weight "out.W" is NaN at row 3, column 7
func Finite(params []*nn.Param) error {
	for _, p := range params {
		if i, j, ok := firstNonFinite(p.Value); !ok {
			return fmt.Errorf("weight %q is %v at row %d, column %d", p.Name, p.Value.At(i, j), i, j)
		}
	}
	return nil
}

// firstNonFinite returns the first element of m that is NaN or ±Inf, and
// ok = true when there is none.
func firstNonFinite(m *mat.Dense) (i, j int, ok bool) {
	a := m.RawMatrix()
	for i := 0; i < a.Rows; i++ {
		for j, x := range a.Data[i*a.Stride : i*a.Stride+a.Cols] {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return i, j, false
			}
		}
	}
	return 0, 0, true
}

// ReadState reads the checkpoint at path and parses its metadata into a
// State, checking that it holds a model of the given kind. The training half
// (Step, SmoothLoss, Position, Rand) is parsed when the file has a "step"
// entry, and Trained is set; a missing position reads as 0 and a missing
// rand_state as nil. The tensors are read with LoadParams, LoadOptimizer and
// Tensor.
func ReadState(path, kind string) (*State, error) {
	f, err := Read(path)
	if err != nil {
		return nil, err
	}
	if err := f.Require(KeyKind, kind); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err) // checkpoint: model kind is "translate", want "charrnn"
	}
	s, err := stateOf(f, kind)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	return s, nil
}

// stateOf parses f's metadata into a State of the given kind.
func stateOf(f *File, kind string) (*State, error) {
	s := &State{Kind: kind, Config: f.Metadata[KeyConfig], Meta: map[string]string{}, tensors: f.Tensors}
	for k, v := range f.Metadata {
		switch k {
		case KeyKind, KeyConfig, KeyStep, KeySmoothLoss, KeyPosition, KeyRand:
		default:
			s.Meta[k] = v
		}
	}
	step, ok := f.Metadata[KeyStep]
	if !ok {
		return s, nil
	}
	s.Trained = true
	var err error
	if s.Step, err = count(KeyStep, step); err != nil {
		return nil, err
	}
	if s.SmoothLoss, err = strconv.ParseFloat(f.Metadata[KeySmoothLoss], 64); err != nil {
		return nil, fmt.Errorf("metadata %q = %q: want a number", KeySmoothLoss, f.Metadata[KeySmoothLoss])
	}
	if pos, ok := f.Metadata[KeyPosition]; ok {
		if s.Position, err = count(KeyPosition, pos); err != nil {
			return nil, err
		}
	}
	if r, ok := f.Metadata[KeyRand]; ok {
		if s.Rand, err = hex.DecodeString(r); err != nil {
			return nil, fmt.Errorf("metadata %q: want hexadecimal bytes: %w", KeyRand, err)
		}
	}
	return s, nil
}

// count parses a non-negative decimal count of the metadata.
func count(key, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("metadata %q = %q: want a count", key, v)
	}
	return n, nil
}

// LoadParams copies the weights of s into params, by name, all or nothing
// (the package function LoadParams).
func (s *State) LoadParams(params []*nn.Param) error {
	return LoadParams(&File{Tensors: s.tensors}, params)
}

// LoadOptimizer copies the optimizer's state of s into state (an
// optim.Optimizer's State), by name, all or nothing. A State without its
// training half is an error: there is nothing to resume.
func (s *State) LoadOptimizer(state []*nn.Param) error {
	if !s.Trained {
		return fmt.Errorf("checkpoint: the file holds a model without its training state (no %q): it cannot be resumed", KeyStep)
	}
	if err := LoadParams(&File{Tensors: s.tensors}, state); err != nil {
		return fmt.Errorf("optimizer state: %w", err)
	}
	return nil
}

// Tensor returns the tensor of s with the given name, and whether there is
// one.
func (s *State) Tensor(name string) (Tensor, bool) {
	return (&File{Tensors: s.tensors}).Tensor(name)
}
