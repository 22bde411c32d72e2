package compression

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Options configure a Compressor.
type Options struct {
	// Algorithms are the codings offered, in order of preference: the
	// first wins when a client accepts several equally. Nil means
	// DefaultAlgorithms.
	Algorithms []string
	// MinBytes is the smallest body compressed; shorter ones go as they
	// are. Zero compresses every non-empty body.
	MinBytes int
}

// Compressor compresses responses as their requests' Accept-Encoding
// allows: the coding the client weighs highest (q-values), the
// Compressor's order breaking ties; none when the header is absent, when
// identity is weighed higher than every coding offered, or when no offered
// coding is acceptable. Bodies shorter than MinBytes, bodies already
// encoded, event streams, multipart bodies and responses without content
// (204, 304) go as they are.
type Compressor struct {
	codecs []*codec
	min    int
}

// New returns a Compressor; an unknown algorithm is an error.
func New(o Options) (*Compressor, error) {
	names := o.Algorithms
	if names == nil {
		names = DefaultAlgorithms
	}
	if err := checkAlgorithms(names); err != nil {
		return nil, err
	}
	c := &Compressor{min: max(o.MinBytes, 0)}
	for _, n := range names {
		c.codecs = append(c.codecs, codecOf(n))
	}
	return c, nil
}

// varyAcceptEncoding is shared: net/http only reads header values, and an
// append to it copies (its capacity is its length).
var varyAcceptEncoding = []string{"Accept-Encoding"}

// Serve runs h for r with the response compressed as negotiated. Every
// response it serves says Vary: Accept-Encoding, so that caches keep the
// encodings apart. r must not be a websocket upgrade or stream: their
// writers are not the kind this compresses.
func (c *Compressor) Serve(w http.ResponseWriter, r *http.Request, h http.Handler) {
	hdr := w.Header()
	if _, ok := hdr["Vary"]; ok {
		hdr.Add("Vary", "Accept-Encoding")
	} else {
		hdr["Vary"] = varyAcceptEncoding
	}
	cd := c.negotiate(r.Header["Accept-Encoding"])
	if cd == nil || r.Method == http.MethodHead {
		h.ServeHTTP(w, r)
		return
	}
	cw := writers.Get().(*writer)
	*cw = writer{rw: w, codec: cd, min: c.min}
	h.ServeHTTP(cw, r)
	cw.finish()
	*cw = writer{}
	writers.Put(cw)
}

// Negotiate returns the coding c answers Accept-Encoding values with, ""
// for none.
func (c *Compressor) Negotiate(acceptEncoding []string) string {
	if cd := c.negotiate(acceptEncoding); cd != nil {
		return cd.name
	}
	return ""
}

func (c *Compressor) negotiate(values []string) *codec {
	if len(values) == 0 {
		return nil
	}
	// -1: not named. Two codings at most.
	q := [2]float64{-1, -1}
	star, identity := -1.0, -1.0
	for _, v := range values {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			name, params, _ := strings.Cut(part, ";")
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			qv, ok := qValue(params)
			if !ok {
				continue
			}
			switch {
			case name == "*":
				star = qv
			case strings.EqualFold(name, "identity"):
				identity = qv
			default:
				for i, cd := range c.codecs {
					if cd.accepts(name) {
						q[i] = qv
					}
				}
			}
		}
	}
	best, bestQ := -1, 0.0
	for i := range c.codecs {
		qi := q[i]
		if qi < 0 {
			qi = star
		}
		if qi > bestQ {
			best, bestQ = i, qi
		}
	}
	if best < 0 {
		return nil
	}
	// Identity weighed above every coding (itself or by "*") wins; on a
	// tie the response is compressed.
	if identity < 0 {
		identity = star
	}
	if identity > bestQ {
		return nil
	}
	return c.codecs[best]
}

// qValue reads the q parameter of an Accept-Encoding entry's parameters
// (1 without one); false when it is not a number from 0 to 1.
func qValue(params string) (float64, bool) {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0, false
		}
		return q, true
	}
	return 1, true
}

// Handler serves next behind c: request bodies sent with Content-Encoding
// gzip or zstd are decoded (at most maxBody bytes read of them and read
// from them, 0 meaning no bound here), responses compressed as negotiated. Websocket upgrades
// and requests for event streams or multipart responses are passed on
// untouched.
func (c *Compressor) Handler(next http.Handler, maxBody int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if enc := r.Header["Content-Encoding"]; len(enc) > 0 && r.Body != nil && r.Body != http.NoBody {
			body := r.Body
			if maxBody > 0 {
				body = http.MaxBytesReader(w, body, maxBody)
			}
			rd, release, err := NewReader(enc, body)
			if err != nil {
				status := http.StatusBadRequest
				if _, ok := err.(*UnsupportedError); ok {
					status = http.StatusUnsupportedMediaType
				}
				http.Error(w, err.Error(), status)
				return
			}
			if release != nil {
				defer release()
				r2 := *r
				r2.Header = r.Header.Clone()
				r2.Header.Del("Content-Encoding")
				r2.Header.Del("Content-Length")
				r2.ContentLength = -1
				r2.Body = readCloser{rd, body}
				if maxBody > 0 {
					r2.Body = http.MaxBytesReader(w, r2.Body, maxBody)
				}
				r = &r2
			}
		}
		if streaming(r) {
			next.ServeHTTP(w, r)
			return
		}
		c.Serve(w, r, next)
	})
}

