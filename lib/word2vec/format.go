package word2vec

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The word2vec vector formats, as word2vec.c writes them (-binary 0 or 1)
// and gensim's KeyedVectors.save_word2vec_format and fastText's .vec files
// follow:
//
//	text:    "V d\n", then V lines "word x1 x2 … xd\n" (numbers in decimal)
//	binary:  "V d\n", then V records "word " + d float32 little-endian + "\n"
//
// Readers here accept what each tool writes: word2vec.c's and fastText's
// trailing space before the new line, "\r\n" line ends, gensim's binary
// records without the final "\n", and word2vec.c's "</s>" first word.

// ErrFormat is wrapped by every error about the contents of a vector file.
var ErrFormat = errors.New("word2vec: bad vector file")

// WriteText writes the vectors in word2vec's text format, each number with
// the fewest digits that read back to the same float32, so a text round
// trip is exact.
func (v *Vectors) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %d\n", len(v.words), v.dim)
	buf := make([]byte, 0, 16)
	for i, word := range v.words {
		bw.WriteString(word)
		for _, x := range v.row(i) {
			bw.WriteByte(' ')
			buf = strconv.AppendFloat(buf[:0], float64(x), 'g', -1, 32)
			bw.Write(buf)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// WriteBinary writes the vectors in word2vec.c's binary format.
func (v *Vectors) WriteBinary(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %d\n", len(v.words), v.dim)
	buf := make([]byte, 4*v.dim)
	for i, word := range v.words {
		bw.WriteString(word)
		bw.WriteByte(' ')
		for j, x := range v.row(i) {
			binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(x))
		}
		bw.Write(buf)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// Save writes the vectors to path: binary when the name ends in .bin, text
// otherwise (.txt, .vec). It writes a temporary file beside path, syncs
// it and renames it, so an interrupted save leaves any old file whole.
func (v *Vectors) Save(path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("word2vec: %w", err)
	}
	write := v.WriteText
	if strings.HasSuffix(path, ".bin") {
		write = v.WriteBinary
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("word2vec: saving %s: %w", path, err)
	}
	return nil
}

// Load reads a vector file in either format; see [ReadVectors].
func Load(path string) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	defer f.Close()
	return ReadVectors(f, path)
}

// ReadVectors reads vectors in word2vec's text or binary format, telling
// them apart by the first record: text when its line holds a word and
// exactly d numbers. name is used in errors, which give the line (text) or
// the record and byte offset (binary) of the problem: a bad header, a
// wrong count of numbers, a number that does not parse, a file that ends
// before the header's V vectors, a word twice.
//
// The two formats can coincide: a binary file whose first record's 4·d
// bytes all happen to be digits, signs, points or spaces, and end where a
// text line would, is read as text. That takes a vector like 6.4e-10
// (bytes "0000"); with d = 100 it does not happen by chance.
func ReadVectors(r io.Reader, name string) (*Vectors, error) {
	return readVectors(r, name, detect)
}

// The formats readVectors can be told to read.
const (
	detect = iota
	textFormat
	binaryFormat
)

func readVectors(r io.Reader, name string, format int) (*Vectors, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	header, err := br.ReadString('\n')
	if err != nil && !(err == io.EOF && header != "") {
		if err == io.EOF {
			return nil, fmt.Errorf("%w: %s: empty file", ErrFormat, name)
		}
		return nil, fmt.Errorf("word2vec: %s: %w", name, err)
	}
	n, dim, err := parseHeader(header)
	if err != nil {
		return nil, fmt.Errorf("%w: %s:1: %v", ErrFormat, name, err)
	}
	vr := &vectorReader{br: br, name: name, n: n, dim: dim, offset: int64(len(header))}
	if format == textFormat || format == detect && vr.looksLikeText() {
		return vr.readText()
	}
	return vr.readBinary()
}

// maxDim bounds the dimension a header may claim, so that a damaged header
// cannot make the reader allocate gigabytes before it sees the data.
const maxDim = 1 << 20

// parseHeader parses "V d".
func parseHeader(line string) (n, dim int, err error) {
	f := strings.Fields(line)
	if len(f) == 2 {
		n, err1 := strconv.Atoi(f[0])
		dim, err2 := strconv.Atoi(f[1])
		if err1 == nil && err2 == nil && n >= 0 && dim > 0 {
			if dim > maxDim {
				return 0, 0, fmt.Errorf("header %q: dimension %d is larger than %d", strings.TrimRight(line, "\r\n"), dim, maxDim)
			}
			return n, dim, nil
		}
	}
	if len(line) > 40 {
		line = line[:40] + "…"
	}
	hint := ""
	if strings.HasPrefix(line, "\xba\x16\x4f\x2f") { // fastText's model magic, 793712314 little-endian
		hint = " (this is a fastText model; use the .vec file it wrote beside it)"
	}
	return 0, 0, fmt.Errorf("header %q: want \"V d\", the word count and the dimension%s", strings.TrimRight(line, "\r\n"), hint)
}

type vectorReader struct {
	br     *bufio.Reader
	name   string
	n, dim int
	offset int64 // bytes consumed so far (binary errors give it)
	words  []string
	data   []float32
	seen   map[string]int // word → its record, for the duplicate error
}

// looksLikeText reports whether the first record is a text line with a word
// and dim numbers. Binary float32s would have to spell out a new line and
// dim decimal numbers to fool it.
func (vr *vectorReader) looksLikeText() bool {
	if vr.n == 0 {
		return true
	}
	buf, _ := vr.br.Peek(vr.br.Size())
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		i = len(buf) // a one-record file without a final new line
	}
	f := fields(string(buf[:i]))
	if len(f) != vr.dim+1 {
		return false
	}
	for _, s := range f[1:] {
		if _, err := strconv.ParseFloat(s, 32); err != nil {
			return false
		}
	}
	return true
}

