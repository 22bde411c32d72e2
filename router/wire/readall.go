package wire

import (
	"errors"
	"io"
)

// ReadAll reads r into buf (a pooled buffer, typically), sized by the
// content length when known, and stops one byte past limit so the caller
// can tell an oversized body.
//
// Without a length (a chunked body) a body that outgrows buf is read into
// blocks that double in size and joined once at the end: each byte is
// copied once more, where growing one slice copies it again at every step
// (append grows large slices by only a quarter at a time).
func ReadAll(buf []byte, r io.Reader, size, limit int64) ([]byte, error) {
	if size > 0 && size <= limit && int64(cap(buf)) < size+1 {
		buf = make([]byte, 0, size+1)
	}
	if cap(buf) == 0 {
		buf = make([]byte, 0, 4096)
	}
	for {
		if len(buf) == cap(buf) {
			return readBlocks(buf, r, limit)
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

// maxBlock bounds one block of readBlocks.
const maxBlock = 4 << 20

// readBlocks reads the rest of r after the full head into blocks doubling
// from head's size, up to one byte past limit, and returns head and the
// blocks joined.
func readBlocks(head []byte, r io.Reader, limit int64) ([]byte, error) {
	blocks := [][]byte{head}
	total := int64(len(head))
	next := len(head)
	var rerr error
	for total <= limit {
		next = min(2*next, maxBlock)
		b := make([]byte, next)
		n, err := io.ReadFull(r, b)
		blocks = append(blocks, b[:n])
		total += int64(n)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			rerr = err
			break
		}
	}
	out := make([]byte, 0, total)
	for _, b := range blocks {
		out = append(out, b...)
	}
	return out, rerr
}
