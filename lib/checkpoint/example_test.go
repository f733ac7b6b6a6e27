package checkpoint_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Save a model's parameters with its kind and a vocabulary, then load them
// into a fresh model of the same shape, after checking the kind.
func ExampleSaveParams() {
	dir, err := os.MkdirTemp("", "checkpoint-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")

	w := nn.NewParam("W", 2, 3)
	w.Value.Apply(func(i, j int, _ float64) float64 { return float64(10*i + j) }, w.Value)
	b := nn.NewParam("b", 1, 3)
	b.Value.SetRow(0, []float64{0.5, -0.5, 0.25})
	vocab := checkpoint.FromInt32s("vocab", []int{4}, []int32{'a', 'b', 'c', ' '})
	err = checkpoint.SaveParams(path, []*nn.Param{w, b}, []checkpoint.Tensor{vocab},
		map[string]string{"kind": "charrnn"})
	if err != nil {
		log.Fatal(err)
	}

	f, err := checkpoint.Read(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Require("kind", "charrnn"))
	fmt.Println(f.Require("kind", "translate"))

	w2, b2 := nn.NewParam("W", 2, 3), nn.NewParam("b", 1, 3)
	if err := checkpoint.LoadParams(f, []*nn.Param{w2, b2}); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("W = %v\n", mat.Formatted(w2.Value, mat.Prefix("    ")))
	fmt.Printf("b = %v\n", mat.Formatted(b2.Value))
	ids, _ := f.Tensor("vocab")
	v, _ := ids.Int32s()
	fmt.Printf("vocab = %q\n", v)

	wrong := nn.NewParam("W", 3, 2)
	fmt.Println(checkpoint.LoadParams(f, []*nn.Param{wrong}))
	// Output:
	// <nil>
	// checkpoint: model kind is "charrnn", want "translate"
	// W = ⎡ 0   1   2⎤
	//     ⎣10  11  12⎦
	// b = [ 0.5  -0.5  0.25]
	// vocab = ['a' 'b' 'c' ' ']
	// checkpoint: tensor "W" has shape [2 3], the model expects [3 2]
}

// Encode shows the format itself: an 8-byte little-endian header length,
// the JSON header padded with spaces to a multiple of 8, then the data.
func ExampleEncode() {
	f := &checkpoint.File{
		Metadata: map[string]string{"kind": "toy"},
		Tensors:  []checkpoint.Tensor{checkpoint.FromFloat64s("x", []int{2}, []float64{1, -2})},
	}
	var buf bytes.Buffer
	if err := checkpoint.Encode(&buf, f); err != nil {
		log.Fatal(err)
	}
	data := buf.Bytes()
	n := binary.LittleEndian.Uint64(data)
	fmt.Println("file size:", len(data))
	fmt.Println("header length:", n)
	fmt.Printf("header: %q\n", data[8:8+n])
	fmt.Printf("data: % x\n", data[8+n:])

	back, err := checkpoint.Decode(data)
	if err != nil {
		log.Fatal(err)
	}
	x, _ := back.Tensors[0].Float64s()
	fmt.Println("x =", x)
	// Output:
	// file size: 112
	// header length: 88
	// header: "{\"__metadata__\":{\"kind\":\"toy\"},\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}   "
	// data: 00 00 00 00 00 00 f0 3f 00 00 00 00 00 00 00 c0
	// x = [1 -2]
}

// Decode checks everything it reads; here the length prefix promises a
// header longer than the file.
func ExampleDecode() {
	data := []byte{0x7f, 0, 0, 0, 0, 0, 0, 0, '{', '}'}
	_, err := checkpoint.Decode(data)
	fmt.Println(err)
	// Output:
	// checkpoint: header length 127 exceeds file size 10
}
