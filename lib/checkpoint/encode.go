package checkpoint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"
)

// maxHeaderLen bounds the JSON header, written or read: 100 MiB. A header
// lists names, dtypes, shapes and offsets, about 100 bytes a tensor, so this
// is a million tensors. The bound keeps a corrupt length from making Decode
// parse (or a reader allocate) gigabytes; Hugging Face's reader has a
// similar bound of 100 MB.
const maxHeaderLen = 100 << 20

// metadataKey is the header key that holds the metadata rather than a tensor.
const metadataKey = "__metadata__"

// Encode writes f to w in the safetensors format: the 8-byte header length,
// the JSON header padded with spaces to a multiple of 8 bytes, then the bytes
// of every tensor in the order of f.Tensors, with no gaps.
//
// Encode checks f first and writes nothing when it is invalid: a tensor with
// an unknown dtype, a negative dimension or Data of the wrong length, two
// tensors with the same name, a tensor named "__metadata__", or a name or
// metadata string that is not valid UTF-8 (JSON cannot carry it).
//
// Metadata keys are written in sorted order, so equal Files encode to equal
// bytes.
//
// The header padding puts the data section at a multiple of 8 bytes, but a
// tensor's own alignment depends on the sizes of the tensors before it: an
// F64 after a 3-byte I8 starts at an odd address. numpy copes; readers that
// map the file and view the bytes in place (PyTorch, MLX) may copy or fail.
// Hugging Face's writer therefore orders tensors from the widest dtype to the
// narrowest; Encode keeps the caller's order, so order f.Tensors the same way
// when it matters.
func Encode(w io.Writer, f *File) error {
	if err := encode(w, f); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// encode is Encode without the package prefix on its errors, so that Write
// can put the path after the prefix.
func encode(w io.Writer, f *File) error {
	header, err := encodeHeader(f)
	if err != nil {
		return err
	}
	var prefix [8]byte
	binary.LittleEndian.PutUint64(prefix[:], uint64(len(header)))
	if _, err := w.Write(prefix[:]); err != nil {
		return fmt.Errorf("writing header length: %w", err)
	}
	if _, err := w.Write(header); err != nil {
		return fmt.Errorf("writing header: %w", err)
	}
	for _, t := range f.Tensors {
		if _, err := w.Write(t.Data); err != nil {
			return fmt.Errorf("writing tensor %q: %w", t.Name, err)
		}
	}
	return nil
}

// encodeHeader checks f and returns its padded JSON header, for example
//
//	{"__metadata__":{"kind":"toy"},"W":{"dtype":"F64","shape":[2,3],"data_offsets":[0,48]}}␠␠␠␠␠
//
// (␠ is a padding space). The JSON is written by hand rather than with
// encoding/json so that the tensors keep the order of f.Tensors (a Go map
// would sort them) and the bytes are fixed for a given File.
func encodeHeader(f *File) ([]byte, error) {
	if f == nil {
		return nil, errors.New("nil *File")
	}
	buf := []byte{'{'}
	if len(f.Metadata) > 0 {
		keys := make([]string, 0, len(f.Metadata))
		for k := range f.Metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf = appendJSONString(buf, metadataKey)
		buf = append(buf, ":{"...)
		for i, k := range keys {
			v := f.Metadata[k]
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return nil, fmt.Errorf("metadata %q: %q: key and value must be valid UTF-8", k, v)
			}
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, k)
			buf = append(buf, ':')
			buf = appendJSONString(buf, v)
		}
		buf = append(buf, '}')
	}
	seen := make(map[string]bool, len(f.Tensors))
	offset := 0 // where the next tensor begins in the data section
	for i, t := range f.Tensors {
		if _, err := t.check(); err != nil {
			return nil, err
		}
		switch {
		case !utf8.ValidString(t.Name):
			return nil, fmt.Errorf("tensor %q: name must be valid UTF-8", t.Name)
		case t.Name == metadataKey:
			return nil, fmt.Errorf("tensor %d is named %q, the key reserved for metadata", i, metadataKey)
		case seen[t.Name]:
			return nil, fmt.Errorf("two tensors are named %q; names must be unique", t.Name)
		}
		seen[t.Name] = true
		end := offset + len(t.Data)
		if end < offset {
			return nil, fmt.Errorf("tensor %q: data section overflows an int", t.Name)
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, t.Name)
		buf = append(buf, `:{"dtype":`...)
		buf = appendJSONString(buf, t.DType)
		buf = append(buf, `,"shape":[`...)
		for j, d := range t.Shape {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, int64(d), 10)
		}
		buf = append(buf, `],"data_offsets":[`...)
		buf = strconv.AppendInt(buf, int64(offset), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(end), 10)
		buf = append(buf, "]}"...)
		offset = end
	}
	buf = append(buf, '}')
	// Pad so that the data section starts at a multiple of 8 bytes
	// (8 + len(header) ≡ 0 mod 8): a reader that maps the file into
	// memory then finds 8-byte tensors aligned.
	for len(buf)%8 != 0 {
		buf = append(buf, ' ')
	}
	if len(buf) > maxHeaderLen {
		return nil, fmt.Errorf("header is %d bytes, more than the limit of %d (100 MiB)", len(buf), maxHeaderLen)
	}
	return buf, nil
}

// appendJSONString appends s, valid UTF-8, as a JSON string literal. It
// escapes only what JSON requires (the quote, the backslash and control
// characters), so names like "enc<0>.W" stay readable in the header, unlike
// encoding/json's HTML-safe \u003c.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c == '\n':
			buf = append(buf, '\\', 'n')
		case c == '\r':
			buf = append(buf, '\\', 'r')
		case c == '\t':
			buf = append(buf, '\\', 't')
		case c < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			buf = append(buf, c) // ASCII or a byte of a valid UTF-8 sequence
		}
	}
	return append(buf, '"')
}
