// Package request is the router's one reading of a GraphQL request: the
// request type every transport hands to the router, read from HTTP GET and
// POST (whether the answer is one JSON response, a server-sent event stream
// or a multipart stream) or from a websocket subscribe message, under the
// rules every transport shares: methods, content type, size, that a GET is
// read-only, and which requests a page on another origin could have forged.
package request

import (
	"net/http"
	"strconv"
)

// Transport is how the answer goes back to the client, which decides what
// may run over it.
type Transport uint8

const (
	// HTTP answers with one JSON response. The zero value, so a request
	// built without naming its transport gets the strictest rules.
	HTTP Transport = iota
	// SSE streams results as server-sent events.
	SSE
	// Multipart streams results as multipart/mixed parts.
	Multipart
	// WebSocket runs operations over graphql-transport-ws or the legacy
	// subscriptions-transport-ws protocol.
	WebSocket
	// InProcess is a caller inside the process, such as query planning for
	// the command line: no transport limits what it may ask about.
	InProcess
)

func (t Transport) String() string {
	switch t {
	case HTTP:
		return "http"
	case SSE:
		return "sse"
	case Multipart:
		return "multipart"
	case WebSocket:
		return "websocket"
	case InProcess:
		return "in-process"
	}
	return "unknown"
}

// CanSubscribe reports whether t can deliver a subscription's results: only
// plain HTTP, with its single response, cannot.
func (t Transport) CanSubscribe() bool { return t != HTTP }

// Request is one GraphQL request, however it arrived.
type Request struct {
	Query         string
	OperationName string
	Variables     map[string]any
	Extensions    map[string]any
	// Header holds the client's headers: the HTTP request's, or for a
	// websocket those its OnConnect derived from the upgrade request and
	// the connection_init payload.
	Header http.Header
	// Method is the HTTP method (GET or POST); empty for websocket
	// operations.
	Method    string
	Transport Transport
	// Persisted is extensions.persistedQuery when the client sent one: the
	// document may then be absent, to be found by its hash.
	Persisted *Persisted
}

// Persisted names a document by hash, as automatic persisted queries and
// trusted-document manifests do: extensions.persistedQuery with version 1
// and sha256Hash, the lower-case hex SHA-256 of the document or the id of
// a manifest entry.
type Persisted struct {
	Hash string
}

// PersistedVersion is the one version of the persistedQuery extension.
const PersistedVersion = 1

// ReadOnly reports whether the request may not change state. A GET never
// may, on any transport: links, prefetchers and cross-site requests send
// GETs, and those must not be able to run a mutation.
func (r *Request) ReadOnly() bool { return r.Method == http.MethodGet }

// Outcome says how the router handled a request; each transport maps it to
// its HTTP status.
type Outcome int

const (
	// Executed: the operation ran (the response may still hold errors).
	Executed Outcome = iota
	// Rejected: the request failed before execution (parse, validation,
	// variables, an operation the transport cannot carry); no data.
	Rejected
	// NotAllowed: the method may not carry the operation (a mutation over
	// GET); the answer is 405 with Allow: POST.
	NotAllowed
	// Failed: the server could not handle a valid request (planning
	// failed); no data.
	Failed
	// Blocked: a page on another origin could have sent the request without
	// the browser asking first (see Preflighted); the answer is 400 on
	// every transport and nothing ran.
	Blocked
	// Limited: the client is over a rate limit; the answer is 429 with
	// Retry-After where the transport can say so, and nothing ran.
	Limited
	// Unauthenticated: the request carries a token that is not valid; the
	// answer is 401 with WWW-Authenticate: Bearer, and nothing ran.
	Unauthenticated
)

// SetUnauthenticated sets the header of an Unauthenticated answer.
func SetUnauthenticated(h http.Header) {
	h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
}

// AllowWrites is the Allow header of a NotAllowed answer: the method that
// may carry any operation.
const AllowWrites = http.MethodPost

// SetRetryAfter sets the Retry-After header of a Limited answer, in whole
// seconds; zero or less sets none.
func SetRetryAfter(h http.Header, seconds int) {
	if seconds > 0 {
		h.Set("Retry-After", strconv.Itoa(seconds))
	}
}
