package wordpiece

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/seq2go/seq2go/lib/datasets"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// bertVocab loads the embedded BERT-Base uncased vocabulary once.
var bertVocab = sync.OnceValues(func() (*Vocab, error) {
	r, err := datasets.Open("bert-wordpiece-vocab")
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return ReadVocab(r, "vocab.txt", Style{})
})

func loadBERT(t testing.TB) *BERTTokenizer {
	t.Helper()
	v, err := bertVocab()
	if err != nil {
		t.Fatal(err)
	}
	return NewBERTTokenizer(v, true)
}

// bertGolden are the inputs of testdata/bert.golden. Each expected line was
// derived by hand from BERT's steps and the ids in vocab.txt (line number −
// 1), then checked against an independent Python transcription of BERT's
// tokenizer running on Python 3.11's str.lower and unicodedata (Unicode 14).
var bertGolden = []string{
	// The vocabulary's own check vectors (its SOURCE.md).
	"unaffable tokenization of Amsterdam hyperparameters",
	"Jet makers feud over seat width with big orders at stake",
	// Accents: lower-case, NFD, drop Mn: café → cafe (7668), naïve → naive (15743).
	"Café naïve",
	"Ångström résumé",
	// Punctuation: every ASCII mark is a word; "it's" → it ' s; "p.m." → p . m .
	"Hello, world! (It's 3:30 p.m.)",
	// Unicode punctuation (category P): — (1517), “ (1523), ” (1524).
	"state-of-the-art — “quotes”",
	// CJK ideographs are words of their own; hiragana is not CJK for BERT:
	// 東 京 は 大 きい, and きい → き ##い.
	"東京は大きい",
	// Controls go (NUL, U+200B is Cf), tab/NBSP/ideographic space separate:
	// "a\x00b\u200bc" is one word, abc (5925).
	"a\x00b\u200bc\td\u00a0tab\u3000end",
	// Final sigma: Python lower-cases ΟΔΟΣ to οδος (ς, not σ).
	"ΟΔΟΣ",
	// A word of 101 characters is unknown; one of 100 is split.
	strings.Repeat("a", 101),
	strings.Repeat("ab", 50),
	// Invalid UTF-8 is dropped, as Python's decode(errors="ignore") does.
	"in\xffvalid",
	// White space only: no pieces.
	" \t\n ",
}

func TestBERTGolden(t *testing.T) {
	tok := loadBERT(t)
	var got strings.Builder
	for _, in := range bertGolden {
		fmt.Fprintf(&got, "%s\t%s\n", strconv.Quote(in), strings.Join(tok.Tokenize(in), " "))
	}
	path := filepath.Join("testdata", "bert.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gotLines, wantLines := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("%d lines, golden has %d (run with -update after adding inputs)", len(gotLines), len(wantLines))
	}
	for i := range gotLines {
		if gotLines[i] != wantLines[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, gotLines[i], wantLines[i])
		}
	}
}

// TestBERTCheckVector is the vocabulary's check vector, spelled out here too
// so that it does not depend on the golden file.
func TestBERTCheckVector(t *testing.T) {
	tok := loadBERT(t)
	in := "unaffable tokenization of Amsterdam hyperparameters"
	want := "una ##ffa ##ble token ##ization of amsterdam hyper ##para ##meter ##s"
	if got := strings.Join(tok.Tokenize(in), " "); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	ids := tok.Encode(in)
	if got := tok.Decode(ids); got != "unaffable tokenization of amsterdam hyperparameters" {
		t.Errorf("Decode = %q", got)
	}
	if ids[0] != 14477 { // "una" is line 14478 of vocab.txt
		t.Errorf("id of una = %d, want 14477", ids[0])
	}
	if v := tok.Vocab; v.Size() != 30522 || v.Piece(v.UnknownID()) != "[UNK]" || v.UnknownID() != 100 {
		t.Errorf("size %d, unknown %q at %d", v.Size(), v.Piece(v.UnknownID()), v.UnknownID())
	}
}

