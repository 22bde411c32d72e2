package chatservice

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// cursorPrefix versions the opaque cursor format.
const cursorPrefix = "m1:"

// EncodeCursor returns the opaque cursor of position c.
func EncodeCursor(c Cursor) string {
	raw := cursorPrefix + strconv.FormatInt(c.SentAt.UnixNano(), 10) + ":" + c.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// CursorOf returns the position of m.
func CursorOf(m Message) Cursor { return Cursor{SentAt: m.SentAt.UTC(), ID: m.ID} }

// DecodeCursor parses a cursor made by EncodeCursor; field names the
// argument it came from, for the error.
func DecodeCursor(field, s string) (Cursor, error) {
	bad := errs.Invalid(field, "%s is not a valid cursor", field)
	if len(s) > 256 {
		return Cursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, bad
	}
	rest, ok := strings.CutPrefix(string(raw), cursorPrefix)
	if !ok {
		return Cursor{}, bad
	}
	nanos, id, ok := strings.Cut(rest, ":")
	if !ok || !ValidID(id) {
		return Cursor{}, bad
	}
	n, err := strconv.ParseInt(nanos, 10, 64)
	if err != nil || n < 0 {
		return Cursor{}, bad
	}
	return Cursor{SentAt: time.Unix(0, n).UTC(), ID: id}, nil
}
