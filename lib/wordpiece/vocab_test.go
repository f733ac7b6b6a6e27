package wordpiece

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// The talk's appendix slide: with a vocabulary holding those pieces, the
// sentence segments exactly as GNMT's wordpiece model printed it.
func TestTalkExample(t *testing.T) {
	pieces := strings.Fields("<unk> _J et _makers _fe ud _over _seat _width _with _big _orders _at _stake")
	v, err := NewVocab(pieces, Talk)
	if err != nil {
		t.Fatal(err)
	}
	const sentence = "Jet makers feud over seat width with big orders at stake"
	const want = "_J et _makers _fe ud _over _seat _width _with _big _orders _at _stake"
	if got := strings.Join(v.Tokenize(sentence), " "); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := v.Decode(v.Encode(sentence)); got != sentence {
		t.Errorf("Decode(Encode) = %q", got)
	}
	// The same vocabulary in sentencepiece's spelling segments the same way.
	for i := range pieces {
		pieces[i] = strings.Replace(pieces[i], "_", GNMT.Marker, 1)
	}
	v, err = NewVocab(pieces, GNMT)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(v.Tokenize(sentence), " "); got != strings.ReplaceAll(want, "_", "▁") {
		t.Errorf("GNMT marker: got %s", got)
	}
}

func TestGreedyLongestMatch(t *testing.T) {
	for _, test := range []struct {
		style  Style
		pieces string
		in     string
		want   string
	}{
		// Greedy, not optimal: ▁Je wins over ▁J even though "t" then has to
		// follow, and a dead end makes the whole word unknown.
		{GNMT, "<unk> ▁J ▁Je et t", "Jet", "▁Je t"},
		{GNMT, "<unk> ▁J ▁Je et", "Jet", "<unk>"},
		// The lone marker starts a word none of whose prefixes is a start piece.
		{GNMT, "<unk> ▁ J e t", "Jet", "▁ J e t"},
		{GNMT, "<unk> ▁a ▁b b", "a_b a▁b", "<unk> ▁a ▁b"}, // ▁ in the text separates words
		{Talk, "<unk> _a _b b", "a_b ab", "_a _b _a b"},   // and so does the talk's _
		{BERT, "[UNK] un ##aff ##able una ##ffa ##ble", "unaffable", "una ##ffa ##ble"},
		{BERT, "[UNK] # ##a ###", "#a ##", "# ##a # ###"},
		{BERT, "[UNK] a ##b", "ab ba", "a ##b [UNK]"},
		// Special pieces never match text.
		{GNMT, "<unk> <s> ▁< s >", "<s>", "▁< s >"},
		{BERT, "[UNK] [CLS] [ ##cls ##]", "[cls]", "[ ##cls ##]"},
		{GNMT, "<unk> ▁a", "  a\t\na  ", "▁a ▁a"},
		{GNMT, "<unk> ▁a", "", ""},
	} {
		v, err := NewVocab(strings.Fields(test.pieces), test.style)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(v.Tokenize(test.in), " "); got != test.want {
			t.Errorf("%v %q: Tokenize(%q) = %q, want %q", test.style, test.pieces, test.in, got, test.want)
		}
	}
}

func TestMaxWordChars(t *testing.T) {
	v, err := NewVocab([]string{"<unk>", "▁é", "é"}, GNMT)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", MaxWordChars) // 100 characters, 200 bytes: still split
	if got := v.Tokenize(long); len(got) != MaxWordChars || got[0] != "▁é" {
		t.Errorf("%d-character word: %d pieces", MaxWordChars, len(got))
	}
	if got := v.Tokenize(long + "é"); len(got) != 1 || got[0] != "<unk>" {
		t.Errorf("%d-character word: %q, want <unk>", MaxWordChars+1, got)
	}
}

// TestNoUnknownPiece: the talk's thirteen pieces, without <unk>, are a whole
// vocabulary for its sentence; only a word they cannot spell is an error.
func TestNoUnknownPiece(t *testing.T) {
	v, err := NewVocab(strings.Fields("_J et _makers _fe ud _over _seat _width _with _big _orders _at _stake"), Talk)
	if err != nil {
		t.Fatal(err)
	}
	if v.UnknownID() != -1 {
		t.Errorf("UnknownID = %d, want -1", v.UnknownID())
	}
	const sentence = "Jet makers feud over seat width with big orders at stake"
	ids, err := v.EncodeStrict(sentence)
	if err != nil || v.Decode(ids) != sentence || len(ids) != 13 || ids[0] != 0 {
		t.Errorf("EncodeStrict(%q) = %v, %v", sentence, ids, err)
	}
	for _, test := range []struct {
		in, want string
	}{
		{"Jet makers feud Jets", `wordpiece: cannot segment "Jets": no piece matches "s" (character 4)`},
		{"over x", `wordpiece: cannot segment "x": no piece matches "x" (character 1)`},
		{"J" + strings.Repeat("et", 50), `wordpiece: cannot segment "` + "J" + strings.Repeat("et", 50) + `": longer than 100 characters`},
	} {
		ids, err := v.EncodeStrict(test.in)
		var se *SegmentError
		if ids != nil || !errors.As(err, &se) || err.Error() != test.want {
			t.Errorf("EncodeStrict(%.30q) = %v, %v\nwant error %s", test.in, ids, err, test.want)
		}
	}
	// Without strictness the unknown word is -1 and the style's unknown piece.
	if got := v.Encode("Jets over"); len(got) != 2 || got[0] != -1 || got[1] != 5 {
		t.Errorf("Encode = %v, want [-1 5]", got)
	}
	if got := strings.Join(v.Tokenize("Jets over"), " "); got != "<unk> _over" {
		t.Errorf("Tokenize = %q", got)
	}
	// A vocabulary with an unknown piece reports the same words.
	withUnk, err := NewVocab(append([]string{"<unk>"}, v.Pieces()...), Talk)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := withUnk.EncodeStrict("Jets"); err == nil {
		t.Error("EncodeStrict with <unk>: no error for Jets")
	}
}

