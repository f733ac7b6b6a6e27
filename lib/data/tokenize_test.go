package data

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestTokenize(t *testing.T) {
	for _, test := range []struct {
		in   string
		want string // tokens joined by "|"
	}{
		{"", ""},
		{"   \t\n", ""},
		{"hello world", "hello|world"},
		{"Hello, world!", "Hello|,|world|!"},
		{`"Don't stop," she said.`, `"|Don|'|t|stop|,|"|she|said|.`},
		{"Go...", "Go|.|.|."},
		{"I have 42 cats", "I|have|42|cats"},
		{"3.14", "3|.|14"},
		{"e-mail", "e|-|mail"},
		{"naïve café", "naïve|café"},
		{"cafe\u0301", "cafe\u0301"}, // e + combining acute stays one word
		{"日本語です。", "日本語です|。"},
		{"¿Qué?", "¿|Qué|?"},
		{"a\u00a0b", "a|b"}, // no-break space separates
		{"a😀b", "a|😀|b"},
		{"a\xffb", "a|\xff|b"}, // an invalid byte is its own token
	} {
		if got := strings.Join(Tokenize(test.in), "|"); got != test.want {
			t.Errorf("Tokenize(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

func TestTokenizeLower(t *testing.T) {
	got := strings.Join(TokenizeLower("The CAT, Ça va."), "|")
	if want := "the|cat|,|ça|va|."; got != want {
		t.Errorf("TokenizeLower = %q, want %q", got, want)
	}
}

// FuzzTokenize checks that Tokenize never panics, never returns an empty
// token or one holding white space, and loses nothing but white space.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Hello, world!", "日本語です。", "a\xffb", "cafe\u0301 \u00a0x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tokens := Tokenize(s)
		for _, tok := range tokens {
			if tok == "" || strings.IndexFunc(tok, unicode.IsSpace) >= 0 {
				t.Fatalf("bad token %q in %q", tok, tokens)
			}
		}
		var kept strings.Builder
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) {
				kept.WriteString(s[i : i+size])
			}
			i += size
		}
		if strings.Join(tokens, "") != kept.String() {
			t.Fatalf("tokens %q do not rebuild %q", tokens, s)
		}
	})
}
