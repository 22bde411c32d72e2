package catalogservice

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// Cursors are opaque to clients: base64url of a tagged payload, so a search
// cursor cannot be mistaken for a listing cursor.
const (
	titleCursorTag  = "title:"
	searchCursorTag = "search:"
)

// EncodeTitleCursor returns the cursor after t in a title listing.
func EncodeTitleCursor(t Title) string {
	raw, _ := json.Marshal([2]string{t.Name, t.ID})
	return base64.RawURLEncoding.EncodeToString(append([]byte(titleCursorTag), raw...))
}

// DecodeTitleCursor reads a listing cursor; nil or empty means the start.
func DecodeTitleCursor(field string, s *string) (*TitleCursor, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*s)
	if err != nil || !strings.HasPrefix(string(raw), titleCursorTag) {
		return nil, errs.Invalid(field, "%s is not a cursor from this listing", field)
	}
	var parts [2]string
	if err := json.Unmarshal(raw[len(titleCursorTag):], &parts); err != nil || ValidateID(field, parts[1]) != nil {
		return nil, errs.Invalid(field, "%s is not a cursor from this listing", field)
	}
	return &TitleCursor{Name: parts[0], ID: parts[1]}, nil
}

// EncodeSearchCursor returns the cursor of the hit at offset (0-based).
func EncodeSearchCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(searchCursorTag + strconv.Itoa(offset)))
}

// DecodeSearchCursor returns the offset a page after cursor s starts at.
func DecodeSearchCursor(field string, s *string) (int, error) {
	if s == nil || *s == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*s)
	if err != nil || !strings.HasPrefix(string(raw), searchCursorTag) {
		return 0, errs.Invalid(field, "%s is not a cursor from this search", field)
	}
	n, err := strconv.Atoi(string(raw[len(searchCursorTag):]))
	if err != nil || n < 0 || n > 10000 {
		return 0, errs.Invalid(field, "%s is not a cursor from this search", field)
	}
	return n + 1, nil
}
