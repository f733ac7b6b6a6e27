package checkpoint

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Decode parses a safetensors file held in data. The returned tensors are
// in the order of their bytes in the data section, and their Data are copies:
// data may be reused once Decode returns.
//
// Decode trusts nothing in data and never panics. It returns an error that
// says what it expected when
//
//   - data is shorter than the 8-byte header length;
//   - the header length runs past the end of data, or past 100 MiB;
//   - the header is not a JSON object in UTF-8, with only spaces after it;
//   - a tensor entry is not an object with "dtype" (a string), "shape" (an
//     array of non-negative integers) and "data_offsets" (two non-negative
//     integers), or "__metadata__" is not an object of strings;
//   - a dtype is unknown, or a shape overflows;
//   - data_offsets run backwards or past the end of the data section;
//   - a tensor's byte count is not product(shape) × dtype size;
//   - tensors overlap, leave gaps, or leave bytes unused at the end;
//   - two tensors (or two metadata keys) have the same name.
//
// Unknown fields inside a tensor entry are ignored, as Hugging Face's reader
// ignores them.
func Decode(data []byte) (*File, error) {
	f, err := decode(data, true)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	return f, nil
}

// entry is one tensor as the header describes it.
type entry struct {
	name       string
	dtype      string
	shape      []int
	begin, end uint64 // byte range [begin, end) in the data section
}

// decode is Decode without the package prefix on its errors. With copyData
// false the tensors' Data alias data, which Read owns.
func decode(data []byte, copyData bool) (*File, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("file is %d bytes, shorter than the 8-byte header length", len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	if n > uint64(len(data)-8) {
		return nil, fmt.Errorf("header length %d exceeds file size %d", n, len(data))
	}
	if n > maxHeaderLen {
		return nil, fmt.Errorf("header length %d exceeds the limit of %d bytes (100 MiB)", n, maxHeaderLen)
	}
	header, body := data[8:8+n], data[8+n:]
	meta, entries, err := parseHeader(header)
	if err != nil {
		return nil, err
	}

	// Check each tensor on its own: dtype, shape, and a byte range that
	// lies inside the data section and has the size the shape calls for.
	for _, e := range entries {
		size, ok := dtypeSizes[e.dtype]
		if !ok {
			return nil, fmt.Errorf("tensor %q: dtype %q is unknown; want one of %s", e.name, e.dtype, knownDTypes)
		}
		count, err := elements(e.shape)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %w", e.name, err)
		}
		nbytes, ok := mulInt(count, size)
		if !ok {
			return nil, fmt.Errorf("tensor %q: shape %v of %s overflows the byte count", e.name, e.shape, e.dtype)
		}
		if e.begin > e.end {
			return nil, fmt.Errorf("tensor %q: data_offsets [%d %d] run backwards; want begin <= end", e.name, e.begin, e.end)
		}
		if e.end > uint64(len(body)) {
			return nil, fmt.Errorf("tensor %q: data_offsets [%d %d] end past the data section of %d bytes", e.name, e.begin, e.end, len(body))
		}
		if e.end-e.begin != uint64(nbytes) {
			return nil, fmt.Errorf("tensor %q: shape %v of %s needs %d bytes, data_offsets [%d %d] hold %d", e.name, e.shape, e.dtype, nbytes, e.begin, e.end, e.end-e.begin)
		}
	}

	// Check the tensors together: sorted by offset, each must begin where
	// the previous one ends, and the last must end where the file ends.
	// The sort is stable so that empty tensors sharing an offset keep
	// their header order.
	slices.SortStableFunc(entries, func(a, b entry) int {
		if a.begin != b.begin {
			if a.begin < b.begin {
				return -1
			}
			return 1
		}
		if a.end != b.end {
			if a.end < b.end {
				return -1
			}
			return 1
		}
		return 0
	})
	var at uint64 // where the next tensor must begin
	prev := ""
	for _, e := range entries {
		switch {
		case e.begin < at:
			return nil, fmt.Errorf("tensor %q: data_offsets [%d %d] overlap tensor %q, which ends at %d", e.name, e.begin, e.end, prev, at)
		case e.begin > at:
			if prev == "" {
				return nil, fmt.Errorf("tensor %q: data_offsets [%d %d] leave a gap: the first tensor must begin at 0", e.name, e.begin, e.end)
			}
			return nil, fmt.Errorf("tensor %q: data_offsets [%d %d] leave a gap after tensor %q, which ends at %d", e.name, e.begin, e.end, prev, at)
		}
		at, prev = e.end, e.name
	}
	if at != uint64(len(body)) {
		return nil, fmt.Errorf("data section is %d bytes but the tensors cover %d; want no bytes after the last tensor", len(body), at)
	}

	if copyData {
		body = bytes.Clone(body)
	}
	f := &File{Metadata: meta, Tensors: make([]Tensor, len(entries))}
	for i, e := range entries {
		// A full slice expression caps each Data at its own end, so an
		// append to one tensor cannot overwrite the next.
		f.Tensors[i] = Tensor{Name: e.name, DType: e.dtype, Shape: e.shape, Data: body[e.begin:e.end:e.end]}
	}
	return f, nil
}

