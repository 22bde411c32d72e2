// Package compression compresses HTTP responses with zstd or gzip as the
// client's Accept-Encoding allows, and decodes compressed bodies, with
// pooled encoders and decoders so that a compressed exchange costs little
// more CPU than the bytes it saves. The router uses it towards its clients
// and its subgraphs, the subgraphs' servers (internal/gqlserver) towards the
// router.
package compression

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// The content codings this package speaks.
const (
	Gzip = "gzip"
	Zstd = "zstd"
)

// DefaultAlgorithms are the codings offered when none are named, the
// first preferred when a client accepts both equally: zstd compresses
// GraphQL's JSON a little better than gzip at less CPU.
var DefaultAlgorithms = []string{Zstd, Gzip}

// DefaultMinBytes is the smallest response compressed by default: below
// about a kilobyte the coding's framing and the CPU cost more than the
// bytes saved.
const DefaultMinBytes = 1024

// Valid reports whether name is a coding this package can encode and
// decode.
func Valid(name string) bool { return name == Gzip || name == Zstd }

// Levels: fast ones. Responses are small and produced per request, so the
// last few percent of ratio are not worth several times the CPU.
const (
	gzipLevel = gzip.BestSpeed
	zstdLevel = zstd.SpeedFastest
	// zstdWindow bounds what an encoder keeps per stream; GraphQL
	// responses are rarely larger, and decoders (browsers among them)
	// need no more memory than this to read ours.
	zstdWindow = 1 << 20
	// maxDecodeWindow is the largest zstd window accepted from a peer:
	// the 8 MiB RFC 8878 asks every decoder to support.
	maxDecodeWindow = 8 << 20
)

// encoder is a pooled gzip.Writer or zstd.Encoder.
type encoder interface {
	io.Writer
	Flush() error
	Close() error
	Reset(io.Writer)
}

// codec is one coding with its pool of encoders: a few kept for good in
// idle, the rest in pool, which every other garbage collection empties. An
// encoder's state is hundreds of kilobytes and costs more to build than
// compressing a response, so a busy process should not build one per
// collection per request in flight.
type codec struct {
	name   string
	header []string // the Content-Encoding value, shared: net/http only reads it
	idle   chan encoder
	pool   sync.Pool
}

func newCodec(name string, newEncoder func() any) *codec {
	return &codec{name: name, header: []string{name}, idle: make(chan encoder, runtime.GOMAXPROCS(0)), pool: sync.Pool{New: newEncoder}}
}

func (c *codec) get() encoder {
	select {
	case e := <-c.idle:
		return e
	default:
		return c.pool.Get().(encoder)
	}
}

func (c *codec) put(e encoder) {
	// Drop the reference to the writer it wrote to.
	e.Reset(nil)
	select {
	case c.idle <- e:
	default:
		c.pool.Put(e)
	}
}

// accepts reports whether an Accept-Encoding entry names c.
func (c *codec) accepts(name string) bool {
	return strings.EqualFold(name, c.name) || c.name == Gzip && strings.EqualFold(name, "x-gzip")
}

var (
	gzipCodec = newCodec(Gzip, func() any {
		w, _ := gzip.NewWriterLevel(nil, gzipLevel)
		return w
	})
	zstdCodec = newCodec(Zstd, func() any {
		// One goroutine: the encoding runs on the caller's, as the
		// response's own work does.
		w, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstdLevel), zstd.WithEncoderConcurrency(1),
			zstd.WithWindowSize(zstdWindow), zstd.WithLowerEncoderMem(true))
		if err != nil {
			panic(fmt.Sprintf("compression: zstd encoder: %v", err))
		}
		return w
	})
)

func codecOf(name string) *codec {
	switch name {
	case Gzip:
		return gzipCodec
	case Zstd:
		return zstdCodec
	}
	return nil
}