// readCloser reads the decoded body and closes the original.
type readCloser struct {
	r io.Reader
	c io.Closer
}

func (rc readCloser) Read(p []byte) (int, error) { return rc.r.Read(p) }
func (rc readCloser) Close() error               { return rc.c.Close() }

// streaming reports requests answered by a stream: websockets, SSE,
// multipart subscriptions.
func streaming(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return true
	}
	for _, a := range r.Header["Accept"] {
		if strings.Contains(a, "text/event-stream") || strings.Contains(a, "multipart/mixed") {
			return true
		}
	}
	return false
}

// writer compresses a response once its status, headers and length say it
// should be.
type writer struct {
	rw    http.ResponseWriter
	codec *codec
	min   int
	state state
	// status is the response's, held with the first bytes of a body of
	// unknown length until MinBytes of it decide.
	status int
	held   []byte
	enc    encoder
}

type state uint8

const (
	// idle: nothing written yet.
	idle state = iota
	// holding: status known, body of unknown length held until MinBytes.
	holding
	plain
	compressing
)

var writers = sync.Pool{New: func() any { return new(writer) }}

func (w *writer) Header() http.Header { return w.rw.Header() }

// Unwrap lets http.ResponseController reach the connection (deadlines).
func (w *writer) Unwrap() http.ResponseWriter { return w.rw }

func (w *writer) WriteHeader(status int) {
	if w.state != idle {
		return
	}
	if status >= 100 && status < 200 {
		// Informational: more headers follow.
		w.rw.WriteHeader(status)
		return
	}
	w.status = status
	h := w.rw.Header()
	if !compressible(status, h) {
		w.startPlain()
		return
	}
	if cl, ok := h["Content-Length"]; ok && len(cl) == 1 {
		n, err := strconv.ParseInt(cl[0], 10, 64)
		if err != nil || n == 0 || n < int64(w.min) {
			w.startPlain()
		} else {
			w.startCompressing(nil)
		}
		return
	}
	w.state = holding
}

// compressible reports a response that may be compressed whatever its
// length.
func compressible(status int, h http.Header) bool {
	if status == http.StatusNoContent || status == http.StatusNotModified || status == http.StatusPartialContent {
		return false
	}
	if _, ok := h["Content-Encoding"]; ok {
		return false // never twice
	}
	if ct := h.Get("Content-Type"); strings.HasPrefix(ct, "text/event-stream") || strings.HasPrefix(ct, "multipart/") {
		return false
	}
	return true
}

func (w *writer) Write(p []byte) (int, error) {
	switch w.state {
	case idle:
		w.WriteHeader(http.StatusOK)
		return w.Write(p)
	case holding:
		if len(p) == 0 {
			return 0, nil
		}
		if len(w.held)+len(p) < w.min {
			w.held = append(w.held, p...)
			return len(p), nil
		}
		w.startCompressing(p)
		return w.enc.Write(p)
	case compressing:
		return w.enc.Write(p)
	default:
		return w.rw.Write(p)
	}
}

func (w *writer) startPlain() {
	w.state = plain
	w.rw.WriteHeader(w.status)
	if len(w.held) > 0 {
		_, _ = w.rw.Write(w.held)
		w.held = nil
	}
}

// startCompressing sends the headers of a compressed body, next being the
// bytes about to be written after those held.
func (w *writer) startCompressing(next []byte) {
	h := w.rw.Header()
	if _, ok := h["Content-Type"]; !ok && len(w.held)+len(next) > 0 {
		// net/http would sniff the compressed bytes.
		sniff := next
		if len(w.held) > 0 {
			sniff = w.held
		}
		h.Set("Content-Type", http.DetectContentType(sniff))
	}
	delete(h, "Content-Length")
	h["Content-Encoding"] = w.codec.header
	w.rw.WriteHeader(w.status)
	w.state = compressing
	w.enc = w.codec.get()
	w.enc.Reset(w.rw)
	if len(w.held) > 0 {
		_, _ = w.enc.Write(w.held)
		w.held = nil
	}
}

// Flush sends what is written so far: a body still held goes out
// uncompressed (a handler that flushes is streaming), a compressed one as
// far as the coding allows.
func (w *writer) Flush() {
	if w.state == idle {
		w.WriteHeader(http.StatusOK)
	}
	switch w.state {
	case holding:
		w.startPlain()
	case compressing:
		_ = w.enc.Flush()
	}
	if f, ok := w.rw.(http.Flusher); ok {
		f.Flush()
	}
}

// finish ends the body once the handler has returned.
func (w *writer) finish() {
	switch w.state {
	case holding:
		w.startPlain()
	case compressing:
		_ = w.enc.Close()
		w.codec.put(w.enc)
		w.enc = nil
	}
}
