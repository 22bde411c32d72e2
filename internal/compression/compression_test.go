package compression

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

func mustNew(t *testing.T, o Options) *Compressor {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	both := mustNew(t, Options{})
	gzipFirst := mustNew(t, Options{Algorithms: []string{Gzip, Zstd}})
	gzipOnly := mustNew(t, Options{Algorithms: []string{Gzip}})
	tests := []struct {
		name   string
		c      *Compressor
		accept []string
		want   string
	}{
		{"absent", both, nil, ""},
		{"empty", both, []string{""}, ""},
		{"gzip", both, []string{"gzip"}, Gzip},
		{"x-gzip", both, []string{"x-gzip"}, Gzip},
		{"zstd", both, []string{"zstd"}, Zstd},
		{"both: the server's order", both, []string{"gzip, zstd"}, Zstd},
		{"both: the other order", gzipFirst, []string{"zstd, gzip"}, Gzip},
		{"browser", both, []string{"gzip, deflate, br, zstd"}, Zstd},
		{"case and spaces", both, []string{" GZip ;Q=0.5 , ZSTD;q=0.4"}, Gzip},
		{"q-values decide", both, []string{"zstd;q=0.5, gzip;q=0.8"}, Gzip},
		{"q=0 refuses", both, []string{"zstd;q=0, gzip"}, Gzip},
		{"all refused", both, []string{"zstd;q=0, gzip;q=0"}, ""},
		{"several header lines", both, []string{"zstd;q=0.1", "gzip"}, Gzip},
		{"unknown codings only", both, []string{"br, deflate, compress"}, ""},
		{"unknown beside known", both, []string{"br;q=1, gzip;q=0.2"}, Gzip},
		{"star", both, []string{"*"}, Zstd},
		{"star without zstd", both, []string{"zstd;q=0, *"}, Gzip},
		{"star refused", both, []string{"*;q=0"}, ""},
		{"star refused, gzip named", both, []string{"*;q=0, gzip"}, Gzip},
		{"identity only", both, []string{"identity"}, ""},
		{"identity preferred", both, []string{"gzip;q=0.5, identity"}, ""},
		{"identity tie compresses", both, []string{"gzip, identity"}, Gzip},
		{"identity refused", both, []string{"identity;q=0, gzip;q=0.1"}, Gzip},
		{"star weighs identity", gzipOnly, []string{"gzip;q=0.5, *"}, ""},
		{"not offered", gzipOnly, []string{"zstd"}, ""},
		{"bad q ignored", both, []string{"zstd;q=2, gzip;q=abc, gzip;q=0.3"}, Gzip},
		{"other parameters", both, []string{"gzip;level=9;q=0.9, zstd;q=0.8"}, Gzip},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Negotiate(tt.accept); got != tt.want {
				t.Fatalf("Negotiate(%q) = %q, want %q", tt.accept, got, tt.want)
			}
		})
	}
}

func TestNewRefusesUnknownAlgorithms(t *testing.T) {
	t.Parallel()
	for _, names := range [][]string{{"br"}, {"gzip", "gzip"}, {"GZIP"}} {
		if _, err := New(Options{Algorithms: names}); err == nil {
			t.Errorf("New(%q) accepted", names)
		}
	}
}