// AppendGzip appends src compressed with gzip to dst, with a pooled
// encoder.
func AppendGzip(dst, src []byte) []byte {
	a := appenders.Get().(*appender)
	a.b = dst
	e := gzipCodec.get()
	e.Reset(a)
	_, _ = e.Write(src)
	_ = e.Close()
	gzipCodec.put(e)
	out := a.b
	a.b = nil
	appenders.Put(a)
	return out
}

// appender is an io.Writer appending to b.
type appender struct{ b []byte }

func (a *appender) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}

var appenders = sync.Pool{New: func() any { return new(appender) }}

// UnsupportedError is a Content-Encoding this package cannot decode.
type UnsupportedError struct {
	Encoding string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("Content-Encoding %q is not supported: send gzip, zstd or identity", e.Encoding)
}

// Pooled decoders.
var (
	gzipReaders = sync.Pool{New: func() any { return new(gzip.Reader) }}
	zstdReaders = sync.Pool{New: func() any {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(maxDecodeWindow))
		if err != nil {
			panic(fmt.Sprintf("compression: zstd decoder: %v", err))
		}
		return d
	}}
)

// NewReader returns a reader of r decoded as the Content-Encoding values
// say, and release, which hands the decoder back to its pool once reading
// is done. When the values name no coding (none, or identity) it returns
// r itself and a nil release. A coding other than gzip (x-gzip) or zstd,
// or several applied one over the other, is an *UnsupportedError; a body
// whose first bytes are not of its coding is an error too.
//
// Nothing here bounds the decoded size: the caller reads through a limit
// (http.MaxBytesReader), as it would an uncompressed body.
func NewReader(encodings []string, r io.Reader) (rd io.Reader, release func(), err error) {
	name, err := contentCoding(encodings)
	if err != nil || name == "" {
		return r, nil, err
	}
	switch name {
	case Gzip:
		z := gzipReaders.Get().(*gzip.Reader)
		if err := z.Reset(r); err != nil {
			releaseGzip(z)
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return z, func() { releaseGzip(z) }, nil
	default:
		d := zstdReaders.Get().(*zstd.Decoder)
		if err := d.Reset(r); err != nil {
			releaseZstd(d)
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return d, func() { releaseZstd(d) }, nil
	}
}

func releaseGzip(z *gzip.Reader) {
	// Drop the reference to the body it read; the header read fails at
	// once on an empty reader.
	_ = z.Reset(strings.NewReader(""))
	gzipReaders.Put(z)
}

func releaseZstd(d *zstd.Decoder) {
	_ = d.Reset(nil)
	zstdReaders.Put(d)
}

// contentCoding is the one coding Content-Encoding values apply, "" for
// none.
func contentCoding(values []string) (string, error) {
	coding := ""
	for _, v := range values {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			part = strings.TrimSpace(part)
			switch {
			case part == "" || strings.EqualFold(part, "identity"):
				continue
			case coding != "":
				return "", &UnsupportedError{Encoding: strings.Join(values, ", ")}
			case strings.EqualFold(part, Gzip) || strings.EqualFold(part, "x-gzip"):
				coding = Gzip
			case strings.EqualFold(part, Zstd):
				coding = Zstd
			default:
				return "", &UnsupportedError{Encoding: part}
			}
		}
	}
	return coding, nil
}

// Encoded reports whether Content-Encoding values name a coding other than
// identity (supported or not).
func Encoded(values []string) bool {
	for _, v := range values {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			if part = strings.TrimSpace(part); part != "" && !strings.EqualFold(part, "identity") {
				return true
			}
		}
	}
	return false
}

// checkAlgorithms reports the first name that is not a coding, or one
// named twice.
func checkAlgorithms(names []string) error {
	for i, n := range names {
		if !Valid(n) {
			return fmt.Errorf("compression algorithm %q is not one of %s, %s", n, Zstd, Gzip)
		}
		if slices.Contains(names[:i], n) {
			return fmt.Errorf("compression algorithm %q is named twice", n)
		}
	}
	return nil
}
