package fetch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/internal/compression"
	"github.com/cinegraph/cinegraph/router/wire"
)

// HTTPOptions are the settings the HTTP fetchers of all instances share.
type HTTPOptions struct {
	// Client carries the requests Conns does not; nil means
	// http.DefaultClient.
	Client *http.Client
	// Conns, when set, carries requests to http:// instances instead of
	// Client, each bounded by Timeout when that is positive.
	Conns   *ConnPool
	Timeout time.Duration
	// MaxResponseBytes bounds a subgraph response (decoded, when it came
	// compressed); 0 means 64 MiB.
	MaxResponseBytes int64
	// Compress gzips request bodies of at least CompressMinBytes
	// (Content-Encoding: gzip) and asks for compressed responses
	// (Accept-Encoding: gzip, zstd). Responses are decoded by their
	// Content-Encoding whether or not it is set.
	Compress         bool
	CompressMinBytes int
}

// HTTP posts GraphQL requests as JSON to one subgraph instance.
type HTTP struct {
	HTTPOptions
	subgraph string // names the subgraph in errors
	url      string
	pooled   *url.URL // the parsed URL when requests go over Conns
	urlErr   error    // reported on every fetch, as an unparsable URL always was
}

var _ Fetcher = (*HTTP)(nil)

// NewHTTP returns the fetcher of the instance of subgraph at rawURL.
func NewHTTP(subgraph, rawURL string, opts HTTPOptions) *HTTP {
	f := &HTTP{HTTPOptions: opts, subgraph: subgraph, url: rawURL}
	if opts.Conns != nil && strings.HasPrefix(rawURL, "http://") {
		f.pooled, f.urlErr = url.Parse(rawURL)
	}
	return f
}

// DefaultClient returns an http.Client tuned for many small requests to a
// few hosts.
func DefaultClient() *http.Client {
	return &http.Client{Transport: DefaultTransport()}
}

// DefaultTransport returns a transport tuned for many small requests to a
// few hosts: enough idle keep-alive connections per subgraph for a busy
// router (net/http's default keeps two, so a loaded router would dial and
// tear down connections all the time), HTTP/1.1, no compression.
func DefaultTransport() *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 128,
		IdleConnTimeout:     90 * time.Second,
		// A header timeout instead of http.Client.Timeout: the client's
		// timeout costs a deadline context and timer on every fetch, while
		// the request's own context already bounds the whole exchange.
		ResponseHeaderTimeout: 30 * time.Second,
		// Subgraphs speak HTTP/1.1 over keep-alive connections; compression
		// costs more CPU than it saves on a local network.
		DisableCompression: true,
		WriteBufferSize:    16 << 10,
		ReadBufferSize:     16 << 10,
	}
}

// Shared header values; net/http only reads them.
var (
	contentTypeJSON = []string{"application/json"}
	acceptGraphQL   = []string{"application/graphql-response+json, application/json"}
	encodingGzip    = []string{compression.Gzip}
	acceptEncodings = []string{compression.Gzip + ", " + compression.Zstd}
)

// encoding is how a request goes: its body's Content-Encoding ("" for
// none), and whether it asks for a compressed response.
type encoding struct {
	content string
	accept  bool
}

// compress gzips body into a pooled buffer when f compresses and body is
// long enough; put hands the buffer back.
func (f *HTTP) compress(body []byte) (out []byte, enc encoding, put func()) {
	if !f.Compress {
		return body, encoding{}, nil
	}
	enc.accept = true
	if len(body) == 0 || len(body) < f.CompressMinBytes {
		return body, enc, nil
	}
	buf := wire.GetBuffer()
	*buf = compression.AppendGzip((*buf)[:0], body)
	enc.content = compression.Gzip
	return *buf, enc, func() { wire.PutBuffer(buf) }
}