func TestBasicTokenize(t *testing.T) {
	for _, test := range []struct {
		in    string
		lower bool
		want  string
	}{
		{"Hello, World!", true, "hello , world !"},
		{"Hello, World!", false, "Hello , World !"},
		{"Café", false, "Café"}, // accents are stripped only with lower-casing
		{"Café", true, "cafe"},
		{"ΣΑΣ Σ ΑΣ. ΑΣΑ", true, "σας σ ας . ασα"}, // final sigma: after a cased letter, not before one
		{"x$y^z`w", true, "x $ y ^ z ` w"},        // $ ^ ` are ASCII punctuation for BERT, not Unicode P
		{"中文", true, "中 文"},
		{"\uf900\U0002f800", true, "\u8c48 \u4e3d"},      // CJK compatibility ideographs: NFD gives the unified ones
		{"\uf900\U0002f800", false, "\uf900 \U0002f800"}, // but only when lower-casing
		{"a\u2028b", true, "a b"},                        // LINE SEPARATOR survives cleaning and splits, as in Python
		{"a\u0085b", true, "ab"},                         // NEL is a control (Cc): dropped, not a separator
		{"a\vb\fc", true, "abc"},                         // so are VT and FF
		{"\u0301", true, ""},                             // a lone combining mark strips to nothing
		{"İstanbul", true, "istanbul"},
		{"e\u0301", true, "e"},
		{"", true, ""},
	} {
		if got := strings.Join(BasicTokenize(test.in, test.lower), " "); got != test.want {
			t.Errorf("BasicTokenize(%q, %v) = %q, want %q", test.in, test.lower, got, test.want)
		}
		if got := strings.Join(naiveBasicTokenize(test.in, test.lower, BERTOriginal), " "); got != test.want {
			t.Errorf("naiveBasicTokenize(%q, %v) = %q, want %q", test.in, test.lower, got, test.want)
		}
	}
}

// TestBERTRules runs both versions of the reference on what tells them
// apart: a word of 150 characters (split by the latest, unknown to f18bd94's
// limit of 100) and lines holding a private-use (Co) or an unassigned (Cn)
// character (dropped by f18bd94, kept by the latest, whose word then has no
// spelling). Format (Cf) and control (Cc) characters go under both. The
// expected lines match a Python 3.11 transcription of both versions of
// tokenization.py run on the same vocab.txt.
func TestBERTRules(t *testing.T) {
	// Greedy longest match on vocab.txt: "aba" is a piece, then "##ba" is the
	// longest continuation at every odd position, and "##b" ends the word.
	word150 := strings.Repeat("ab", 75)
	splits150 := "aba" + strings.Repeat(" ##ba", 73) + " ##b"
	for _, test := range []struct {
		in, original, latest string
	}{
		{word150, "[UNK]", splits150},
		{"go " + word150 + "!", "go [UNK] !", "go " + splits150 + " !"},
		{strings.Repeat("ab", 101), "[UNK]", "[UNK]"}, // 202 characters: over both limits
		// U+E000 is private use (Co), U+0378 unassigned (Cn), U+200B a format character (Cf).
		{"private use", "private use", "[UNK] use"},
		{"un͸assigned", "una ##ssi ##gned", "[UNK]"},
		{" alone", "alone", "[UNK] alone"},
		{"zero​width bell", "zero ##wi ##dt ##h bell", "zero ##wi ##dt ##h bell"},
	} {
		for _, rules := range []BERTRules{BERTOriginal, BERTLatest} {
			tok := loadBERT(t)
			tok.Rules = rules
			want := map[BERTRules]string{BERTOriginal: test.original, BERTLatest: test.latest}[rules]
			if got := strings.Join(tok.Tokenize(test.in), " "); got != want {
				t.Errorf("%v: Tokenize(%.40q) = %.80q, want %.80q", rules, test.in, got, want)
			}
			if got, naive := tok.Words(test.in), naiveBasicTokenize(test.in, true, rules); strings.Join(got, "\x00") != strings.Join(naive, "\x00") {
				t.Errorf("%v: Words(%.40q) = %q, naive %q", rules, test.in, got, naive)
			}
		}
	}
	for name, want := range map[string]BERTRules{"original": BERTOriginal, "Latest": BERTLatest} {
		if got, err := ParseBERTRules(name); err != nil || got != want {
			t.Errorf("ParseBERTRules(%q) = %v, %v", name, got, err)
		}
	}
	if _, err := ParseBERTRules("2019"); err == nil || !strings.Contains(err.Error(), "original, latest") {
		t.Errorf("ParseBERTRules(2019): %v", err)
	}
	if BERTOriginal.MaxWordChars() != 100 || BERTLatest.MaxWordChars() != 200 || BERTLatest.String() != "latest" {
		t.Errorf("MaxWordChars %d %d, String %v", BERTOriginal.MaxWordChars(), BERTLatest.MaxWordChars(), BERTLatest)
	}
}

