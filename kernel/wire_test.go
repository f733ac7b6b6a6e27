package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// kernelInfoHeader and its HMAC: the vector was computed independently with
//
//	python3 -c "import hmac,hashlib; print(hmac.new(b'secret-key', HEADER+b'{}{}{}', hashlib.sha256).hexdigest())"
//
// and agrees with `openssl dgst -sha256 -hmac secret-key` (OpenSSL 3.0).
const (
	kernelInfoHeader = `{"msg_id":"1","session":"s","username":"u","date":"2026-01-01T00:00:00.000000Z","msg_type":"kernel_info_request","version":"5.3"}`
	kernelInfoSig    = "abce3f91296d5620ded98e9a0dd05010e1d130eebf30ba14a2e30972cd831418"
)

func TestSignKnownVectors(t *testing.T) {
	for _, tc := range []struct {
		key   string
		parts []string
		want  string
	}{
		// The Wikipedia HMAC example, checked with Python's hmac module.
		{"key", []string{"The quick brown fox jumps over the lazy dog"}, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"},
		// The same text split over frames: the MAC is of the concatenation.
		{"key", []string{"The quick brown ", "fox jumps over", " the lazy dog"}, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"},
		{"secret-key", []string{kernelInfoHeader, "{}", "{}", "{}"}, kernelInfoSig},
		{"", []string{"anything"}, ""}, // no key: no signature
	} {
		s, err := newSigner("hmac-sha256", []byte(tc.key))
		if err != nil {
			t.Fatal(err)
		}
		var parts [][]byte
		for _, p := range tc.parts {
			parts = append(parts, []byte(p))
		}
		if got := string(s.sign(parts...)); got != tc.want {
			t.Errorf("sign(%q, %q) = %s, want %s", tc.key, tc.parts, got, tc.want)
		}
	}
	if _, err := newSigner("hmac-md5", nil); err == nil {
		t.Error("hmac-md5 accepted")
	}
}

func frames(parts ...string) [][]byte {
	var f [][]byte
	for _, p := range parts {
		f = append(f, []byte(p))
	}
	return f
}

func TestDecode(t *testing.T) {
	s, _ := newSigner("hmac-sha256", []byte("secret-key"))
	m, err := s.Decode(frames("peer", "<IDS|MSG>", kernelInfoSig, kernelInfoHeader, "{}", "{}", "{}", "buf"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.MsgType != "kernel_info_request" || m.Header.Version != "5.3" || string(m.Identities[0]) != "peer" || len(m.Buffers) != 1 {
		t.Errorf("decoded %+v", m)
	}
	for _, tc := range []struct {
		desc   string
		frames [][]byte
		want   error
	}{
		{"wrong signature", frames("<IDS|MSG>", "00"+kernelInfoSig[2:], kernelInfoHeader, "{}", "{}", "{}"), ErrSignature},
		{"missing signature", frames("<IDS|MSG>", "", kernelInfoHeader, "{}", "{}", "{}"), ErrSignature},
		{"no delimiter", frames("peer", kernelInfoSig, kernelInfoHeader, "{}", "{}", "{}"), ErrNoDelimiter},
		{"too few frames", frames("<IDS|MSG>", kernelInfoSig, kernelInfoHeader, "{}"), ErrShort},
		{"too large", [][]byte{[]byte("<IDS|MSG>"), make([]byte, maxMessage+1)}, ErrTooLarge},
	} {
		if _, err := s.Decode(tc.frames); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.desc, err, tc.want)
		}
	}
	// Signed, but not JSON.
	bad := [][]byte{[]byte("{not json"), []byte("{}"), []byte("{}"), []byte("{}")}
	f := append([][]byte{[]byte("<IDS|MSG>"), s.sign(bad...)}, bad...)
	if _, err := s.Decode(f); err == nil {
		t.Error("bad JSON header accepted")
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	s, _ := newSigner("hmac-sha256", []byte("k"))
	in := &Message{
		Identities: [][]byte{[]byte("id")},
		Header:     Header{MsgID: "m", Session: "s", Username: "u", Date: now(), MsgType: "execute_reply", Version: ProtocolVersion},
		Parent:     json.RawMessage(`{"msg_id":"p"}`),
		Content:    json.RawMessage(`{"status":"ok"}`),
		Buffers:    [][]byte{{0, 1, 2}},
	}
	f, err := s.Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != 1+6+1 || !bytes.Equal(f[1], delimiter) {
		t.Fatalf("frames %q", f)
	}
	out, err := s.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if out.Header != in.Header || string(out.Parent) != string(in.Parent) || string(out.Metadata) != "{}" ||
		string(out.Content) != string(in.Content) || !bytes.Equal(out.Buffers[0], in.Buffers[0]) {
		t.Errorf("round trip: got %+v, want %+v", out, in)
	}
}

// FuzzDecode feeds the decoder arbitrary frames: it must never panic, and
// whatever it accepts must encode and decode again to the same message.
func FuzzDecode(f *testing.F) {
	s, _ := newSigner("hmac-sha256", nil) // no key: the fuzzer reaches the parser
	f.Add([]byte("<IDS|MSG>\x00\x00"+kernelInfoHeader+"\x00{}\x00{}\x00{}"), byte(0))
	f.Add([]byte("id\x00<IDS|MSG>\x00sig\x00{}\x00{}\x00{}\x00{}\x00buf"), byte(0))
	f.Add([]byte("<IDS|MSG>"), byte(0))
	f.Fuzz(func(t *testing.T, data []byte, sep byte) {
		fr := bytes.Split(data, []byte{sep})
		m, err := s.Decode(fr)
		if err != nil {
			return
		}
		enc, err := s.Encode(m)
		if err != nil {
			return // a header field that JSON cannot hold again (invalid UTF-8 is replaced, not refused)
		}
		m2, err := s.Decode(enc)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if m2.Header != m.Header || len(m2.Buffers) != len(m.Buffers) {
			t.Fatalf("round trip changed the message: %+v vs %+v", m, m2)
		}
	})
}

func TestLogo(t *testing.T) {
	for _, n := range []int{32, 64} {
		if b := Logo(n).Bounds(); b.Dx() != n || b.Dy() != n {
			t.Errorf("Logo(%d) is %v", n, b)
		}
	}
}