// decoded returns a reader of body as its Content-Encoding says, size -1
// when it is decoded, and release for the decoder (nil when none).
func decoded(subgraph string, h http.Header, body io.Reader, size int64) (io.Reader, int64, func(), error) {
	ce := h["Content-Encoding"]
	if len(ce) == 0 {
		return body, size, nil, nil
	}
	rd, release, err := compression.NewReader(ce, body)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("response from %s: %w", subgraph, err)
	}
	if release == nil {
		return body, size, nil, nil
	}
	return rd, -1, release, nil
}

// Fetch implements Fetcher.
func (f *HTTP) Fetch(ctx context.Context, sreq *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	subgraph := f.subgraph
	// The request body is pooled: net/http is done with it once the
	// response body is closed.
	body := wire.GetBuffer()
	defer wire.PutBuffer(body)
	*body = sreq.AppendJSON(*body)
	send, enc, put := f.compress(*body)
	if put != nil {
		defer put()
	}
	if f.pooled != nil || f.urlErr != nil {
		// The pool writes the request line and headers itself.
		return f.fetchPooled(ctx, send, enc, header)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(send))
	if err != nil {
		return nil, fmt.Errorf("request to %s: %w", subgraph, err)
	}
	req.Header = make(http.Header, len(header)+4)
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header["Content-Type"] = contentTypeJSON
	req.Header["Accept"] = acceptGraphQL
	if enc.content != "" {
		req.Header["Content-Encoding"] = encodingGzip
	} else {
		// A forwarded client header would misdescribe the router's body.
		delete(req.Header, "Content-Encoding")
	}
	if enc.accept {
		req.Header["Accept-Encoding"] = acceptEncodings
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("post to %s: %w", subgraph, err)
	}
	defer resp.Body.Close()
	limit, allowed := readLimit(ctx, f.MaxResponseBytes)
	// The decoded tree copies every string, so the read buffer is pooled too.
	rbuf := wire.GetBuffer()
	defer wire.PutBuffer(rbuf)
	rd, size, release, err := decoded(subgraph, resp.Header, resp.Body, resp.ContentLength)
	if err != nil {
		return nil, err
	}
	if release != nil {
		defer release()
	}
	raw, err := wire.ReadAll(*rbuf, rd, size, limit)
	*rbuf = raw[:0]
	if err != nil {
		return nil, fmt.Errorf("read response from %s: %w", subgraph, err)
	}
	if int64(len(raw)) > limit {
		return nil, tooLong(subgraph, limit, allowed)
	}
	return decodeSubgraphResponse(subgraph, resp.StatusCode, raw)
}

func decodeSubgraphResponse(subgraph string, status int, raw []byte) (*wire.SubgraphResponse, error) {
	out, err := wire.DecodeResponse(raw)
	if err != nil {
		// A non-GraphQL body: report the status, which says more.
		if status/100 != 2 {
			return nil, &StatusError{Subgraph: subgraph, Status: status}
		}
		return nil, fmt.Errorf("decode response from %s: %w", subgraph, err)
	}
	if out.Data == nil && len(out.Errors) == 0 && status/100 != 2 {
		return nil, &StatusError{Subgraph: subgraph, Status: status}
	}
	return out, nil
}

// fetchPooled posts over the connection pool.
func (f *HTTP) fetchPooled(ctx context.Context, body []byte, enc encoding, header http.Header) (*wire.SubgraphResponse, error) {
	subgraph := f.subgraph
	if f.urlErr != nil {
		return nil, fmt.Errorf("request to %s: %w", subgraph, f.urlErr)
	}
	if f.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.Timeout)
		defer cancel()
	}
	limit, allowed := readLimit(ctx, f.MaxResponseBytes)
	rbuf := wire.GetBuffer()
	defer wire.PutBuffer(rbuf)
	ex, err := f.Conns.post(ctx, f.pooled, body, enc, header, *rbuf, limit)
	if ex.body != nil {
		*rbuf = ex.body[:0]
	}
	if err != nil {
		return nil, fmt.Errorf("post to %s: %w", subgraph, err)
	}
	if int64(len(ex.body)) > limit {
		return nil, tooLong(subgraph, limit, allowed)
	}
	return decodeSubgraphResponse(subgraph, ex.status, ex.body)
}