// decode reads a response body as its Content-Encoding says.
func decode(t *testing.T, h http.Header, body []byte) string {
	t.Helper()
	switch h.Get("Content-Encoding") {
	case "":
		return string(body)
	case Gzip:
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	case Zstd:
		d, err := zstd.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		out, err := io.ReadAll(d)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	t.Fatalf("Content-Encoding %q", h.Get("Content-Encoding"))
	return ""
}

func TestServe(t *testing.T) {
	t.Parallel()
	c := mustNew(t, Options{MinBytes: 100})
	big := `{"data":"` + strings.Repeat("x", 200) + `"}`
	small := `{"data":"x"}`
	// writes the body in chunks, with or without Content-Length.
	handler := func(status int, ctype, body string, withLength bool, chunks int, extra http.Header) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			for k, v := range extra {
				w.Header()[k] = v
			}
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			if withLength {
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			}
			w.WriteHeader(status)
			step := max(len(body)/chunks, 1)
			for i := 0; i < len(body); i += step {
				_, _ = io.WriteString(w, body[i:min(i+step, len(body))])
			}
		})
	}
	tests := []struct {
		name     string
		accept   string
		method   string
		h        http.Handler
		wantEnc  string
		wantBody string
	}{
		{"zstd with length", "gzip, zstd", "", handler(200, "application/json", big, true, 1, nil), Zstd, big},
		{"gzip with length", "gzip", "", handler(200, "application/json", big, true, 1, nil), Gzip, big},
		{"unknown length, in pieces", "gzip", "", handler(200, "application/json", big, false, 7, nil), Gzip, big},
		{"error status compressed too", "zstd", "", handler(400, "application/json", big, true, 1, nil), Zstd, big},
		{"below threshold with length", "gzip", "", handler(200, "application/json", small, true, 1, nil), "", small},
		{"below threshold, unknown length", "gzip", "", handler(200, "application/json", small, false, 3, nil), "", small},
		{"no Accept-Encoding", "", "", handler(200, "application/json", big, true, 1, nil), "", big},
		{"identity", "identity", "", handler(200, "application/json", big, true, 1, nil), "", big},
		{"already encoded", "gzip", "", handler(200, "application/json", big, true, 1, http.Header{"Content-Encoding": {"br"}}), "br", big},
		{"event stream", "gzip", "", handler(200, "text/event-stream", big, false, 1, nil), "", big},
		{"multipart", "gzip", "", handler(200, "multipart/mixed; boundary=-", big, false, 1, nil), "", big},
		{"no content", "gzip", "", handler(204, "", "", false, 1, nil), "", ""},
		{"HEAD", "gzip", http.MethodHead, handler(200, "application/json", "", false, 1, nil), "", ""},
		{"implicit status, sniffed type", "gzip", "", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, big) }), Gzip, big},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, "/graphql", nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			rec := httptest.NewRecorder()
			c.Serve(rec, req, tt.h)
			res := rec.Result()
			if got := res.Header.Get("Content-Encoding"); got != tt.wantEnc {
				t.Fatalf("Content-Encoding %q, want %q", got, tt.wantEnc)
			}
			if got := res.Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding" {
				t.Fatalf("Vary %q", got)
			}
			if tt.wantEnc == Gzip || tt.wantEnc == Zstd {
				if res.Header.Get("Content-Length") != "" {
					t.Fatalf("Content-Length %q kept on a compressed body", res.Header.Get("Content-Length"))
				}
				if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "json") && !strings.HasPrefix(ct, "text/plain") {
					t.Fatalf("Content-Type %q", ct)
				}
				if got := decode(t, res.Header, rec.Body.Bytes()); got != tt.wantBody {
					t.Fatalf("decoded %q, want %q", got, tt.wantBody)
				}
				return
			}
			if got := rec.Body.String(); got != tt.wantBody {
				t.Fatalf("body %q, want %q", got, tt.wantBody)
			}
		})
	}
}

// A handler that flushes before the threshold is streaming: what it wrote
// goes out at once, uncompressed.
func TestServeFlushBeforeThreshold(t *testing.T) {
	t.Parallel()
	c := mustNew(t, Options{MinBytes: 100})
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	c.Serve(rec, req, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "event one\n")
		w.(http.Flusher).Flush()
		if rec.Body.String() != "event one\n" || !rec.Flushed {
			t.Errorf("not flushed: %q", rec.Body.String())
		}
		_, _ = io.WriteString(w, strings.Repeat("y", 200))
	}))
	if rec.Header().Get("Content-Encoding") != "" || rec.Body.Len() != 210 {
		t.Fatalf("Content-Encoding %q, %d bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
}

// Compressed and flushed: what was written so far decodes before the body
// ends.
func TestServeFlushCompressed(t *testing.T) {
	t.Parallel()
	c := mustNew(t, Options{})
	for _, enc := range []string{Gzip, Zstd} {
		t.Run(enc, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/", nil)
			req.Header.Set("Accept-Encoding", enc)
			rec := httptest.NewRecorder()
			first := strings.Repeat("a", 2000)
			c.Serve(rec, req, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, first)
				w.(http.Flusher).Flush()
				var rd io.Reader
				if enc == Gzip {
					zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
					if err != nil {
						t.Fatal(err)
					}
					rd = zr
				} else {
					d, err := zstd.NewReader(bytes.NewReader(rec.Body.Bytes()))
					if err != nil {
						t.Fatal(err)
					}
					defer d.Close()
					rd = d
				}
				got := make([]byte, len(first))
				if _, err := io.ReadFull(rd, got); err != nil || string(got) != first {
					t.Errorf("flushed part: %v", err)
				}
				_, _ = io.WriteString(w, "tail")
			}))
			if got := decode(t, rec.Header(), rec.Body.Bytes()); got != first+"tail" {
				t.Fatalf("decoded %d bytes", len(got))
			}
		})
	}
}

