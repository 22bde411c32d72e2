package fetch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/router/wire"
)

// ConnPool posts to plain-HTTP subgraphs over pooled HTTP/1.1 keep-alive
// connections, writing the request and reading the response on the calling
// goroutine. net/http's Transport runs a reader and a writer goroutine per
// connection and hands every request between them, which costs more CPU
// than the small GraphQL exchanges it carries; subgraphs on a private
// network need none of its proxy, TLS or HTTP/2 machinery.
type ConnPool struct {
	// MaxIdlePerHost bounds idle connections per subgraph; 0 means 128.
	MaxIdlePerHost int
	// IdleTimeout drops connections idle longer; 0 means 60s.
	IdleTimeout time.Duration
	dialer      net.Dialer

	mu   sync.Mutex
	idle map[string][]*h1Conn
}

type h1Conn struct {
	c        net.Conn
	br       *bufio.Reader
	bw       *bufio.Writer
	lastUsed time.Time
}

// aLongTimeAgo is a deadline that makes blocked reads and writes return.
var aLongTimeAgo = time.Unix(1, 0)

// NewConnPool returns an empty pool.
func NewConnPool() *ConnPool {
	return &ConnPool{dialer: net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}}
}

func (p *ConnPool) get(host string) *h1Conn {
	timeout := p.IdleTimeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		l := p.idle[host]
		if len(l) == 0 {
			return nil
		}
		c := l[len(l)-1]
		p.idle[host] = l[:len(l)-1]
		if time.Since(c.lastUsed) < timeout {
			return c
		}
		c.c.Close()
	}
}

func (p *ConnPool) put(host string, c *h1Conn) {
	max := p.MaxIdlePerHost
	if max <= 0 {
		max = 128
	}
	c.lastUsed = time.Now()
	p.mu.Lock()
	if p.idle == nil {
		p.idle = map[string][]*h1Conn{}
	}
	if len(p.idle[host]) < max {
		p.idle[host] = append(p.idle[host], c)
		c = nil
	}
	p.mu.Unlock()
	if c != nil {
		c.c.Close()
	}
}

// Close closes the idle connections.
func (p *ConnPool) Close() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, l := range idle {
		for _, c := range l {
			c.c.Close()
		}
	}
}

func (p *ConnPool) dial(ctx context.Context, host string) (*h1Conn, error) {
	c, err := p.dialer.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	return &h1Conn{c: c, br: bufio.NewReaderSize(c, 16<<10), bw: bufio.NewWriterSize(c, 16<<10)}, nil
}

// exchange is one response: status and body.
type exchange struct {
	status int
	body   []byte
}

// post sends body to u and reads the whole response body into buf (up to
// limit+1 bytes). A request on a reused connection that the subgraph had
// already closed (nothing came back) is sent once more on a new one.
func (p *ConnPool) post(ctx context.Context, u *url.URL, body []byte, enc encoding, header http.Header, buf []byte, limit int64) (exchange, error) {
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	for attempt := 0; ; attempt++ {
		c := p.get(host)
		reused := c != nil
		if c == nil {
			var err error
			if c, err = p.dial(ctx, host); err != nil {
				return exchange{}, err
			}
		}
		ex, keep, gotResponse, err := p.roundTrip(ctx, c, u, body, enc, header, buf, limit)
		if err == nil {
			if keep {
				p.put(host, c)
			} else {
				c.c.Close()
			}
			return ex, nil
		}
		c.c.Close()
		if reused && !gotResponse && attempt == 0 && ctx.Err() == nil && isClosedConn(err) {
			continue
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return exchange{}, ctxErr
		}
		// The connection's deadline is the context's, and may fire a moment
		// before the context's own timer does.
		if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
			return exchange{}, context.DeadlineExceeded
		}
		return exchange{}, err
	}
}

// isClosedConn reports the errors a connection the peer closed while idle
// produces on first use.
func isClosedConn(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		s := op.Err.Error()
		return strings.Contains(s, "reset by peer") || strings.Contains(s, "broken pipe")
	}
	return false
}

func (p *ConnPool) roundTrip(ctx context.Context, c *h1Conn, u *url.URL, body []byte, enc encoding, header http.Header, buf []byte, limit int64) (ex exchange, keep, gotResponse bool, err error) {
	if d, ok := ctx.Deadline(); ok {
		c.c.SetDeadline(d)
	} else {
		c.c.SetDeadline(time.Time{})
	}
	// Cancellation unblocks the read or write in progress.
	stop := context.AfterFunc(ctx, func() { c.c.SetDeadline(aLongTimeAgo) })
	defer stop()

	w := c.bw
	w.WriteString("POST ")
	w.WriteString(u.RequestURI())
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(u.Host)
	w.WriteString("\r\nContent-Type: application/json\r\nAccept: application/graphql-response+json, application/json\r\nContent-Length: ")
	var num [20]byte
	w.Write(strconv.AppendInt(num[:0], int64(len(body)), 10))
	w.WriteString("\r\n")
	if enc.content != "" {
		w.WriteString("Content-Encoding: ")
		w.WriteString(enc.content)
		w.WriteString("\r\n")
	}
	if enc.accept {
		w.WriteString("Accept-Encoding: ")
		w.WriteString(acceptEncodings[0])
		w.WriteString("\r\n")
	}
	for k, vs := range header {
		if !validHeaderName(k) || k == "Host" || k == "Content-Length" || k == "Content-Type" || k == "Accept" || k == "Connection" || k == "Transfer-Encoding" ||
			k == "Content-Encoding" || k == "Accept-Encoding" {
			continue
		}
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n") {
				continue
			}
			w.WriteString(k)
			w.WriteString(": ")
			w.WriteString(v)
			w.WriteString("\r\n")
		}
	}
	w.WriteString("\r\n")
	w.Write(body)
	if err := w.Flush(); err != nil {
		return exchange{}, false, false, fmt.Errorf("write request: %w", err)
	}
	if _, err := c.br.Peek(1); err != nil {
		return exchange{}, false, false, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return exchange{}, false, true, err
	}
	rd, size, release, err := decoded(u.Host, resp.Header, resp.Body, resp.ContentLength)
	if err != nil {
		return exchange{}, false, true, err
	}
	if release != nil {
		defer release()
	}
	raw, err := wire.ReadAll(buf, rd, size, limit)
	if err != nil {
		return exchange{}, false, true, err
	}
	if int64(len(raw)) > limit {
		// Unread rest: the connection cannot be reused.
		return exchange{status: resp.StatusCode, body: raw}, false, true, nil
	}
	resp.Body.Close()
	// A cancellation racing the end of the exchange may still move the
	// deadline; such a connection is not reused.
	keep = stop() && !resp.Close && c.br.Buffered() == 0
	c.c.SetDeadline(time.Time{})
	return exchange{status: resp.StatusCode, body: raw}, keep, true, nil
}

// validHeaderName rejects names that could break the request framing.
func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}
