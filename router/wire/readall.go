package wire

import "io"

// ReadAll reads r into buf (a pooled buffer, typically), sized by the
// content length when known, and stops one byte past limit so the caller
// can tell an oversized body. Without a length (a chunked body) the buffer
// doubles as it fills: append grows large slices by only a quarter, which
// for a body of megabytes means dozens of copies.
func ReadAll(buf []byte, r io.Reader, size, limit int64) ([]byte, error) {
	if size > 0 && size <= limit && int64(cap(buf)) < size+1 {
		buf = make([]byte, 0, size+1)
	}
	for {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), max(2*cap(buf), 4096))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf, nil
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
