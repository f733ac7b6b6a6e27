package checkpoint

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// model returns the params of a small LSTM-shaped model with random values.
func model(rng *rand.Rand) []*nn.Param {
	params := []*nn.Param{
		nn.NewParam("embed", 5, 4),   // V×d, V=5, d=4
		nn.NewParam("lstm0.W", 4, 8), // d×4H, H=2: the four gates side by side
		nn.NewParam("lstm0.b", 1, 8), // 1×4H
		nn.NewParam("out.W", 2, 5),   // H×V
	}
	for _, p := range params {
		nn.InitUniform(rng, p.Value, 1)
	}
	return params
}

func TestSaveLoadParams(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	saved := model(rng)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	vocab := FromInt32s("vocab.ids", []int{3}, []int32{10, 20, 30})
	meta := map[string]string{"kind": "charrnn", "hidden": "2"}
	if err := SaveParams(path, saved, []Tensor{vocab}, meta); err != nil {
		t.Fatal(err)
	}

	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Require("kind", "charrnn"); err != nil {
		t.Error(err)
	}
	if got := len(f.Tensors); got != 5 {
		t.Errorf("file holds %d tensors, want 4 params + 1 extra", got)
	}
	if ids, ok := f.Tensor("vocab.ids"); !ok {
		t.Error("extra tensor vocab.ids missing")
	} else if v, err := ids.Int32s(); err != nil || v[2] != 30 {
		t.Errorf("vocab.ids = %v, %v; want [10 20 30]", v, err)
	}

	loaded := model(rand.New(rand.NewPCG(2, 2))) // same shapes, other values
	if err := LoadParams(f, loaded); err != nil {
		t.Fatal(err)
	}
	for i, p := range loaded {
		if !mat.Equal(p.Value, saved[i].Value) {
			t.Errorf("param %s differs after the round trip", p.Name)
		}
	}
}

func TestLoadParamsErrors(t *testing.T) {
	f := &File{Tensors: []Tensor{
		FromDense("lstm0.W", mat.NewDense(3, 4, nil)),
		FromDense("b", mat.NewDense(1, 4, nil)),
		FromInt8s("q", []int{1, 1}, []int8{1}),
		FromFloat64s("vec", []int{4}, make([]float64, 4)),
	}}
	for _, tc := range []struct {
		name   string
		params []*nn.Param
		want   string
	}{
		{"shape differs", []*nn.Param{nn.NewParam("lstm0.W", 5, 4)}, `checkpoint: tensor "lstm0.W" has shape [3 4], the model expects [5 4]`},
		{"transposed", []*nn.Param{nn.NewParam("lstm0.W", 4, 3)}, `checkpoint: tensor "lstm0.W" has shape [3 4], the model expects [4 3]`},
		{"rank 1 is not 1×n", []*nn.Param{nn.NewParam("vec", 1, 4)}, `checkpoint: tensor "vec" has shape [4], the model expects [1 4]`},
		{"missing", []*nn.Param{nn.NewParam("lstm1.W", 3, 4)}, `checkpoint: tensor "lstm1.W" is missing; the model expects one of shape [3 4]`},
		{"not a float", []*nn.Param{nn.NewParam("q", 1, 1)}, `checkpoint: tensor "q" is I8; Float64s wants F64, F32, F16 or BF16`},
		{"duplicate param", []*nn.Param{nn.NewParam("b", 1, 4), nn.NewParam("b", 1, 4)}, `two params are named "b"`},
		{"nil Value", []*nn.Param{{Name: "b"}}, `param 0 has no Value`},
	} {
		err := LoadParams(f, tc.params)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestLoadParamsAllOrNothing checks that a failure on a later param leaves
// the earlier ones unchanged.
func TestLoadParamsAllOrNothing(t *testing.T) {
	f := &File{Tensors: []Tensor{FromFloat64s("a", []int{1, 2}, []float64{7, 8})}}
	a, b := nn.NewParam("a", 1, 2), nn.NewParam("b", 1, 2)
	if err := LoadParams(f, []*nn.Param{a, b}); err == nil {
		t.Fatal("LoadParams succeeded without tensor b")
	}
	if a.Value.At(0, 0) != 0 || a.Value.At(0, 1) != 0 {
		t.Errorf("param a was changed to %v by a failed load", mat.Formatted(a.Value))
	}
}

func TestSaveParamsErrors(t *testing.T) {
	a := nn.NewParam("a", 1, 1)
	for _, tc := range []struct {
		name   string
		params []*nn.Param
		extra  []Tensor
		want   string
	}{
		{"duplicate param", []*nn.Param{a, nn.NewParam("a", 2, 2)}, nil, `two params are named "a"; names must be unique`},
		{"extra shadows a param", []*nn.Param{a}, []Tensor{FromInt8s("a", nil, []int8{1})}, `extra tensor "a" has the name of another tensor`},
		{"duplicate extra", nil, []Tensor{FromInt8s("x", nil, []int8{1}), FromInt8s("x", nil, []int8{1})}, `extra tensor "x"`},
		{"unnamed param", []*nn.Param{nn.NewParam("", 1, 1)}, nil, `param 0 has no Name`},
		{"nil param", []*nn.Param{a, nil}, nil, `param 1 has no Value`},
	} {
		dir := t.TempDir()
		err := SaveParams(filepath.Join(dir, "m.safetensors"), tc.params, tc.extra, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if names := dirNames(t, dir); len(names) != 0 {
			t.Errorf("%s: SaveParams left %q behind", tc.name, names)
		}
	}
}

func TestRequire(t *testing.T) {
	f := &File{Metadata: map[string]string{"kind": "translate"}}
	for _, tc := range []struct {
		key, want string
		err       string // "" for no error
	}{
		{"kind", "translate", ""},
		{"kind", "charrnn", `checkpoint: model kind is "translate", want "charrnn"`},
		{"version", "2", `checkpoint: metadata has no "version" entry, want "2"`},
	} {
		err := f.Require(tc.key, tc.want)
		if got := errString(err); got != tc.err {
			t.Errorf("Require(%q, %q) = %q, want %q", tc.key, tc.want, got, tc.err)
		}
	}
	if err := (&File{}).Require("kind", "x"); err == nil {
		t.Error("Require on a File without metadata succeeded")
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