// TestBERTRoundTrip checks Detokenize(Tokenize(s)) against the basic words
// on the lines of a text with no unknown words.
func TestBERTRoundTrip(t *testing.T) {
	tok := loadBERT(t)
	text, err := datasets.ReadAll("tinyshakespeare")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(text[:50000])))
	for sc.Scan() {
		line := sc.Text()
		pieces := tok.Tokenize(line)
		if containsString(pieces, "[UNK]") {
			continue
		}
		if got, want := tok.Detokenize(pieces), strings.Join(BasicTokenize(line, true), " "); got != want {
			t.Fatalf("%q:\n got %q\nwant %q", line, got, want)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// naiveBasicTokenize is BERT's BasicTokenizer transcribed step by step, one
// pass per step over the whole text, as in tokenization.py at either
// version. BasicTokenize does all steps in one pass; FuzzTokenize pins it to
// this.
func naiveBasicTokenize(text string, lower bool, rules BERTRules) []string {
	// Python decodes with errors="ignore": invalid bytes vanish.
	var runes []rune
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !(r == utf8.RuneError && size == 1) {
			runes = append(runes, r)
		}
		i += size
	}
	// _clean_text
	var clean []rune
	for _, r := range runes {
		// _is_control: category "C*" at f18bd94, "Cc" or "Cf" at the latest.
		isControl := r != '\t' && r != '\n' && r != '\r' && (unicode.Is(unicode.C, r) || !assigned(r))
		if rules == BERTLatest {
			isControl = r != '\t' && r != '\n' && r != '\r' && unicode.In(r, unicode.Cc, unicode.Cf)
		}
		switch {
		case r == 0 || r == 0xFFFD || isControl:
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || unicode.Is(unicode.Zs, r):
			clean = append(clean, ' ')
		default:
			clean = append(clean, r)
		}
	}
	// _tokenize_chinese_chars
	var spaced []rune
	for _, r := range clean {
		if isCJK(r) {
			spaced = append(spaced, ' ', r, ' ')
		} else {
			spaced = append(spaced, r)
		}
	}
	var split []string
	for _, tok := range strings.FieldsFunc(string(spaced), unicode.IsSpace) {
		if lower {
			tok = stripAccents(lowerPython(tok))
		}
		// _run_split_on_punc
		var cur []rune
		started := false
		for _, r := range tok {
			if isPunct(r) {
				if started {
					split = append(split, string(cur))
				}
				split = append(split, string(r))
				cur, started = nil, false
				continue
			}
			cur, started = append(cur, r), true
		}
		if started {
			split = append(split, string(cur))
		}
	}
	return strings.FieldsFunc(strings.Join(split, " "), unicode.IsSpace)
}
