package wire

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"sync"
)

// AppendJSON appends the response as JSON: errors first, then data, then
// extensions, each omitted when empty. It matches MarshalJSON byte for byte
// without reflection, since every client response goes through it.
func (r *Response) AppendJSON(buf []byte) []byte {
	buf = append(buf, '{')
	n := 0
	if len(r.Errors) > 0 {
		buf = append(buf, `"errors":`...)
		buf = appendErrors(buf, r.Errors)
		n++
	}
	if len(r.Data) > 0 {
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `"data":`...)
		buf = append(buf, r.Data...)
		n++
	}
	if len(r.Extensions) > 0 {
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `"extensions":`...)
		buf = appendMap(buf, r.Extensions)
	}
	return append(buf, '}')
}

func appendErrors(buf []byte, errs []*Error) []byte {
	buf = append(buf, '[')
	for i, e := range errs {
		if i > 0 {
			buf = append(buf, ',')
		}
		if e == nil {
			buf = append(buf, "null"...)
			continue
		}
		buf = append(buf, `{"message":`...)
		buf = AppendString(buf, e.Message)
		if len(e.Locations) > 0 {
			buf = append(buf, `,"locations":[`...)
			for j, l := range e.Locations {
				if j > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, `{"line":`...)
				buf = strconv.AppendInt(buf, int64(l.Line), 10)
				buf = append(buf, `,"column":`...)
				buf = strconv.AppendInt(buf, int64(l.Column), 10)
				buf = append(buf, '}')
			}
			buf = append(buf, ']')
		}
		if len(e.Path) > 0 {
			buf = append(buf, `,"path":`...)
			buf = AppendJSON(buf, e.Path)
		}
		if len(e.Extensions) > 0 {
			buf = append(buf, `,"extensions":`...)
			buf = appendMap(buf, e.Extensions)
		}
		buf = append(buf, '}')
	}
	return append(buf, ']')
}

// appendMap writes an object with its keys sorted, as encoding/json does.
func appendMap(buf []byte, m map[string]any) []byte {
	if m == nil {
		return append(buf, "null"...)
	}
	var small [8]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	buf = append(buf, '{')
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = AppendString(buf, k)
		buf = append(buf, ':')
		buf = AppendJSON(buf, m[k])
	}
	return append(buf, '}')
}

// appendFloat formats f as encoding/json does.
func appendFloat(buf []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(buf, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	buf = strconv.AppendFloat(buf, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(buf); n >= 4 && buf[n-4] == 'e' && buf[n-3] == '-' && buf[n-2] == '0' {
			buf[n-2] = buf[n-1]
			buf = buf[:n-1]
		}
	}
	return buf
}

// AppendJSON appends the request as JSON, as encoding/json would write it.
func (r *SubgraphRequest) AppendJSON(buf []byte) []byte {
	buf = append(buf, `{"query":`...)
	buf = AppendString(buf, r.Query)
	if r.OperationName != "" {
		buf = append(buf, `,"operationName":`...)
		buf = AppendString(buf, r.OperationName)
	}
	if len(r.Variables) > 0 {
		buf = append(buf, `,"variables":`...)
		buf = appendMap(buf, r.Variables)
	}
	return append(buf, '}')
}

// bufPool recycles encoding buffers; huge ones are dropped so one large
// response does not pin memory.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

const maxPooledBuf = 1 << 20

// GetBuffer returns an empty pooled buffer; give it back with PutBuffer.
func GetBuffer() *[]byte {
	b := bufPool.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

// PutBuffer returns a buffer from GetBuffer to the pool.
func PutBuffer(b *[]byte) {
	if cap(*b) > maxPooledBuf {
		return
	}
	bufPool.Put(b)
}

// appendRaw appends raw JSON a caller already produced.
func appendRaw(buf []byte, raw json.RawMessage) []byte {
	if len(raw) == 0 {
		return append(buf, "null"...)
	}
	return append(buf, raw...)
}
