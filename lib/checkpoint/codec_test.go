package checkpoint

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// rawFile assembles a file by hand: the 8-byte length of header, header as
// given (no padding added), then body.
func rawFile(header string, body []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	b = append(b, header...)
	return append(b, body...)
}

// diffFile describes how two Files differ, or returns "" when they are
// equal. Nil and empty metadata, shapes and data count as equal.
func diffFile(got, want *File) string {
	if !maps.Equal(got.Metadata, want.Metadata) {
		return fmt.Sprintf("metadata %v, want %v", got.Metadata, want.Metadata)
	}
	if len(got.Tensors) != len(want.Tensors) {
		return fmt.Sprintf("%d tensors, want %d", len(got.Tensors), len(want.Tensors))
	}
	for i, g := range got.Tensors {
		w := want.Tensors[i]
		if g.Name != w.Name || g.DType != w.DType || !slices.Equal(g.Shape, w.Shape) || !bytes.Equal(g.Data, w.Data) {
			return fmt.Sprintf("tensor %d is %q %s %v % x, want %q %s %v % x", i, g.Name, g.DType, g.Shape, g.Data, w.Name, w.DType, w.Shape, w.Data)
		}
	}
	return ""
}

// everyDType is a File with one tensor of each dtype, with byte patterns
// that differ from tensor to tensor, and metadata that needs JSON escaping.
func everyDType() *File {
	f := &File{Metadata: map[string]string{
		"kind":    "toy",
		"quote":   `say "hi" \ bye`,
		"control": "tab\there\nnewline\x01",
		"unicode": "λ → ∞, <tag> & co",
		"":        "empty key",
	}}
	names := slices.Sorted(maps.Keys(dtypeSizes))
	for i, dt := range names {
		size := dtypeSizes[dt]
		shape := []int{2, 3}
		data := make([]byte, 6*size)
		for j := range data {
			data[j] = byte(31*i + 7*j)
		}
		f.Tensors = append(f.Tensors, Tensor{Name: "t." + dt, DType: dt, Shape: shape, Data: data})
	}
	f.Tensors = append(f.Tensors,
		FromFloat64s("scalar", nil, []float64{3.5}),
		FromInt8s("empty", []int{0, 4}, nil),
		FromFloat32s("rank4", []int{1, 2, 1, 2}, []float32{1, 2, 3, 4}),
		FromInt32s("names/with\"odd\\chars", []int{1}, []int32{-7}),
	)
	return f
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		file *File
	}{
		{"no tensors", &File{}},
		{"metadata only", &File{Metadata: map[string]string{"kind": "charrnn"}}},
		{"every dtype", everyDType()},
		{"empty tensors side by side", &File{Tensors: []Tensor{
			FromInt8s("a", []int{0}, nil),
			FromInt8s("b", []int{3, 0}, nil),
			FromInt8s("c", []int{1}, []int8{5}),
			FromInt8s("d", []int{0}, nil),
		}}},
	} {
		var buf bytes.Buffer
		if err := Encode(&buf, tc.file); err != nil {
			t.Fatalf("%s: Encode: %v", tc.name, err)
		}
		n := binary.LittleEndian.Uint64(buf.Bytes())
		if (8+n)%8 != 0 {
			t.Errorf("%s: header length %d leaves the data section unaligned", tc.name, n)
		}
		got, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatalf("%s: Decode: %v", tc.name, err)
		}
		if d := diffFile(got, tc.file); d != "" {
			t.Errorf("%s: round trip: %s", tc.name, d)
		}
	}
}

