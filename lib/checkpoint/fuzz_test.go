package checkpoint

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds Decode arbitrary bytes. Decode must never panic, and a
// File it accepts must survive Encode and Decode unchanged; reading its
// metadata as a training State must not panic either. The seeds are
// valid files (so the fuzzer starts from the format's structure) and a few
// near misses.
//
//	go test -run='^$' -fuzz=FuzzDecode -fuzztime=30s ./lib/checkpoint/
func FuzzDecode(f *testing.F) {
	for _, file := range []*File{
		{},
		{Metadata: map[string]string{"kind": "charrnn", "step": "100"}},
		{Metadata: map[string]string{"kind": "toy", "step": "3", "smooth_loss": "1.5", "position": "7", "rand_state": "0a1b"}},
		{Tensors: []Tensor{FromFloat64s("x", []int{2}, []float64{1, -2})}},
		{Tensors: []Tensor{FromInt8s("b", []int{2}, []int8{-1, 2}), FromInt32s("a", nil, []int32{258})}},
		{Tensors: []Tensor{FromFloat32s("e", []int{0, 3}, nil), FromFloat32s("s", []int{1, 1, 1}, []float32{0.5})}},
		everyDType(),
	} {
		var buf bytes.Buffer
		if err := Encode(&buf, file); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add(rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},"b":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, make([]byte, 16)))
	f.Add(rawFile(`{"a":{"dtype":"I8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"I8","shape":[8],"data_offsets":[4,12]}}`, make([]byte, 12)))
	f.Add(rawFile(`{"__metadata__":null,"a":{"dtype":"BF16","shape":[0,4611686018427387904],"data_offsets":[0,0],"x":[]}}`, nil))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})

	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Decode(data)
		if err != nil {
			return
		}
		if kind, ok := file.Metadata[KeyKind]; ok {
			if s, err := stateOf(file, kind); err == nil && s.Trained && (s.Step < 0 || s.Position < 0) {
				t.Fatalf("stateOf accepted a negative count: %+v", s)
			}
		}
		var buf bytes.Buffer
		if err := Encode(&buf, file); err != nil {
			t.Fatalf("Decode accepted a File that Encode rejects: %v", err)
		}
		again, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatalf("Decode rejects what Encode wrote: %v", err)
		}
		if d := diffFile(again, file); d != "" {
			t.Fatalf("Encode then Decode changed the File: %s", d)
		}
		// Encoding is deterministic, so a second round gives the same bytes.
		var buf2 bytes.Buffer
		if err := Encode(&buf2, again); err != nil || !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
			t.Fatalf("re-encoding gave different bytes (err %v)", err)
		}
	})
}