// fields splits a text record at spaces, after dropping the line end and
// any trailing space (word2vec.c and fastText end each line with one).
func fields(line string) []string {
	line = strings.TrimRight(line, " \t\r\n")
	f := strings.Split(line, " ")
	out := f[:0]
	for _, s := range f {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (vr *vectorReader) add(word string, where string) error {
	if vr.seen == nil {
		vr.seen = make(map[string]int, min(vr.n, 1<<20))
		vr.words = make([]string, 0, min(vr.n, 1<<20))
		vr.data = make([]float32, 0, min(vr.n, (1<<24)/vr.dim)*vr.dim) // no overflow for any V
	}
	if j, dup := vr.seen[word]; dup {
		return fmt.Errorf("%w: %s: word %q again (first as vector %d)", ErrFormat, where, word, j+1)
	}
	vr.seen[word] = len(vr.words)
	vr.words = append(vr.words, word)
	return nil
}

func (vr *vectorReader) done() (*Vectors, error) {
	v, err := NewVectors(vr.words, vr.dim, vr.data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, vr.name, err)
	}
	return v, nil
}

func (vr *vectorReader) readText() (*Vectors, error) {
	line := 1
	for len(vr.words) < vr.n {
		s, err := vr.br.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("word2vec: %s: %w", vr.name, err)
		}
		if s == "" && err == io.EOF {
			return nil, fmt.Errorf("%w: %s: truncated: the header promises %d vectors, the file ends after %d, on line %d",
				ErrFormat, vr.name, vr.n, len(vr.words), line)
		}
		line++
		where := fmt.Sprintf("%s:%d", vr.name, line)
		f := fields(s)
		if err == io.EOF {
			// Every tool ends each line with a new line; without one the file
			// was cut, perhaps inside a number ("3.000000" cut to "3").
			return nil, fmt.Errorf("%w: %s: truncated: vector %d of %d has %d of %d numbers and no line end",
				ErrFormat, where, len(vr.words)+1, vr.n, max(len(f)-1, 0), vr.dim)
		}
		if len(f) != vr.dim+1 {
			return nil, fmt.Errorf("%w: %s: want a word and %d numbers, got %d fields", ErrFormat, where, vr.dim, len(f))
		}
		if err := vr.add(f[0], where); err != nil {
			return nil, err
		}
		for j, s := range f[1:] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: number %d of %q: %q is not a number", ErrFormat, where, j+1, f[0], s)
			}
			vr.data = append(vr.data, float32(x))
		}
	}
	for {
		s, err := vr.br.ReadString('\n')
		line++
		if strings.TrimSpace(s) != "" {
			return nil, fmt.Errorf("%w: %s:%d: more than the %d vectors of the header", ErrFormat, vr.name, line, vr.n)
		}
		if err == io.EOF {
			return vr.done()
		}
		if err != nil {
			return nil, fmt.Errorf("word2vec: %s: %w", vr.name, err)
		}
	}
}