func TestDetokenize(t *testing.T) {
	for _, test := range []struct {
		style  Style
		pieces string
		want   string
	}{
		{GNMT, "▁J et ▁makers", "Jet makers"},
		{GNMT, "et ▁J", "et J"}, // a leading continuation is kept
		{GNMT, "▁ J e t ▁<unk> <unk> ▁x", "Jet <unk> <unk> x"},
		{BERT, "j ##et makers [UNK] ##s", "jet makers [UNK]s"},
		{BERT, "[CLS] hello [SEP]", "[CLS] hello [SEP]"},
		{BERT, "## ###", "###"}, // "##" alone is a word of two '#', "###" continues with one
	} {
		v, err := NewVocab([]string{test.style.Unknown}, test.style)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Detokenize(strings.Fields(test.pieces)); got != test.want {
			t.Errorf("%v: Detokenize(%s) = %q, want %q", test.style, test.pieces, got, test.want)
		}
	}
}

func TestVocabErrors(t *testing.T) {
	for _, test := range []struct {
		file, want string
	}{
		{"", `wordpiece: vocab.txt: empty file: want one piece per line`},
		{"<unk>\na\nb\na\n", `wordpiece: vocab.txt:4: duplicate piece "a" (also vocab.txt:2)`},
		{"<unk>\na\n\nb\n", `wordpiece: vocab.txt:3: empty piece`},
		{"<unk>\na b\n", `wordpiece: vocab.txt:2: piece "a b" contains white space`},
		{"<unk>\na\xffb\n", `wordpiece: vocab.txt:2: piece "a\xffb" is not valid UTF-8`},
		{"<unk>\n" + strings.Repeat("x", 2<<20) + "\n", `wordpiece: vocab.txt:2: bufio.Scanner: token too long`},
	} {
		_, err := ReadVocab(strings.NewReader(test.file), "vocab.txt", GNMT)
		if err == nil || err.Error() != test.want {
			t.Errorf("ReadVocab(%.20q):\n got %v\nwant %s", test.file, err, test.want)
		}
	}
	if _, err := NewVocab([]string{"<unk>", "a", "a"}, GNMT); err == nil || err.Error() != `wordpiece: piece 2: duplicate piece "a" (also piece 1)` {
		t.Errorf("NewVocab duplicate: %v", err)
	}
	if _, err := NewVocab(nil, GNMT); err == nil {
		t.Error("NewVocab(nil): no error")
	}
}