func TestNewReader(t *testing.T) {
	t.Parallel()
	payload := strings.Repeat(`{"query":"{ a }"}`, 50)
	var zbuf bytes.Buffer
	zw, _ := zstd.NewWriter(&zbuf)
	_, _ = io.WriteString(zw, payload)
	_ = zw.Close()
	gz := AppendGzip(nil, []byte(payload))
	tests := []struct {
		name      string
		encodings []string
		body      []byte
		decoded   bool
		wantErr   string
		// unsupported: the error is an *UnsupportedError.
		unsupported bool
	}{
		{"none", nil, []byte(payload), false, "", false},
		{"identity", []string{"identity"}, []byte(payload), false, "", false},
		{"gzip", []string{"gzip"}, gz, true, "", false},
		{"x-gzip, upper case", []string{"X-GZIP"}, gz, true, "", false},
		{"gzip after identity", []string{"identity, gzip"}, gz, true, "", false},
		{"zstd", []string{"zstd"}, zbuf.Bytes(), true, "", false},
		{"unknown", []string{"br"}, []byte(payload), false, "not supported", true},
		{"two codings", []string{"gzip", "gzip"}, gz, false, "not supported", true},
		{"not gzip", []string{"gzip"}, []byte(payload), false, "gzip:", false},
		{"empty gzip", []string{"gzip"}, nil, false, "gzip:", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := bytes.NewReader(tt.body)
			rd, release, err := NewReader(tt.encodings, src)
			if tt.wantErr != "" {
				var u *UnsupportedError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || errors.As(err, &u) != tt.unsupported {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (release != nil) != tt.decoded {
				t.Fatalf("decoded %v, want %v", release != nil, tt.decoded)
			}
			got, err := io.ReadAll(rd)
			if release != nil {
				release()
			}
			if err != nil || string(got) != payload {
				t.Fatalf("read %d bytes, %v", len(got), err)
			}
		})
	}
}

// Handler decodes compressed request bodies within its bound and
// compresses answers; a stream's request passes untouched.
func TestHandler(t *testing.T) {
	t.Parallel()
	c := mustNew(t, Options{MinBytes: 10})
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if r.Header.Get("Content-Encoding") != "" {
			t.Errorf("Content-Encoding %q reached the handler", r.Header.Get("Content-Encoding"))
		}
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.Header.Get("Accept"), "event-stream") {
			w.Header().Set("Content-Type", "application/json") // as a misbehaving stream might
		}
		_, _ = w.Write(body)
	})
	payload := strings.Repeat("z", 4000)
	bomb := AppendGzip(nil, make([]byte, 1<<20))
	tests := []struct {
		name     string
		encoding string
		body     []byte
		accept   string
		max      int64
		status   int
		// wantEnc is the answer's Content-Encoding, when it is 200.
		wantEnc string
	}{
		{"gzip body, zstd answer", "gzip", AppendGzip(nil, []byte(payload)), "", 1 << 20, 200, Zstd},
		{"plain body", "", []byte(payload), "", 1 << 20, 200, Zstd},
		{"zip bomb", "gzip", bomb, "", 64 << 10, http.StatusRequestEntityTooLarge, ""},
		{"unsupported", "br", []byte(payload), "", 1 << 20, http.StatusUnsupportedMediaType, ""},
		{"corrupt", "gzip", []byte("not gzip at all"), "", 1 << 20, http.StatusBadRequest, ""},
		{"stream untouched", "", []byte(payload), "text/event-stream", 1 << 20, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(tt.body))
			if tt.encoding != "" {
				req.Header.Set("Content-Encoding", tt.encoding)
			}
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			req.Header.Set("Accept-Encoding", "gzip, zstd")
			rec := httptest.NewRecorder()
			c.Handler(echo, tt.max).ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if tt.status == 200 {
				if got := rec.Header().Get("Content-Encoding"); got != tt.wantEnc {
					t.Fatalf("Content-Encoding %q, want %q", got, tt.wantEnc)
				}
				if got := decode(t, rec.Header(), rec.Body.Bytes()); got != payload {
					t.Fatalf("answered %d bytes", len(got))
				}
			}
		})
	}
}

func TestAppendGzipAppends(t *testing.T) {
	t.Parallel()
	out := AppendGzip([]byte("prefix"), []byte("hello"))
	if !bytes.HasPrefix(out, []byte("prefix")) {
		t.Fatalf("prefix lost: %q", out)
	}
	rd, release, err := NewReader([]string{"gzip"}, bytes.NewReader(out[len("prefix"):]))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	got, _ := io.ReadAll(rd)
	if string(got) != "hello" {
		t.Fatalf("got %q", got)
	}
}