// maxBinaryWord bounds a word in a binary file, so that a file that is not
// one fails quickly instead of reading its whole length as a word.
const maxBinaryWord = 1 << 16

func (vr *vectorReader) readBinary() (*Vectors, error) {
	buf := make([]byte, 4*vr.dim)
	var word []byte
	for len(vr.words) < vr.n {
		k := len(vr.words) + 1
		start := vr.offset // where the word begins, after any new lines
		truncated := func(what string) error {
			return fmt.Errorf("%w: %s: truncated in %s of vector %d of %d (byte %d); the header promises %d vectors",
				ErrFormat, vr.name, what, k, vr.n, vr.offset, vr.n)
		}
		word = word[:0]
		for {
			b, err := vr.br.ReadByte()
			if err == io.EOF {
				if len(word) == 0 {
					return nil, fmt.Errorf("%w: %s: truncated: the header promises %d vectors, the file ends after %d (byte %d)",
						ErrFormat, vr.name, vr.n, k-1, vr.offset)
				}
				return nil, truncated("the word")
			}
			if err != nil {
				return nil, fmt.Errorf("word2vec: %s: %w", vr.name, err)
			}
			vr.offset++
			if b == ' ' {
				break
			}
			if b == '\n' && len(word) == 0 {
				start = vr.offset
				continue // the end of the previous record (word2vec.c writes it, gensim does not)
			}
			word = append(word, b)
			if len(word) > maxBinaryWord {
				return nil, fmt.Errorf("%w: %s: vector %d (byte %d): no space after %d bytes of word: not a word2vec binary file",
					ErrFormat, vr.name, k, start, maxBinaryWord)
			}
		}
		where := fmt.Sprintf("%s: vector %d (byte %d)", vr.name, k, start)
		if len(word) == 0 {
			return nil, fmt.Errorf("%w: %s: empty word", ErrFormat, where)
		}
		if err := vr.add(string(word), where); err != nil {
			return nil, err
		}
		m, err := io.ReadFull(vr.br, buf)
		vr.offset += int64(m)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, truncated(fmt.Sprintf("the numbers (%d of %d bytes)", m, len(buf)))
		}
		if err != nil {
			return nil, fmt.Errorf("word2vec: %s: %w", vr.name, err)
		}
		for j := 0; j < vr.dim; j++ {
			vr.data = append(vr.data, math.Float32frombits(binary.LittleEndian.Uint32(buf[4*j:])))
		}
	}
	for {
		b, err := vr.br.ReadByte()
		if err == io.EOF {
			return vr.done()
		}
		if err != nil {
			return nil, fmt.Errorf("word2vec: %s: %w", vr.name, err)
		}
		vr.offset++
		if !isSpace(b) {
			return nil, fmt.Errorf("%w: %s: byte %d: more than the %d vectors of the header", ErrFormat, vr.name, vr.offset-1, vr.n)
		}
	}
}
