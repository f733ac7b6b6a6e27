package checkpoint

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/nn"
)

// SaveParams writes a model's parameters to path (atomically, with Write):
// each Param's Value as an F64 tensor of shape [r, c] named by the Param's
// Name, in the order of params, then the extra tensors (a vocabulary as I32
// ids, the optimizer step, ...), with the given metadata.
//
// Names are the keys of the file, so each param must have a non-empty name
// and no two params or extra tensors may share one; SaveParams returns an
// error otherwise and leaves path untouched.
//
// Params come first because they are F64 and the header is padded to 8
// bytes: every param then starts at a multiple of 8 in the file, which lets
// a reader that maps the file into memory use the float64s in place. The
// extra tensors follow in the order given; list wide dtypes before narrow
// ones to keep them aligned too (see Encode).
func SaveParams(path string, params []*nn.Param, extra []Tensor, metadata map[string]string) error {
	f := &File{Metadata: metadata, Tensors: make([]Tensor, 0, len(params)+len(extra))}
	seen := make(map[string]bool, len(params)+len(extra))
	for i, p := range params {
		switch {
		case p == nil || p.Value == nil:
			return fmt.Errorf("checkpoint: SaveParams: param %d has no Value", i)
		case p.Name == "":
			return fmt.Errorf("checkpoint: SaveParams: param %d has no Name; names key the tensors in the file", i)
		case seen[p.Name]:
			return fmt.Errorf("checkpoint: SaveParams: two params are named %q; names must be unique", p.Name)
		}
		seen[p.Name] = true
		f.Tensors = append(f.Tensors, FromDense(p.Name, p.Value))
	}
	for _, t := range extra {
		if seen[t.Name] {
			return fmt.Errorf("checkpoint: SaveParams: extra tensor %q has the name of another tensor; names must be unique", t.Name)
		}
		seen[t.Name] = true
		f.Tensors = append(f.Tensors, t)
	}
	return Write(path, f)
}

// LoadParams copies the tensors of f into the Values of params, matching
// them by name: the tensor named p.Name must exist and have shape [r, c],
// r×c being p.Value's dimensions, and an F64 or F32 (or F16, BF16) dtype.
// Grad is left alone. Tensors of f that no param names are ignored.
//
// LoadParams checks every param before it copies any, so on error the model
// is unchanged. The error names the tensor and both shapes:
//
//	checkpoint: tensor "lstm0.W" has shape [3 4], the model expects [5 4]
func LoadParams(f *File, params []*nn.Param) error {
	index := make(map[string]int, len(f.Tensors))
	for i, t := range f.Tensors {
		if _, ok := index[t.Name]; !ok { // a hand-built File may repeat a name; the first wins, as in f.Tensor
			index[t.Name] = i
		}
	}
	values := make([][]float64, len(params))
	seen := make(map[string]bool, len(params))
	for i, p := range params {
		if p == nil || p.Value == nil {
			return fmt.Errorf("checkpoint: LoadParams: param %d has no Value", i)
		}
		if seen[p.Name] {
			return fmt.Errorf("checkpoint: LoadParams: two params are named %q; names must be unique", p.Name)
		}
		seen[p.Name] = true
		r, c := p.Value.Dims()
		j, ok := index[p.Name]
		if !ok {
			return fmt.Errorf("checkpoint: tensor %q is missing; the model expects one of shape [%d %d]", p.Name, r, c)
		}
		t := f.Tensors[j]
		if len(t.Shape) != 2 || t.Shape[0] != r || t.Shape[1] != c {
			return fmt.Errorf("checkpoint: tensor %q has shape %v, the model expects [%d %d]", p.Name, t.Shape, r, c)
		}
		v, err := t.Float64s()
		if err != nil {
			return err
		}
		values[i] = v
	}
	for i, p := range params {
		r, c := p.Value.Dims()
		for k := 0; k < r; k++ {
			copy(p.Value.RawRowView(k), values[i][k*c:(k+1)*c]) // row k: 1×c
		}
	}
	return nil
}