// TestEncodeKnownBytes pins the exact layout: the length prefix, the JSON
// (tensors in File order, metadata first with sorted keys, no spaces), the
// space padding and the little-endian data. The 112-byte file is the one
// drawn in the package doc.
func TestEncodeKnownBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		file *File
		want []byte
	}{
		{
			name: "empty file",
			file: &File{},
			want: []byte("\x08\x00\x00\x00\x00\x00\x00\x00" + "{}      "), // "{}" + 6 spaces = 8
		},
		{
			name: "package doc example",
			file: &File{
				Metadata: map[string]string{"kind": "toy"},
				Tensors:  []Tensor{FromFloat64s("x", []int{2}, []float64{1, -2})},
			},
			want: slices.Concat(
				[]byte{0x58, 0, 0, 0, 0, 0, 0, 0}, // N = 88
				[]byte(`{"__metadata__":{"kind":"toy"},"x":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}`), // 85 bytes
				[]byte("   "),                        // 85 + 3 = 88, and 8 + 88 = 96 = 12×8
				[]byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f}, // 1.0 = 0x3ff0000000000000, little-endian
				[]byte{0, 0, 0, 0, 0, 0, 0, 0xc0},    // −2.0 = 0xc000000000000000
			),
		},
		{
			name: "data in File order, not name order; scalar shape []",
			file: &File{Tensors: []Tensor{
				FromInt8s("b", []int{2}, []int8{-1, 2}),
				FromInt32s("a", nil, []int32{258}),
			}},
			want: slices.Concat(
				[]byte{0x70, 0, 0, 0, 0, 0, 0, 0}, // N = 112
				[]byte(`{"b":{"dtype":"I8","shape":[2],"data_offsets":[0,2]},"a":{"dtype":"I32","shape":[],"data_offsets":[2,6]}}`), // 105 bytes
				[]byte("       "),        // 105 + 7 = 112, and 8 + 112 = 120 = 15×8
				[]byte{0xff, 0x02},       // −1, 2
				[]byte{0x02, 0x01, 0, 0}, // 258 = 0x0102
			),
		},
	} {
		var buf bytes.Buffer
		if err := Encode(&buf, tc.file); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := buf.Bytes(); !bytes.Equal(got, tc.want) {
			t.Errorf("%s:\n got % x\n%q\nwant % x\n%q", tc.name, got, got, tc.want, tc.want)
		}
	}
}

func TestEncodeRejects(t *testing.T) {
	ok := FromFloat64s("w", []int{1}, []float64{1})
	for _, tc := range []struct {
		name string
		file *File
		want string
	}{
		{"nil file", nil, "nil *File"},
		{"unknown dtype", &File{Tensors: []Tensor{{Name: "w", DType: "f64", Shape: []int{1}, Data: make([]byte, 8)}}}, `dtype "f64" is unknown`},
		{"short data", &File{Tensors: []Tensor{{Name: "w", DType: "F32", Shape: []int{2}, Data: make([]byte, 7)}}}, "needs 8 bytes, Data holds 7"},
		{"negative dimension", &File{Tensors: []Tensor{{Name: "w", DType: "U8", Shape: []int{-3}}}}, "negative dimension -3"},
		{"duplicate name", &File{Tensors: []Tensor{ok, ok}}, `two tensors are named "w"`},
		{"reserved name", &File{Tensors: []Tensor{FromInt8s("__metadata__", nil, []int8{1})}}, "reserved for metadata"},
		{"invalid UTF-8 name", &File{Tensors: []Tensor{FromInt8s("\xff", nil, []int8{1})}}, "valid UTF-8"},
		{"invalid UTF-8 metadata", &File{Metadata: map[string]string{"k": "\xc3"}}, "valid UTF-8"},
	} {
		var buf bytes.Buffer
		err := Encode(&buf, tc.file)
		if err == nil || !strings.HasPrefix(err.Error(), "checkpoint: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: Encode wrote %d bytes of an invalid File, want none", tc.name, buf.Len())
		}
	}
}

// f64 returns the 8 bytes of n float64 elements, for hand-built files.
func f64(n int) []byte { return make([]byte, 8*n) }

func TestDecodeAccepts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   []byte
		tensor []string // names in the order Decode returns them
		meta   map[string]string
	}{
		{"no padding", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, f64(1)), []string{"a"}, nil},
		{"whitespace and padding", rawFile("{ \"a\" : {\"shape\": [ 1 ] ,\n\"dtype\":\"F64\",\t\"data_offsets\":[0,8]} }\n\r\t  ", f64(1)), []string{"a"}, nil},
		{"unknown fields ignored", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8],"extra":{"x":[1,{}]}}}`, f64(1)), []string{"a"}, nil},
		{"null metadata", rawFile(`{"__metadata__":null}`, nil), nil, nil},
		{"metadata anywhere", rawFile(`{"a":{"dtype":"F64","shape":[],"data_offsets":[0,8]},"__metadata__":{"k":"v","\u00e9":"\n"}}`, f64(1)), []string{"a"}, map[string]string{"k": "v", "é": "\n"}},
		{"returned in data order", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},"b":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, f64(2)), []string{"b", "a"}, nil},
		{"empty tensors at one offset", rawFile(`{"e2":{"dtype":"F64","shape":[0],"data_offsets":[8,8]},"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"e1":{"dtype":"I8","shape":[0,9],"data_offsets":[8,8]}}`, f64(1)), []string{"a", "e2", "e1"}, nil},
		{"zero dimension beats huge ones", rawFile(`{"z":{"dtype":"F64","shape":[0,9223372036854775807,9223372036854775807],"data_offsets":[0,0]}}`, nil), []string{"z"}, nil},
	} {
		f, err := Decode(tc.data)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var names []string
		for _, tn := range f.Tensors {
			names = append(names, tn.Name)
		}
		if !slices.Equal(names, tc.tensor) || !maps.Equal(f.Metadata, tc.meta) {
			t.Errorf("%s: tensors %q, metadata %v; want %q, %v", tc.name, names, f.Metadata, tc.tensor, tc.meta)
		}
	}
}

