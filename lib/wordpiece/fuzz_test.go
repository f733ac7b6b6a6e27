package wordpiece

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/seq2go/seq2go/lib/datasets"
)

// fuzzVocabs are the vocabularies FuzzTokenize runs: a GNMT one trained on
// the start of tinyshakespeare (so that the alphabet is known and most text
// made of it round-trips), the talk's, and a small BERT-style one.
var fuzzVocabs = sync.OnceValues(func() ([]*Vocab, error) {
	text, err := datasets.ReadAll("tinyshakespeare")
	if err != nil {
		return nil, err
	}
	gnmt, err := Train(bytes.NewReader(text[:100000]), "tinyshakespeare", TrainConfig{Size: 500})
	if err != nil {
		return nil, err
	}
	vocabs := []*Vocab{gnmt}
	for _, name := range []string{"talk.vocab", "bert-small.vocab"} {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			return nil, err
		}
		v, err := ReadVocab(f, name, Style{})
		f.Close()
		if err != nil {
			return nil, err
		}
		vocabs = append(vocabs, v)
	}
	return vocabs, nil
})

// addGoldenSeeds adds the inputs of testdata/bert.golden to the corpus.
func addGoldenSeeds(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "bert.golden"))
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		quoted, _, _ := strings.Cut(sc.Text(), "\t")
		in, err := strconv.Unquote(quoted)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(in)
	}
}

// FuzzTokenize checks, for every vocabulary and BERT's tokenizer under both
// rules, that tokenising never panics, that every id is in range and names
// the piece returned, that EncodeStrict fails exactly when a word is unknown
// and gives Encode's ids otherwise, and that detokenising gives the
// (normalised) text back when no word was unknown. For BERT it also pins
// the one-pass BasicTokenize to the naive transcription.
func FuzzTokenize(f *testing.F) {
	addGoldenSeeds(f)
	for _, s := range []string{"Jet makers feud over seat width with big orders at stake", "Miki", "a▁b_c ##d", "First Citizen:\nBefore we proceed"} {
		f.Add(s)
	}
	vocabs, err := fuzzVocabs()
	if err != nil {
		f.Fatal(err)
	}
	bert := loadBERT(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, v := range vocabs {
			pieces, ids := v.Tokenize(text), v.Encode(text)
			checkIDs(t, v, text, pieces, ids)
			strict, err := v.EncodeStrict(text)
			checkStrict(t, v, text, ids, strict, err)
			if !containsInt(ids, v.UnknownID()) {
				if got, want := v.Detokenize(pieces), normalize(v, text); got != want {
					t.Fatalf("%v: %q: Detokenize(Tokenize) = %q, want %q", v.Style(), text, got, want)
				}
			}
		}

		for _, rules := range []BERTRules{BERTOriginal, BERTLatest} {
			bert.Rules = rules
			basic := bert.Words(text)
			if naive := naiveBasicTokenize(text, true, rules); strings.Join(basic, "\x00") != strings.Join(naive, "\x00") {
				t.Fatalf("%v: %q: Words = %q, naive %q", rules, text, basic, naive)
			}
			pieces, ids := bert.Tokenize(text), bert.Encode(text)
			checkIDs(t, bert.Vocab, text, pieces, ids)
			strict, err := bert.EncodeStrict(text)
			checkStrict(t, bert.Vocab, text, ids, strict, err)
			if !containsInt(ids, bert.Vocab.UnknownID()) {
				if got, want := bert.Detokenize(pieces), strings.Join(basic, " "); got != want {
					t.Fatalf("BERT %v: %q: Detokenize(Tokenize) = %q, want %q", rules, text, got, want)
				}
			}
		}
		if basic := BasicTokenize(text, true); strings.Join(basic, "\x00") != strings.Join(bert.Words(text), "\x00") && bert.Rules == BERTOriginal {
			t.Fatalf("%q: BasicTokenize differs from Words", text)
		}

		m, err := NewMixedVocab(append([]string{MixedUnknown, "the"}, CharTokens("\u00e9ab")...))
		if err != nil {
			t.Fatal(err)
		}
		if ids := m.Encode(text); !containsInt(ids, m.UnknownID()) {
			if got, want := m.Decode(ids), strings.Join(strings.FieldsFunc(strings.ToValidUTF8(text, "\uFFFD"), isSpace), " "); got != want {
				t.Fatalf("mixed: %q → %q, want %q", text, got, want)
			}
		}
	})
}

func checkIDs(t *testing.T, v *Vocab, text string, pieces []string, ids []int) {
	t.Helper()
	if len(pieces) != len(ids) {
		t.Fatalf("%q: %d pieces, %d ids", text, len(pieces), len(ids))
	}
	for i, id := range ids {
		if id < 0 || id >= v.Size() {
			t.Fatalf("%q: id %d out of range [0, %d)", text, id, v.Size())
		}
		if v.Piece(id) != pieces[i] {
			t.Fatalf("%q: id %d is %q, piece %q", text, id, v.Piece(id), pieces[i])
		}
	}
}

// checkStrict checks EncodeStrict's result against Encode's ids.
func checkStrict(t *testing.T, v *Vocab, text string, ids, strict []int, err error) {
	t.Helper()
	unknown := containsInt(ids, v.UnknownID())
	var se *SegmentError
	switch {
	case unknown && (strict != nil || !errors.As(err, &se)):
		t.Fatalf("%q: EncodeStrict = %v, %v; want a SegmentError (Encode has the unknown id)", text, strict, err)
	case !unknown && (err != nil || !slices.Equal(strict, ids)):
		t.Fatalf("%q: EncodeStrict = %v, %v; want Encode's %v", text, strict, err, ids)
	}
}

func containsInt(list []int, x int) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// FuzzReadVocab checks that reading never panics, and that a vocabulary read
// without error writes and reads back to the same pieces and style.
func FuzzReadVocab(f *testing.F) {
	for _, name := range []string{"talk.vocab", "bert-small.vocab", "spm.vocab"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("<unk>\na\na\n"))
	f.Add([]byte("_J\net\n_makers\n")) // no unknown piece
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ReadVocab(bytes.NewReader(data), "fuzz.vocab", Style{})
		if err != nil {
			if v != nil || !strings.HasPrefix(err.Error(), "wordpiece: ") {
				t.Fatalf("error %v with vocabulary %v", err, v)
			}
			return
		}
		var buf bytes.Buffer
		if _, err := v.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := ReadVocab(&buf, "again.vocab", v.Style())
		if err != nil {
			t.Fatalf("reading back: %v\n%q", err, buf.String())
		}
		if strings.Join(again.Pieces(), "\n") != strings.Join(v.Pieces(), "\n") || again.Style() != v.Style() {
			t.Fatalf("round trip changed the vocabulary:\n%q\n%q", v.Pieces(), again.Pieces())
		}
		for _, id := range v.Encode("Jet makers feud, unaffable ##x ▁y") {
			if (id < 0 || id >= v.Size()) && id != v.UnknownID() { // -1 without an unknown piece
				t.Fatalf("id %d out of range", id)
			}
		}
	})
}
