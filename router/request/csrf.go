package request

import (
	"mime"
	"net/http"
	"slices"
	"strings"
)

// DefaultCSRFHeaders mark a request as sent by code a browser checked with
// the server first: Apollo's mobile clients send X-Apollo-Operation-Name,
// and any other client can send Apollo-Require-Preflight.
var DefaultCSRFHeaders = []string{"X-Apollo-Operation-Name", "Apollo-Require-Preflight"}

// SimpleContentTypes are the media types a page on another origin may send
// without a CORS preflight (the fetch standard's CORS-safelisted
// Content-Type values): those of HTML forms.
var SimpleContentTypes = []string{"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}

// Preflighted reports whether a browser would have asked the server, with
// a CORS preflight, before sending req, and so whether a page on another
// origin can have sent it only with the server's consent. This is the
// router's rule against cross-site request forgery, the one Apollo Router
// and Apollo Server apply by default:
//
//   - A request with no method (a websocket operation, an in-process
//     caller) is no browser HTTP request: true. Websockets are held to their
//     Origin when they open instead, since no header of theirs can be
//     trusted to have been preflighted.
//   - A method other than GET, HEAD and POST is always preflighted: true.
//   - A Content-Type whose media type parses and is none of
//     SimpleContentTypes (application/json, as every GraphQL client sends
//     on POST and Apollo Client on GET too) needs a preflight: true. Several
//     Content-Type lines are joined with ", " as browsers do first.
//   - Any of the required header names present, whatever its value, needs
//     a preflight, since only script sets such headers: true.
//   - Anything else is a simple request, whatever the operation: false. No
//     Content-Type, a simple one, or one that does not parse (browsers'
//     parser is more lenient than Go's, so it may well have been simple).
//
// Queries are not exempt: a simple GET query still runs as whoever the
// browser's ambient credentials name, and its timing leaks what it read
// (cross-site search) even when the page cannot read the answer.
func Preflighted(req *Request, required []string) bool {
	switch req.Method {
	case "":
		return true
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		return true
	}
	if cts := req.Header.Values("Content-Type"); len(cts) > 0 {
		mt, _, err := mime.ParseMediaType(strings.Join(cts, ", "))
		if err == nil && !slices.Contains(SimpleContentTypes, mt) {
			return true
		}
	}
	for _, name := range required {
		if len(req.Header.Values(name)) > 0 {
			return true
		}
	}
	return false
}
