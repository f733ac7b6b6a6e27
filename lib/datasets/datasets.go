package datasets

import (
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// store holds every corpus: its SOURCE.md and its gzip-compressed files. The
// patterns are deliberately general, so that a new corpus needs no new line
// here, only a folder and a table entry.
//
//go:embed */SOURCE.md */*.gz
var store embed.FS

// dataset is one row of the table: a corpus and the file Open returns.
type dataset struct {
	name string // the folder name, and the name users pass to Open
	main string // the main file, named without its .gz suffix
}

// table lists the corpora, sorted by name. Add a row here when you add a folder.
var table = []dataset{
	{name: "babi-en-v1.2", main: "qa1_single-supporting-fact_train.txt"}, // the 20 tasks' train files; data.ReadBabi
	{name: "bert-wordpiece-vocab", main: "vocab.txt"},
	{name: "co2-mauna-loa-monthly", main: "co2-concentration.csv"}, // Date,CO2,adjusted CO2; five months missing
	{name: "dialog-babi", main: "dialog-babi-task1trn.txt"},        // Dialog bAbI tasks 1–4, candidates, knowledge base
	{name: "dialog-babi-task5", main: "dialog-babi-task5trn.txt"},  // task 5: full dialogs
	{name: "dialog-babi-task6", main: "dialog-babi-task6trn.txt"},  // task 6: DSTC2, own candidates
	{name: "gutenberg-en", main: "pg1342.txt"},                     // ten novels; word2vec.NewDatasetCorpus reads them all
	{name: "tatoeba-eng-fra", main: "eng-fra.txt"},                 // English<TAB>French<TAB>attribution
	{name: "tatoeba-eng-nld", main: "eng-nld.txt"},                 // English<TAB>Dutch
	{name: "tinyshakespeare", main: "input.txt"},
	{name: "topical-chat", main: "valid_freq.json"},               // Topical-Chat's two validation files (CDLA-Sharing-1.0)
	{name: "ud-english-ewt", main: "en_ewt-ud-train.slim.conllu"}, // and en_ewt-ud-dev.conllu, LICENSE.txt
	{name: "weather-seattle-nyc-daily", main: "weather.csv"},
	{name: "word2vec-analogies", main: "questions-words.txt"},
}

// gzSuffix marks a compressed data file in the store.
const gzSuffix = ".gz"

// sourceFile is the name of the attribution file in every corpus folder.
const sourceFile = "SOURCE.md"

// ErrUnknownDataset is wrapped by the error for a name that is not in [Names].
var ErrUnknownDataset = errors.New("datasets: unknown dataset")

// ErrUnknownFile is wrapped by the error for a file that is not in [Files].
var ErrUnknownFile = errors.New("datasets: unknown file")

// Names returns the names of the embedded corpora in sorted order.
func Names() []string {
	names := make([]string, len(table))
	for i, d := range table {
		names[i] = d.name
	}
	sort.Strings(names)
	return names
}

// lookup finds a corpus by name. Its error lists the known names, so a typo
// at the REPL is fixed without reaching for the docs.
func lookup(name string) (dataset, error) {
	for _, d := range table {
		if d.name == name {
			return d, nil
		}
	}
	return dataset{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownDataset, name, strings.Join(Names(), ", "))
}

// Files returns the files of the named corpus, without their .gz suffix, in
// sorted order; nil if the name is unknown. Any of them can be passed to
// [OpenFile].
func Files(name string) []string {
	d, err := lookup(name)
	if err != nil {
		return nil
	}
	entries, err := store.ReadDir(d.name)
	if err != nil {
		// The table names a folder that is not embedded; TestTable catches it.
		return nil
	}
	var files []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && strings.HasSuffix(n, gzSuffix) {
			files = append(files, strings.TrimSuffix(n, gzSuffix))
		}
	}
	// Sort again: ReadDir's order is by stored name, and trimming ".gz" can
	// change it ("a.b.gz" < "a.gz" but "a" < "a.b").
	sort.Strings(files)
	return files
}

// Source returns the SOURCE.md of the named corpus: its origin, checksum and
// licence. It returns "" if the name is unknown.
func Source(name string) string {
	d, err := lookup(name)
	if err != nil {
		return ""
	}
	b, err := store.ReadFile(path.Join(d.name, sourceFile))
	if err != nil {
		return ""
	}
	return string(b)
}

// Open returns the main file of the named corpus, decompressed as it is read.
// The caller must Close it. Open("tinyshakespeare") yields the 1,115,394
// bytes of char-rnn's input.txt.
func Open(name string) (io.ReadCloser, error) {
	d, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return OpenFile(name, d.main)
}

// OpenFile returns one file of the named corpus, decompressed as it is read.
// file is one of [Files](name), named without the .gz suffix. The caller must
// Close it. The gzip trailer's CRC-32 is checked when the reader reaches EOF,
// so a damaged copy fails with an error rather than yielding wrong text.
func OpenFile(name, file string) (io.ReadCloser, error) {
	d, err := lookup(name)
	if err != nil {
		return nil, err
	}
	files := Files(name)
	if !contains(files, file) {
		return nil, fmt.Errorf("%w %q in %s (files: %s)", ErrUnknownFile, file, name, strings.Join(files, ", "))
	}
	p := path.Join(d.name, file+gzSuffix)
	f, err := store.Open(p)
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", p, err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("datasets: %s: %w", p, err)
	}
	return &gzFile{zr: zr, f: f, path: p}, nil
}

// ReadAll returns the whole main file of the named corpus, decompressed.
func ReadAll(name string) ([]byte, error) {
	r, err := Open(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// gzFile streams a decompressed embedded file and closes both layers.
type gzFile struct {
	zr   *gzip.Reader
	f    fs.File
	path string // for error messages: "tinyshakespeare/input.txt.gz"
}

// Read decompresses into p. Errors other than io.EOF name the file.
func (g *gzFile) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("datasets: %s: %w", g.path, err)
	}
	return n, err
}

// Close releases the decompressor and the embedded file.
func (g *gzFile) Close() error {
	err := g.zr.Close()
	if ferr := g.f.Close(); err == nil {
		err = ferr
	}
	return err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