// TestDecodeRejects feeds Decode one malformation at a time. Each file is
// otherwise valid, so the error must come from the listed check.
func TestDecodeRejects(t *testing.T) {
	// withLength is a file whose length prefix says n whatever follows.
	withLength := func(n uint64, size int) []byte {
		b := make([]byte, size)
		binary.LittleEndian.PutUint64(b, n)
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty input", nil, "file is 0 bytes, shorter than the 8-byte header length"},
		{"short input", []byte{1, 2, 3}, "file is 3 bytes"},
		{"header past the end", withLength(9999999, 120), "header length 9999999 exceeds file size 120"},
		{"header length near 2^64", withLength(1<<64-1, 16), "header length 18446744073709551615 exceeds file size 16"},
		{"header over 100 MiB", withLength(maxHeaderLen+1, 8+maxHeaderLen+1), "header length 104857601 exceeds the limit of 104857600 bytes"},
		{"empty header", rawFile("", nil), "header does not start with '{'"},
		{"header is an array", rawFile(`[]`, nil), "header does not start with '{'"},
		{"leading space", rawFile(` {}`, nil), "header does not start with '{'"},
		{"invalid UTF-8", rawFile("{\"\xff\":{}}", nil), "not valid UTF-8"},
		{"truncated JSON", rawFile(`{"a":{"dtype":`, nil), "header is not valid JSON: unexpected EOF"},
		{"missing colon", rawFile(`{"a" {}}`, nil), "header is not valid JSON"},
		{"trailing garbage", rawFile(`{}  x`, nil), `header has 'x' after its JSON object`},
		{"second object", rawFile(`{}{}`, nil), `header has '{' after its JSON object`},
		{"duplicate tensor", rawFile(`{"a":{"dtype":"I8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"I8","shape":[1],"data_offsets":[1,2]}}`, make([]byte, 2)), `header names "a" twice`},
		{"metadata is an array", rawFile(`{"__metadata__":[]}`, nil), "__metadata__ is an array; want an object of strings"},
		{"metadata value is a number", rawFile(`{"__metadata__":{"step":10}}`, nil), `__metadata__ "step" is the number 10; want a string`},
		{"duplicate metadata key", rawFile(`{"__metadata__":{"k":"1","k":"2"}}`, nil), `__metadata__ names "k" twice`},
		{"duplicate metadata", rawFile(`{"__metadata__":{},"__metadata__":{}}`, nil), `header names "__metadata__" twice`},
		{"entry is an array", rawFile(`{"a":[1]}`, nil), `tensor "a" is an array; want an object with dtype, shape and data_offsets`},
		{"entry is a string", rawFile(`{"a":"F64"}`, nil), `tensor "a" is the string "F64"; want an object`},
		{"missing dtype", rawFile(`{"a":{"shape":[1],"data_offsets":[0,8]}}`, f64(1)), `tensor "a": missing "dtype"`},
		{"missing shape", rawFile(`{"a":{"dtype":"F64","data_offsets":[0,8]}}`, f64(1)), `tensor "a": missing "shape"`},
		{"missing data_offsets", rawFile(`{"a":{"dtype":"F64","shape":[1]}}`, f64(1)), `tensor "a": missing "data_offsets"`},
		{"field names are case-sensitive", rawFile(`{"a":{"DType":"F64","shape":[1],"data_offsets":[0,8]}}`, f64(1)), `tensor "a": missing "dtype"`},
		{"dtype twice", rawFile(`{"a":{"dtype":"F64","dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, f64(1)), `tensor "a": "dtype" appears twice`},
		{"dtype is a number", rawFile(`{"a":{"dtype":8,"shape":[1],"data_offsets":[0,8]}}`, f64(1)), `dtype is the number 8; want a string`},
		{"unknown dtype", rawFile(`{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,8]}}`, f64(1)), `tensor "a": dtype "F128" is unknown; want one of BOOL`},
		{"lower-case dtype", rawFile(`{"a":{"dtype":"f64","shape":[1],"data_offsets":[0,8]}}`, f64(1)), `dtype "f64" is unknown`},
		{"shape is a number", rawFile(`{"a":{"dtype":"F64","shape":1,"data_offsets":[0,8]}}`, f64(1)), `shape is the number 1; want an array of integers`},
		{"shape holds a string", rawFile(`{"a":{"dtype":"F64","shape":["1"],"data_offsets":[0,8]}}`, f64(1)), `shape holds the string "1"; want integers`},
		{"shape holds a fraction", rawFile(`{"a":{"dtype":"F64","shape":[1.5],"data_offsets":[0,8]}}`, f64(1)), `shape holds 1.5; want integers`},
		{"shape holds an exponent", rawFile(`{"a":{"dtype":"F64","shape":[1e0],"data_offsets":[0,8]}}`, f64(1)), `shape holds 1e0; want integers`},
		{"negative dimension", rawFile(`{"a":{"dtype":"F64","shape":[-1],"data_offsets":[0,8]}}`, f64(1)), `negative dimension -1`},
		{"dimension past int64", rawFile(`{"a":{"dtype":"F64","shape":[9223372036854775808],"data_offsets":[0,8]}}`, f64(1)), `shape holds 9223372036854775808; want integers from 0 to 9223372036854775807`},
		{"element count overflows", rawFile(`{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}`, f64(1)), `more elements than an int can count`},
		{"byte count overflows", rawFile(`{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}`, f64(1)), `overflows the byte count`}, // 2^61 × 8 = 2^64
		{"one offset", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[8]}}`, f64(1)), `data_offsets is [8]; want [begin, end]`},
		{"three offsets", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8,8]}}`, f64(1)), `want [begin, end]`},
		{"negative offset", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[-8,0]}}`, f64(1)), `data_offsets is [-8 0]; want [begin, end], two non-negative integers`},
		{"offsets run backwards", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[8,0]}}`, f64(1)), `data_offsets [8 0] run backwards`},
		{"offsets past the end", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,16]}}`, f64(1)), `data_offsets [0 16] end past the data section of 8 bytes`},
		{"byte count mismatch", rawFile(`{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}`, f64(1)), `tensor "a": shape [2] of F64 needs 16 bytes, data_offsets [0 8] hold 8`},
		{"overlap", rawFile(`{"a":{"dtype":"I8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"I8","shape":[8],"data_offsets":[4,12]}}`, make([]byte, 12)), `tensor "b": data_offsets [4 12] overlap tensor "a", which ends at 8`},
		{"same range twice", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, f64(1)), `overlap tensor "a"`},
		{"gap between", rawFile(`{"a":{"dtype":"I8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"I8","shape":[8],"data_offsets":[10,18]}}`, make([]byte, 18)), `tensor "b": data_offsets [10 18] leave a gap after tensor "a", which ends at 8`},
		{"gap at start", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[2,10]}}`, make([]byte, 10)), `the first tensor must begin at 0`},
		{"bytes after the last tensor", rawFile(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, make([]byte, 10)), `data section is 10 bytes but the tensors cover 8`},
		{"data but no tensors", rawFile(`{}`, []byte{0}), `data section is 1 bytes but the tensors cover 0`},
	} {
		f, err := Decode(tc.data)
		if err == nil {
			t.Errorf("%s: Decode succeeded with %d tensors, want an error containing %q", tc.name, len(f.Tensors), tc.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "checkpoint: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error\n\t%v\nwant one containing\n\t%s", tc.name, err, tc.want)
		}
	}
}

// TestDecodeTruncated cuts a valid file at every length: each prefix must
// give an error, not a panic and not a shorter File.
func TestDecodeTruncated(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, everyDType()); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	for n := 0; n < len(data); n++ {
		if _, err := Decode(data[:n]); err == nil {
			t.Fatalf("Decode of the first %d of %d bytes succeeded, want an error", n, len(data))
		}
	}
	if _, err := Decode(data); err != nil {
		t.Fatalf("Decode of the whole file: %v", err)
	}
}

// TestDecodeCopies checks that Decode's tensors do not alias its input, and
// that appending to one tensor's Data cannot overwrite the next.
func TestDecodeCopies(t *testing.T) {
	var buf bytes.Buffer
	in := &File{Tensors: []Tensor{FromInt8s("a", []int{2}, []int8{1, 2}), FromInt8s("b", []int{2}, []int8{3, 4})}}
	if err := Encode(&buf, in); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	f, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	clear(data)
	_ = append(f.Tensors[0].Data, 99)
	if d := diffFile(f, in); d != "" {
		t.Errorf("after clearing the input and appending to a: %s", d)
	}
}
