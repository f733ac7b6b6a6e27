package datasets

import (
	"bufio"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"path"
	"strings"
	"testing"
)

// The size and checksum of tinyshakespeare come from its SOURCE.md, which
// records them for the byte-for-byte copy of char-rnn's input.txt.
const (
	shakespeareSize   = 1115394
	shakespeareSHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
)

func TestTinyShakespeare(t *testing.T) {
	r, err := Open("tinyshakespeare")
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	n, err := io.Copy(h, r) // streams: never holds the whole text
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if n != shakespeareSize {
		t.Errorf("size = %d, want %d", n, shakespeareSize)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != shakespeareSHA256 {
		t.Errorf("sha256 = %s, want %s", got, shakespeareSHA256)
	}
	if src := Source("tinyshakespeare"); !strings.Contains(src, shakespeareSHA256) {
		t.Errorf("SOURCE.md does not record the checksum the test checks")
	}

	all, err := ReadAll("tinyshakespeare")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != shakespeareSize {
		t.Errorf("ReadAll: %d bytes, want %d", len(all), shakespeareSize)
	}
	if !strings.HasPrefix(string(all), "First Citizen:\n") {
		t.Errorf("ReadAll starts %q", all[:20])
	}
}

// TestTatoeba opens both parallel corpora and checks them against the numbers
// their SOURCE.md records: the line count, the md5 of the uncompressed file,
// and the number of tab-separated fields (English, translation, and for
// eng-fra the Tatoeba attribution, which must travel with every line).
func TestTatoeba(t *testing.T) {
	for _, test := range []struct {
		name   string
		lines  int    // "This file: 25,341 pairs" and "4,590 lines" in SOURCE.md
		md5    string // from SOURCE.md
		fields int    // tab-separated fields on every line
		first  string // the first line, as in the source file
	}{
		{
			name:   "tatoeba-eng-nld",
			lines:  25341,
			md5:    "9fb12a680fe91347e4166c608b21f75a",
			fields: 2,
			first:  "Hi.\tHoi.",
		},
		{
			name:   "tatoeba-eng-fra",
			lines:  4590,
			md5:    "559c74b8957161ff56f692ad557a3066",
			fields: 3,
			first:  "Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)",
		},
	} {
		r, err := Open(test.name)
		if err != nil {
			t.Fatal(err)
		}
		h := md5.New()
		sc := bufio.NewScanner(io.TeeReader(r, h))
		n := 0
		for sc.Scan() {
			n++
			line := sc.Text()
			if n == 1 && line != test.first {
				t.Errorf("%s: first line %q, want %q", test.name, line, test.first)
			}
			if got := strings.Count(line, "\t") + 1; got != test.fields {
				t.Errorf("%s:%d: %d fields, want %d", test.name, n, got, test.fields)
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", test.name, err)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		if n != test.lines {
			t.Errorf("%s: %d lines, want %d", test.name, n, test.lines)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != test.md5 {
			t.Errorf("%s: md5 = %s, want %s", test.name, got, test.md5)
		}
		src := Source(test.name)
		for _, want := range []string{test.md5, "CC BY 2.0 FR", "tatoeba.org", "gzip -9 -n"} {
			if !strings.Contains(src, want) {
				t.Errorf("%s: SOURCE.md does not mention %q", test.name, want)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	// The list of known names grows with every corpus; the rest of each
	// message is checked exactly.
	known := "(known: " + strings.Join(Names(), ", ") + ")"
	for _, test := range []struct {
		name, file string // file "" means Open(name)
		want       string
		is         error
	}{
		{name: "x", want: `datasets: unknown dataset "x" ` + known, is: ErrUnknownDataset},
		{name: "", want: `datasets: unknown dataset "" ` + known, is: ErrUnknownDataset},
		{name: "TinyShakespeare", want: `datasets: unknown dataset "TinyShakespeare" ` + known, is: ErrUnknownDataset},
		{name: "x", file: "input.txt", want: `datasets: unknown dataset "x" ` + known, is: ErrUnknownDataset},
		{name: "tinyshakespeare", file: "input.txt.gz", want: `datasets: unknown file "input.txt.gz" in tinyshakespeare (files: input.txt)`, is: ErrUnknownFile},
		{name: "tinyshakespeare", file: "SOURCE.md", want: `datasets: unknown file "SOURCE.md" in tinyshakespeare (files: input.txt)`, is: ErrUnknownFile},
		{name: "tinyshakespeare", file: "../tinyshakespeare/input.txt", want: `datasets: unknown file "../tinyshakespeare/input.txt" in tinyshakespeare (files: input.txt)`, is: ErrUnknownFile},
	} {
		var err error
		if test.file == "" {
			_, err = Open(test.name)
		} else {
			_, err = OpenFile(test.name, test.file)
		}
		if err == nil {
			t.Errorf("Open(%q, %q): no error", test.name, test.file)
			continue
		}
		if err.Error() != test.want {
			t.Errorf("Open(%q, %q):\n got %s\nwant %s", test.name, test.file, err, test.want)
		}
		if !errors.Is(err, test.is) {
			t.Errorf("Open(%q, %q): error does not wrap %v", test.name, test.file, test.is)
		}
	}
	if _, err := ReadAll("x"); !errors.Is(err, ErrUnknownDataset) {
		t.Errorf("ReadAll(x): %v", err)
	}
	if got := Files("x"); got != nil {
		t.Errorf("Files(x) = %q, want nil", got)
	}
	if got := Source("x"); got != "" {
		t.Errorf("Source(x) = %q, want empty", got)
	}
}

// TestTable checks the rules a new corpus must follow: its folder and its
// table row agree, it has a SOURCE.md that states a licence, its main file is
// one of its files, and every file was compressed with gzip -n (no name and no
// time stamp in the header, so the committed bytes are reproducible) and
// decompresses with a good CRC.
func TestTable(t *testing.T) {
	names := Names()
	entries, err := store.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var folders []string
	for _, e := range entries {
		folders = append(folders, e.Name())
	}
	if strings.Join(folders, " ") != strings.Join(names, " ") {
		t.Errorf("embedded folders %q differ from the table %q", folders, names)
	}
	for _, d := range table {
		src := Source(d.name)
		if lower := strings.ToLower(src); !strings.Contains(lower, "licen") {
			t.Errorf("%s: SOURCE.md does not mention the licence", d.name)
		}
		files := Files(d.name)
		if !contains(files, d.main) {
			t.Errorf("%s: main file %q not among %q", d.name, d.main, files)
		}
		for _, file := range files {
			checkGzip(t, path.Join(d.name, file+gzSuffix))
		}
	}
}

func checkGzip(t *testing.T, p string) {
	t.Helper()
	f, err := store.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("%s: gzip header has name %q and time %v; compress with gzip -9 -n", p, zr.Name, zr.ModTime)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		t.Errorf("%s: %v", p, err)
	}
}

func TestFilesAndSource(t *testing.T) {
	if got := strings.Join(Files("tinyshakespeare"), " "); got != "input.txt" {
		t.Errorf("Files = %q", got)
	}
	src := Source("tinyshakespeare")
	for _, want := range []string{"public domain", "License", "karpathy/char-rnn", "gzip"} {
		if !strings.Contains(src, want) {
			t.Errorf("Source does not mention %q", want)
		}
	}
}

// TestOpenFileStreams reads in small pieces to check that the reader streams
// and that Close can be called before EOF.
func TestOpenFileStreams(t *testing.T) {
	r, err := OpenFile("tinyshakespeare", "input.txt")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 14)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	if string(buf) != "First Citizen:" {
		t.Errorf("first bytes %q", buf)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close before EOF: %v", err)
	}
}

func BenchmarkOpen(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		r, err := Open("tinyshakespeare")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
	b.ReportMetric(float64(b.N*shakespeareSize)/b.Elapsed().Seconds()/1e6, "MB/s")
}

// TestBabi reads the 20 bAbI train files in name order and checks the md5 of
// their concatenation, and the line and question counts, against SOURCE.md.
func TestBabi(t *testing.T) {
	const (
		name     = "babi-en-v1.2"
		md5All   = "56e5cd17a5f0eef251cd202b22695289" // cat *_train.txt | md5sum, SOURCE.md
		lines    = 86362                              // "86,362 lines"
		question = 20000                              // 1,000 a task
	)
	h := md5.New()
	var nLines, nQuestions, nFiles int
	for _, file := range Files(name) {
		if !strings.HasSuffix(file, "_train.txt") {
			continue
		}
		nFiles++
		r, err := OpenFile(name, file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(io.TeeReader(r, h))
		for sc.Scan() {
			nLines++
			if strings.Contains(sc.Text(), "\t") {
				nQuestions++
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	if nFiles != 20 || nLines != lines || nQuestions != question {
		t.Errorf("%d files, %d lines, %d questions; want 20, %d, %d", nFiles, nLines, nQuestions, lines, question)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != md5All {
		t.Errorf("md5 = %s, want %s", got, md5All)
	}
	for _, want := range []string{md5All, "CC BY 3.0", "Weston", "gzip -9 -n"} {
		if !strings.Contains(Source(name), want) {
			t.Errorf("SOURCE.md does not mention %q", want)
		}
	}
}
