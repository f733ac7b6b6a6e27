package checkpoint

import "fmt"

// File is the content of one safetensors file: free-form metadata and a list
// of tensors. The order of Tensors is the order of their bytes in the file.
type File struct {
	// Metadata holds the header's "__metadata__" pairs: what model this is,
	// its hyperparameters, the training step. Nil means none.
	Metadata map[string]string
	// Tensors are the arrays, each with a name unique in the file.
	Tensors []Tensor
}

// Tensor returns the tensor with the given name, and whether there is one.
func (f *File) Tensor(name string) (Tensor, bool) {
	for _, t := range f.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Tensor{}, false
}

// Require checks that the metadata entry key is want, so that a program
// refuses a checkpoint written by another kind of model before it tries to
// load it:
//
//	if err := f.Require("kind", "charrnn"); err != nil {
//		return err // checkpoint: model kind is "translate", want "charrnn"
//	}
//
// A missing key is an error too.
func (f *File) Require(key, want string) error {
	got, ok := f.Metadata[key]
	if !ok {
		return fmt.Errorf("checkpoint: metadata has no %q entry, want %q", key, want)
	}
	if got != want {
		return fmt.Errorf("checkpoint: model %s is %q, want %q", key, got, want)
	}
	return nil
}
