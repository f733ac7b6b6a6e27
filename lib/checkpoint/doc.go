// Package checkpoint saves and loads model weights as safetensors files,
// written atomically and read defensively.
//
// Save a model, and load it back into a model of the same architecture:
//
//	err := checkpoint.SaveParams("model.safetensors", model.Params(), nil,
//		map[string]string{"kind": "charrnn", "hidden": "64"})
//	...
//	f, err := checkpoint.Read("model.safetensors")
//	if err == nil {
//		err = f.Require("kind", "charrnn")
//	}
//	if err == nil {
//		err = checkpoint.LoadParams(f, model.Params())
//	}
//
// # The format
//
// Safetensors is the format Hugging Face designed so that weights can be
// loaded without running code (a Python pickle runs code) and read from any
// language: Hugging Face's safetensors library reads what this package
// writes, numpy does in a few lines (below), and this package reads what
// they write. A file has three parts:
//
//	byte 0      8                          8+N                        end
//	     +------+--------------------------+--------------------------+
//	     |  N   | header: N bytes of JSON, | data section: the tensor |
//	     |uint64| padded with spaces so    | bytes, one tensor after  |
//	     |  LE  | that 8+N is a multiple   | another, no gaps,        |
//	     |      | of 8                     | little-endian            |
//	     +------+--------------------------+--------------------------+
//
// The header is one JSON object. Each key is a tensor's name; its value gives
// the element type, the shape, and the byte range [begin, end) the tensor
// occupies, counted from the start of the data section (not of the file).
// The optional key "__metadata__" holds string pairs for the program's own
// use. Here is a whole file of 112 bytes, one F64 vector x = [1, −2] with
// the metadata kind=toy, as Encode writes it (hex on the left; ␠ marks a
// padding space):
//
//	58 00 00 00 00 00 00 00    N = 0x58 = 88, the header length
//	{"__metadata__":{"kind":"toy"},"x":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}␠␠␠
//	                           85 bytes of JSON + 3 spaces = 88; the data starts at 8+88 = 96
//	00 00 00 00 00 00 f0 3f    x[0] =  1.0, bits 0x3ff0000000000000, least significant byte first
//	00 00 00 00 00 00 00 c0    x[1] = −2.0, bits 0xc000000000000000
//
// A tensor's bytes are its elements in row-major (C) order, the last index
// varying fastest, which is the layout of a mat.Dense's backing slice: a
// weight W of r×c is the tensor of shape [r, c], and
//
//	element (i, j) lies at  8+N + begin + (i·c + j)·size(dtype)
//
// The element types are named F64, F32, F16, BF16, I64, I32, I16, I8, U64,
// U32, U16, U8, BOOL, F8_E5M2 and F8_E4M3; a file may hold any of them.
// Float64s converts the float types to float64, and Int8s and Int32s read
// I8 and I32. numpy reads a tensor with
//
//	np.frombuffer(buf, dtype="<f8", count=r*c, offset=8+N+begin).reshape(r, c)
//
// Reference: https://github.com/huggingface/safetensors (the README states
// the format).
//
// # Reading defensively
//
// A checkpoint may be truncated by a full disk, damaged in transit, or not a
// checkpoint at all. Decode and Read trust nothing in the file: they return
// an error, never panic, for every malformation listed in Decode's doc
// (the package is fuzzed to hold to this), and each error says what was
// expected. Read's errors name the file:
//
//	checkpoint: model.safetensors: header length 9999999 exceeds file size 120
//
// # Writing atomically
//
// Write encodes into a temporary file beside the target, syncs it, and
// renames it over the target, so that a crash mid-save never leaves a
// half-written checkpoint where the last good one was. See Write for the
// steps.
//
// # Conventions
//
// All errors begin with "checkpoint: ". Data returned by Decode, Read and
// the accessors is the caller's; the constructors copy their arguments.
// Constructors called with a shape that does not match the number of values
// panic, since that is a programming error; everything that depends on a
// file's content returns an error.
package checkpoint