func TestReadVocab(t *testing.T) {
	// sentencepiece's .vocab layout, CRLF line ends and stray spaces.
	v, err := ReadVocab(strings.NewReader("<unk>\t0\r\n<s>\t0\n ▁the\t-3.1 \n▁a\t-4\nb\t-5\n"), "m.vocab", Style{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Style() != GNMT || v.Size() != 5 || v.ID("▁the") != 2 || v.ID("nope") != -1 || v.UnknownID() != 0 {
		t.Errorf("style %v size %d id(▁the) %d", v.Style(), v.Size(), v.ID("▁the"))
	}
	var buf bytes.Buffer
	if _, err := v.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "<unk>\n<s>\n▁the\n▁a\nb\n" {
		t.Errorf("WriteTo = %q", got)
	}
	for _, test := range []struct {
		pieces string
		want   Style
	}{
		{"[UNK] a ##b ##c ▁d", BERT},
		{"<unk> ▁a b c", GNMT},
		{"<unk> _a _b c", Talk},
		{"<unk> a b", GNMT},
	} {
		if got := DetectStyle(strings.Fields(test.pieces)); got != test.want {
			t.Errorf("DetectStyle(%s) = %v, want %v", test.pieces, got, test.want)
		}
	}
}

// naiveEncodeWord is BERT's WordpieceTokenizer loop for one word, written as
// in tokenization.py over a map of piece strings, with GNMT's marker in the
// place of BERT's: the reference for the trie. Unlike BERT's loop it takes
// the first piece only among word starts (so "##a" is not a first piece) and
// never matches a special piece.
func naiveEncodeWord(v *Vocab, word string) []string {
	runes := []rune(word)
	unk := []string{v.pieces[v.unk]}
	if len(runes) > MaxWordChars {
		return unk
	}
	// piece returns the piece for runes[i:j] at the start of the word or
	// inside it, or "".
	piece := func(i, j int, start bool) string {
		text := string(runes[i:j])
		p := v.style.mark(text, start)
		id, ok := v.ids[p]
		if t, s := v.style.strip(p); !ok || v.special[id] || t != text || s != start {
			return ""
		}
		return p
	}
	var out []string
	pos := len(runes)
	for ; pos >= 0; pos-- { // pos 0: GNMT's lone marker
		if p := piece(0, pos, true); p != "" {
			out = append(out, p)
			break
		}
	}
	if pos < 0 {
		return unk
	}
	for pos < len(runes) {
		end := len(runes)
		for ; end > pos; end-- {
			if p := piece(pos, end, false); p != "" {
				out = append(out, p)
				break
			}
		}
		if end == pos {
			return unk
		}
		pos = end
	}
	return out
}

// TestTrieMatchesNaive pins the trie to the naive loop on random words over
// a small alphabet, where many prefixes are pieces and many are not.
func TestTrieMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	alphabet := []rune("abcé東")
	word := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	for _, style := range []Style{GNMT, BERT} {
		for trial := 0; trial < 20; trial++ {
			set := map[string]bool{style.Unknown: true}
			pieces := []string{style.Unknown}
			if style.WordStart && trial%2 == 0 {
				set[style.Marker] = true
				pieces = append(pieces, style.Marker)
			}
			for len(pieces) < 40 {
				p := style.mark(word(1+rng.IntN(4)), rng.IntN(2) == 0)
				if !set[p] {
					set[p] = true
					pieces = append(pieces, p)
				}
			}
			v, err := NewVocab(pieces, style)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 200; i++ {
				w := word(1 + rng.IntN(8))
				got := strings.Join(v.Tokenize(w), " ")
				want := strings.Join(naiveEncodeWord(v, w), " ")
				if got != want {
					t.Fatalf("%v %q: %q → %q, naive %q", style, pieces, w, got, want)
				}
				if got != v.pieces[v.unk] {
					if back := v.Detokenize(v.Tokenize(w)); back != w {
						t.Fatalf("%v: Detokenize(Tokenize(%q)) = %q", style, w, back)
					}
				}
			}
		}
	}
}

// normalize is what Detokenize(Tokenize(text)) gives for text without
// unknown words: invalid UTF-8 as U+FFFD, words split at white space (and the
// marker in a word-start style) and joined by one space.
func normalize(v *Vocab, text string) string {
	text = strings.ToValidUTF8(text, string(utf8.RuneError))
	if v.style.WordStart {
		text = strings.ReplaceAll(text, v.style.Marker, " ")
	}
	return strings.Join(strings.FieldsFunc(text, isSpace), " ")
}

func TestVocabAccessors(t *testing.T) {
	v, err := NewVocab([]string{"[PAD]", "[unk]", "a", "##b"}, BERT)
	if err != nil {
		t.Fatal(err)
	}
	if v.UnknownID() != 1 || v.Style().Unknown != "[unk]" {
		t.Errorf("unknown %d %q: want the case-insensitive match [unk]", v.UnknownID(), v.Style().Unknown)
	}
	if got := v.Pieces(); strings.Join(got, " ") != "[PAD] [unk] a ##b" {
		t.Errorf("Pieces = %q", got)
	}
	p := v.Pieces()
	p[0] = "changed"
	if v.Piece(0) != "[PAD]" {
		t.Error("Pieces shares memory with the vocabulary")
	}
	if got := v.Encode("ab b"); len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 1 {
		t.Errorf("Encode = %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Decode of an id out of range did not panic")
		}
	}()
	v.Decode([]int{4})
}

func TestBadStylePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	NewVocab([]string{"a"}, Style{Marker: "", Unknown: "a"})
}

func TestParse(t *testing.T) {
	for name, want := range map[string]Style{"gnmt": GNMT, "BERT": BERT, "talk": Talk} {
		if got, err := ParseStyle(name); err != nil || got != want {
			t.Errorf("ParseStyle(%q) = %v, %v", name, got, err)
		}
	}
	if _, err := ParseStyle("spm"); err == nil {
		t.Error("ParseStyle(spm): no error")
	}
	for name, want := range map[string]Algorithm{"bpe": BPE, "wordpiece": Likelihood, "likelihood": Likelihood} {
		if got, err := ParseAlgorithm(name); err != nil || got != want {
			t.Errorf("ParseAlgorithm(%q) = %v, %v", name, got, err)
		}
	}
	if _, err := ParseAlgorithm("unigram"); err == nil || !strings.Contains(err.Error(), "bpe, wordpiece") {
		t.Errorf("ParseAlgorithm(unigram): %v", err)
	}
	if s := (Style{Marker: "@@", Unknown: "<unk>"}).String(); s != `continuation marker "@@", unknown "<unk>"` {
		t.Errorf("String = %s", s)
	}
	_ = errors.New
}
