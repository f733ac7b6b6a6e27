package tagger

import (
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{`"I don't know," she said.`, `" I do n't know , " she said .`},
		{"We're here; it's 3.5% of $1,000!", "We 're here ; it 's 3.5 % of $ 1,000 !"},
		{"Mr. Smith lives in the U.S. (mostly).", "Mr. Smith lives in the U.S. ( mostly ) ."},
		{"Mail me@x.org or see http://x.org/a?b=c.", "Mail me@x.org or see http://x.org/a?b=c ."},
		{"I CAN'T, you’ll see... e-mail J. Doe", "I CA N'T , you ’ll see ... e-mail J. Doe"},
		{"  ", ""},
		{"?!", "? !"},
		{"'s", "'s"},
	} {
		if got := strings.Join(Tokenize(test.in), " "); got != test.want {
			t.Errorf("Tokenize(%q)\n got %q\nwant %q", test.in, got, test.want)
		}
	}
}

// FuzzTokenize checks that Tokenize never panics, returns no empty word
// and no white space, and loses no character but white space.
func FuzzTokenize(f *testing.F) {
	f.Add(`"I don't know," she said.`)
	f.Add("U.S. ...'s n't \xff")
	f.Fuzz(func(t *testing.T, s string) {
		words := Tokenize(s)
		for _, w := range words {
			if w == "" || strings.ContainsAny(w, " \t\n") {
				t.Fatalf("word %q", w)
			}
		}
		if got, want := strings.Join(words, ""), strings.Join(strings.Fields(s), ""); got != want {
			t.Fatalf("joined %q, want %q", got, want)
		}
	})
}