// parseHeader parses the JSON header into its metadata and tensor entries,
// in header order. It walks the JSON token by token, rather than decoding
// into a map, to catch duplicate names, which a map would silently merge,
// and to match field names exactly, which encoding/json's struct decoding
// would not (it accepts "DType" for "dtype").
func parseHeader(header []byte) (map[string]string, []entry, error) {
	if len(header) == 0 || header[0] != '{' {
		return nil, nil, errors.New("header does not start with '{'; want a JSON object")
	}
	if !utf8.Valid(header) {
		return nil, nil, errors.New("header is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(header))
	dec.UseNumber()                        // keep integers exact; parsed by parseInts
	if _, err := dec.Token(); err != nil { // the '{' checked above
		return nil, nil, jsonError(err)
	}
	var meta map[string]string
	var entries []entry
	seen := make(map[string]bool)
	for dec.More() {
		name, err := key(dec)
		if err != nil {
			return nil, nil, err
		}
		if seen[name] {
			return nil, nil, fmt.Errorf("header names %q twice; want unique tensor names", name)
		}
		seen[name] = true
		if name == metadataKey {
			if meta, err = parseMetadata(dec); err != nil {
				return nil, nil, err
			}
			continue
		}
		e, err := parseEntry(dec, name)
		if err != nil {
			return nil, nil, err
		}
		entries = append(entries, e)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, nil, jsonError(err)
	}
	// Only padding may follow the object. Hugging Face pads with spaces;
	// any JSON whitespace is accepted, as its reader accepts it.
	for _, c := range header[dec.InputOffset():] {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return nil, nil, fmt.Errorf("header has %q after its JSON object; want only space padding", c)
		}
	}
	return meta, entries, nil
}

// parseMetadata parses the value of "__metadata__": an object of strings,
// or null for none.
func parseMetadata(dec *json.Decoder) (map[string]string, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(err)
	}
	if tok == nil {
		return nil, nil
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("%s is %s; want an object of strings", metadataKey, describe(tok))
	}
	meta := make(map[string]string)
	for dec.More() {
		k, err := key(dec)
		if err != nil {
			return nil, err
		}
		if _, dup := meta[k]; dup {
			return nil, fmt.Errorf("%s names %q twice; want unique keys", metadataKey, k)
		}
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonError(err)
		}
		v, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("%s %q is %s; want a string", metadataKey, k, describe(tok))
		}
		meta[k] = v
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, jsonError(err)
	}
	return meta, nil
}

