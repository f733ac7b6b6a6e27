package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"time"
)

// ProtocolVersion is the version of the Jupyter messaging protocol the
// kernel speaks.
const ProtocolVersion = "5.3"

// delimiter separates the routing identities of a message from its body.
var delimiter = []byte("<IDS|MSG>")

// maxMessage bounds the size of an incoming message, all frames together:
// a larger one is dropped rather than parsed.
const maxMessage = 64 << 20

// Header is a message's header, and its parent_header (the header of the
// request it answers).
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one decoded Jupyter message. Content and Metadata stay raw
// JSON until a handler knows what shape to read them into.
type Message struct {
	Identities [][]byte
	Header     Header
	Parent     json.RawMessage // parent_header as received or to send: "{}" when none
	Metadata   json.RawMessage
	Content    json.RawMessage
	Buffers    [][]byte
}

// Errors of Decode. A message that fails to decode is dropped, and logged.
var (
	ErrNoDelimiter = errors.New("kernel: no <IDS|MSG> delimiter")
	ErrShort       = errors.New("kernel: fewer than 5 frames after the delimiter")
	ErrSignature   = errors.New("kernel: bad signature")
	ErrTooLarge    = errors.New("kernel: message too large")
)

// signer computes the HMAC of a message body, or nothing when the
// connection file gives no key (authentication disabled, as the protocol
// allows).
type signer struct {
	key []byte
	new func() hash.Hash
}

func newSigner(scheme string, key []byte) (*signer, error) {
	switch scheme {
	case "hmac-sha256", "":
		return &signer{key: key, new: sha256.New}, nil
	}
	return nil, fmt.Errorf("kernel: unsupported signature_scheme %q", scheme)
}

// sign returns the lowercase hex HMAC of the four body frames, or "" when
// the key is empty:
//
//	signature = hex(HMAC-SHA256(key, header ‖ parent_header ‖ metadata ‖ content))
func (s *signer) sign(parts ...[]byte) []byte {
	if len(s.key) == 0 {
		return nil
	}
	m := hmac.New(s.new, s.key)
	for _, p := range parts {
		m.Write(p)
	}
	sum := m.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// verify checks sig against the four body frames in constant time.
func (s *signer) verify(sig []byte, parts ...[]byte) bool {
	if len(s.key) == 0 {
		return true
	}
	want := s.sign(parts...)
	return hmac.Equal(bytes.ToLower(sig), want)
}

// Decode parses the frames of one message as a ROUTER or SUB socket
// receives them,
//
//	identity… <IDS|MSG> signature header parent_header metadata content buffer…
//
// and checks its signature. It never panics: anything malformed is an error.
func (s *signer) Decode(frames [][]byte) (*Message, error) {
	size := 0
	for _, f := range frames {
		size += len(f)
	}
	if size > maxMessage {
		return nil, ErrTooLarge
	}
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], delimiter) {
		i++
	}
	if i == len(frames) {
		return nil, ErrNoDelimiter
	}
	body := frames[i+1:]
	if len(body) < 5 {
		return nil, ErrShort
	}
	if !s.verify(body[0], body[1], body[2], body[3], body[4]) {
		return nil, ErrSignature
	}
	m := &Message{Identities: frames[:i], Buffers: body[5:]}
	if err := json.Unmarshal(body[1], &m.Header); err != nil {
		return nil, fmt.Errorf("kernel: header: %w", err)
	}
	if m.Header.MsgType == "" {
		return nil, errors.New("kernel: header without msg_type")
	}
	for _, f := range []struct {
		dst  *json.RawMessage
		src  []byte
		name string
	}{{&m.Parent, body[2], "parent_header"}, {&m.Metadata, body[3], "metadata"}, {&m.Content, body[4], "content"}} {
		if !json.Valid(f.src) {
			return nil, fmt.Errorf("kernel: %s is not JSON", f.name)
		}
		*f.dst = json.RawMessage(f.src)
	}
	return m, nil
}

// Encode returns the frames of m, signed.
func (s *signer) Encode(m *Message) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, err
	}
	parent, metadata, content := orEmpty(m.Parent), orEmpty(m.Metadata), orEmpty(m.Content)
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, delimiter, s.sign(header, parent, metadata, content), header, parent, metadata, content)
	return append(frames, m.Buffers...), nil
}

func orEmpty(r json.RawMessage) []byte {
	if len(r) == 0 {
		return []byte("{}")
	}
	return r
}

// newID returns a random 32-digit hex id for messages and sessions.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// now is the date of a header: ISO 8601 in UTC with microseconds.
func now() string { return time.Now().UTC().Format("2006-01-02T15:04:05.000000Z") }
