package word2vec

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/seq2go/seq2go/lib/datasets"
)

// Split says how a [Corpus] cuts its text into words and sentences.
type Split int

const (
	// SplitSpace takes words as they are between white space, and a new
	// line ends a sentence: word2vec.c's reader, and the layout fastText and
	// gensim's LineSentence read. Use it for text that is already tokenised.
	SplitSpace Split = iota
	// SplitLetters lower-cases the text and takes each run of letters as a
	// word, so "Don't!" gives "don" and "t"; digits and punctuation only
	// separate. A blank line (a paragraph break) ends a sentence. Use it for
	// raw prose such as the embedded gutenberg-en novels.
	SplitLetters
)

func (s Split) String() string {
	switch s {
	case SplitSpace:
		return "space"
	case SplitLetters:
		return "letters"
	}
	return fmt.Sprintf("Split(%d)", int(s))
}

// MaxSentence is the longest sentence training sees at once: a longer one
// is cut into pieces of this many words, as word2vec.c's
// MAX_SENTENCE_LENGTH does. The window never crosses a sentence end.
const MaxSentence = 1000

// MaxWordBytes is the longest word kept: longer words are cut to this many
// bytes (at a character boundary), as word2vec.c's MAX_STRING does.
const MaxWordBytes = 100

// A Corpus is training text that can be read from the start more than
// once, and in parts: training streams it from its source once to count the
// words, then once per epoch, each goroutine reading only its share of the
// bytes. No words are held in memory.
type Corpus struct {
	name  string
	split Split
	open  func() (io.ReadCloser, error)
	// seek, when not nil, opens the source at a byte offset directly (a
	// plain file); otherwise a part is reached by reading and discarding.
	seek func(offset int64) (io.ReadCloser, error)
}

// NewFileCorpus returns the text file at path, read with split. A name
// ending in .gz is decompressed as it is read.
func NewFileCorpus(path string, split Split) *Corpus {
	c := &Corpus{name: path, split: split}
	if strings.HasSuffix(path, ".gz") {
		c.open = func() (io.ReadCloser, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			zr, err := gzip.NewReader(f)
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return readCloser{zr, func() error { zr.Close(); return f.Close() }}, nil
		}
		return c
	}
	c.open = func() (io.ReadCloser, error) { return os.Open(path) }
	c.seek = func(offset int64) (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			f.Close()
			return nil, err
		}
		return f, nil
	}
	return c
}

// NewTextCorpus returns a corpus over text held in memory: for examples,
// tests and small experiments.
func NewTextCorpus(text string, split Split) *Corpus {
	return &Corpus{
		name:  "text",
		split: split,
		open:  func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil },
		seek: func(offset int64) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(text[offset:])), nil
		},
	}
}

// NewDatasetCorpus returns files of an embedded corpus of lib/datasets,
// one after another with a paragraph break between them, read with
// [SplitLetters] and decompressed as they are read. With no files it
// returns all of the corpus's files in sorted order:
//
//	NewDatasetCorpus("gutenberg-en")                           // ten novels, 1.5M words
//	NewDatasetCorpus("gutenberg-en", "pg11.txt", "pg1342.txt") // Alice and Pride and Prejudice
func NewDatasetCorpus(name string, files ...string) (*Corpus, error) {
	all := datasets.Files(name)
	if all == nil {
		_, err := datasets.Open(name) // for the error that lists the known names
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	if len(files) == 0 {
		files = all
	}
	for _, f := range files {
		r, err := datasets.OpenFile(name, f)
		if err != nil {
			return nil, fmt.Errorf("word2vec: %w", err)
		}
		r.Close()
	}
	files = append([]string(nil), files...)
	label := name
	if len(files) < len(all) {
		label = name + "/" + strings.Join(files, ",")
	}
	return &Corpus{name: label, split: SplitLetters, open: func() (io.ReadCloser, error) {
		return &datasetReader{name: name, files: files}, nil
	}}, nil
}

// Name is the corpus's name in messages: a path, a dataset, or "text".
func (c *Corpus) Name() string { return c.name }

// Split is how the corpus cuts text into words.
func (c *Corpus) Split() Split { return c.split }

// datasetReader streams files of an embedded dataset one after another,
// opening each when the previous one ends, with "\n\n" between them so
// that the last word of a book and the first of the next are not joined.
type datasetReader struct {
	name  string
	files []string
	cur   io.ReadCloser
	sep   bool // the separator is due before the next file
}

func (d *datasetReader) Read(p []byte) (int, error) {
	for {
		if d.cur != nil {
			n, err := d.cur.Read(p)
			if err == io.EOF {
				d.cur.Close()
				d.cur, d.sep = nil, true
				err = nil
			}
			if n > 0 || err != nil {
				return n, err
			}
			continue
		}
		if len(d.files) == 0 {
			return 0, io.EOF
		}
		if d.sep && len(p) >= 2 {
			d.sep = false
			return copy(p, "\n\n"), nil
		}
		r, err := datasets.OpenFile(d.name, d.files[0])
		if err != nil {
			return 0, err
		}
		d.cur, d.files = r, d.files[1:]
	}
}

func (d *datasetReader) Close() error {
	if d.cur != nil {
		return d.cur.Close()
	}
	return nil
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// openPart returns a reader positioned at byte offset start of the corpus.
func (c *Corpus) openAt(start int64) (io.ReadCloser, error) {
	if c.seek != nil {
		return c.seek(start)
	}
	r, err := c.open()
	if err != nil {
		return nil, err
	}
	if _, err := io.CopyN(io.Discard, r, start); err != nil {
		r.Close()
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // the source shrank since it was counted
		}
		return nil, fmt.Errorf("%s: %w", c.name, err)
	}
	return r, nil
}

// errShortRead is returned when a part ends before its byte range does.
var errShortRead = errors.New("corpus changed while training")

// wordReader cuts a byte stream into words and sentence ends. It reads the
// bytes [start, end) of the corpus, with the convention that makes the
// parts of a corpus partition its words exactly: a part begins after the
// first white-space byte at or after start (or at 0), and ends after the
// first white-space byte at or after end−1. White space here is ASCII, so
// the boundary never falls inside a UTF-8 character.
type wordReader struct {
	r     *bufio.Reader
	split Split
	pos   int64 // offset of the next byte r returns
	end   int64 // stop after a white-space byte at ≥ end−1; <0: read to EOF
	word  []byte
	nl    int  // SplitLetters: new lines since the last byte that is not white space
	atEOS bool // a sentence end is due before the next word
	cut   bool // the word reached MaxWordBytes; the rest of it is dropped
	done  bool
}

// newWordReader reads the part [start, end) of a corpus (to EOF when end < 0)
// from r, which begins at offset start−1 when start > 0 (the byte before the
// part decides whether a word straddles the boundary) and at 0 otherwise.
func newWordReader(r io.Reader, split Split, start, end int64) *wordReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	w := &wordReader{r: br, split: split, pos: start, end: end, word: make([]byte, 0, 4*MaxWordBytes)}
	if start > 0 {
		w.pos = start - 1
		for {
			b, err := w.r.ReadByte()
			if err != nil {
				w.done = true
				break
			}
			w.pos++
			if isSpace(b) {
				break
			}
		}
		// The first word starts at or after end: it is the next part's.
		if w.end >= 0 && w.pos >= w.end {
			w.done = true
		}
	}
	return w
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\v' || b == '\f'
}