// parseEntry parses the value of a tensor's header entry,
//
//	{"dtype": "F64", "shape": [2, 3], "data_offsets": [0, 48]}
//
// checking its syntax; decode checks its values.
func parseEntry(dec *json.Decoder, name string) (entry, error) {
	e := entry{name: name}
	tok, err := dec.Token()
	if err != nil {
		return e, jsonError(err)
	}
	if tok != json.Delim('{') {
		return e, fmt.Errorf("tensor %q is %s; want an object with dtype, shape and data_offsets", name, describe(tok))
	}
	var haveDType, haveShape, haveOffsets bool
	for dec.More() {
		field, err := key(dec)
		if err != nil {
			return e, err
		}
		var dup bool
		switch field {
		case "dtype":
			dup, haveDType = haveDType, true
			tok, err := dec.Token()
			if err != nil {
				return e, jsonError(err)
			}
			s, ok := tok.(string)
			if !ok {
				return e, fmt.Errorf("tensor %q: dtype is %s; want a string such as \"F64\"", name, describe(tok))
			}
			e.dtype = s
		case "shape":
			dup, haveShape = haveShape, true
			dims, err := parseInts(dec, name, "shape", true)
			if err != nil {
				return e, err
			}
			e.shape = make([]int, len(dims))
			for i, d := range dims {
				if d > math.MaxInt { // only on 32-bit platforms
					return e, fmt.Errorf("tensor %q: shape dimension %d overflows an int", name, d)
				}
				e.shape[i] = int(d)
			}
		case "data_offsets":
			dup, haveOffsets = haveOffsets, true
			offs, err := parseInts(dec, name, "data_offsets", false)
			if err != nil {
				return e, err
			}
			if len(offs) != 2 || offs[0] < 0 || offs[1] < 0 {
				return e, fmt.Errorf("tensor %q: data_offsets is %v; want [begin, end], two non-negative integers", name, offs)
			}
			e.begin, e.end = uint64(offs[0]), uint64(offs[1])
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return e, jsonError(err)
			}
		}
		if dup {
			return e, fmt.Errorf("tensor %q: %q appears twice; want it once", name, field)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return e, jsonError(err)
	}
	for _, f := range []struct {
		have bool
		name string
	}{{haveDType, "dtype"}, {haveShape, "shape"}, {haveOffsets, "data_offsets"}} {
		if !f.have {
			return e, fmt.Errorf("tensor %q: missing %q; want dtype, shape and data_offsets", name, f.name)
		}
	}
	return e, nil
}

// parseInts parses a JSON array of integers, each in int64 range. With
// shape true a negative element is reported as a negative dimension.
func parseInts(dec *json.Decoder, name, field string, shape bool) ([]int64, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(err)
	}
	if tok != json.Delim('[') {
		return nil, fmt.Errorf("tensor %q: %s is %s; want an array of integers", name, field, describe(tok))
	}
	var v []int64
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonError(err)
		}
		num, ok := tok.(json.Number)
		if !ok {
			return nil, fmt.Errorf("tensor %q: %s holds %s; want integers", name, field, describe(tok))
		}
		i, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %s holds %s; want integers from 0 to %d", name, field, num, int64(math.MaxInt64))
		}
		if shape && i < 0 {
			return nil, fmt.Errorf("tensor %q: shape holds negative dimension %d; want dimensions >= 0", name, i)
		}
		v = append(v, i)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, jsonError(err)
	}
	return v, nil
}

// key reads an object key. The decoder guarantees that a token in key
// position is a string or an error.
func key(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", jsonError(err)
	}
	s, ok := tok.(string)
	if !ok { // not reachable with encoding/json, checked all the same
		return "", fmt.Errorf("header has %s where a key belongs; want a string", describe(tok))
	}
	return s, nil
}

// jsonError wraps an error of the JSON decoder. The decoder reports a header
// that stops mid-object as io.EOF, which would read as a clean end.
func jsonError(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("header is not valid JSON: %w", err)
}

// describe names a JSON token for an error message.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "the string " + strconv.Quote(v)
	case json.Number:
		return "the number " + string(v)
	case bool:
		return "the boolean " + strconv.FormatBool(v)
	}
	return fmt.Sprintf("%v", tok)
}
