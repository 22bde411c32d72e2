package logging

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
)

// RequestIDHeader carries a request's id: taken from the client when sane,
// echoed in the response and forwarded to subgraphs.
const RequestIDHeader = "X-Request-Id"

// MaxRequestIDLen bounds a client's request id; a longer one is replaced.
const MaxRequestIDLen = 128

// SaneRequestID reports whether a client's request id may be kept: 1 to
// MaxRequestIDLen characters of letters, digits and - _ . : / + =, which
// covers UUIDs, ULIDs, trace ids and base64 tokens. Anything else (spaces,
// quotes, control characters) could forge fields in text logs or headers,
// so it is replaced by one of ours.
func SaneRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '_', c == '.', c == ':', c == '/', c == '+', c == '=':
		default:
			return false
		}
	}
	return true
}

// idPrefix makes this process's ids unlike other processes'; idCount
// makes them unlike each other. A counter, not 16 random bytes per
// request, keeps an id to one allocation; ids need to be unique, not
// unguessable.
var (
	idPrefix = func() uint64 {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
		return binary.LittleEndian.Uint64(b[:])
	}()
	idCount atomic.Uint64
)

// NewRequestID returns a new request id: 32 hex digits, the process's
// random prefix then a counter.
func NewRequestID() string {
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], idPrefix)
	binary.BigEndian.PutUint64(raw[8:], idCount.Add(1))
	var out [32]byte
	hex.Encode(out[:], raw[:])
	return string(out[:])
}

// RequestID returns the client's id when it is sane, else a new one.
func RequestID(fromClient string) string {
	if SaneRequestID(fromClient) {
		return fromClient
	}
	return NewRequestID()
}