// next returns the next word, or eos = true at a sentence end. The word is
// valid until the next call. At the end of the part it returns io.EOF.
func (w *wordReader) next() (word []byte, eos bool, err error) {
	if w.atEOS {
		w.atEOS = false
		return nil, true, nil
	}
	w.word, w.cut = w.word[:0], false
	if w.done {
		return nil, false, io.EOF
	}
	for {
		b, err := w.r.ReadByte()
		if err != nil {
			w.done = true
			if err != io.EOF {
				return nil, false, err
			}
			if w.end >= 0 && w.pos < w.end {
				return nil, false, errShortRead
			}
			if len(w.word) > 0 {
				return w.word, false, nil
			}
			return nil, false, io.EOF
		}
		w.pos++
		if isSpace(b) {
			last := w.end >= 0 && w.pos >= w.end // this byte is at ≥ end−1
			if last {
				w.done = true
			}
			sentenceEnd := false
			if b == '\n' {
				if w.split == SplitSpace {
					sentenceEnd = true
				} else if w.nl++; w.nl == 2 {
					sentenceEnd = true // a blank line; more new lines add nothing
				}
			}
			if len(w.word) > 0 {
				w.atEOS = sentenceEnd
				return w.word, false, nil
			}
			if sentenceEnd {
				return nil, true, nil
			}
			if last {
				return nil, false, io.EOF
			}
			continue
		}
		if w.split == SplitSpace {
			w.add(b)
			continue
		}
		// SplitLetters.
		if b < utf8.RuneSelf {
			switch {
			case 'a' <= b && b <= 'z':
			case 'A' <= b && b <= 'Z':
				b += 'a' - 'A'
			default:
				w.nl = 0 // a line with punctuation is not blank
				if len(w.word) > 0 {
					return w.word, false, nil
				}
				continue
			}
			w.nl = 0
			w.add(b)
			continue
		}
		// A multi-byte character: gather its bytes and decode it.
		var buf [utf8.UTFMax]byte
		buf[0] = b
		n := 1
		for n < utf8.UTFMax && !utf8.FullRune(buf[:n]) {
			c, err := w.r.ReadByte()
			if err != nil {
				break
			}
			if c < 0x80 || c >= 0xC0 { // not a continuation byte: leave it
				w.r.UnreadByte()
				break
			}
			w.pos++
			buf[n] = c
			n++
		}
		r, _ := utf8.DecodeRune(buf[:n])
		w.nl = 0
		if !unicode.IsLetter(r) {
			if len(w.word) > 0 {
				return w.word, false, nil
			}
			continue
		}
		var lower [utf8.UTFMax]byte
		for _, c := range lower[:utf8.EncodeRune(lower[:], unicode.ToLower(r))] {
			w.add(c)
		}
	}
}

// add appends a byte to the word unless the word is full. When it fills up,
// a character cut in two is dropped.
func (w *wordReader) add(b byte) {
	if w.cut {
		return
	}
	if len(w.word) < MaxWordBytes {
		w.word = append(w.word, b)
		return
	}
	w.cut = true
	w.word = trimPartialRune(w.word)
}

// trimPartialRune drops an incomplete UTF-8 character from the end of a
// word cut at MaxWordBytes.
func trimPartialRune(word []byte) []byte {
	for i := len(word) - 1; i >= 0 && i >= len(word)-utf8.UTFMax; i-- {
		if utf8.RuneStart(word[i]) {
			if !utf8.FullRune(word[i:]) {
				return word[:i]
			}
			break
		}
	}
	return word
}
