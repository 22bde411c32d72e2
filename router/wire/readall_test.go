package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestReadAll(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("0123456789abcdef"), 100_000) // 1.6 MB
	boom := errors.New("boom")
	for _, tc := range []struct {
		name        string
		r           io.Reader
		buf         []byte
		size, limit int64
		want        int
		err         error
	}{
		{"known length", bytes.NewReader(body), nil, int64(len(body)), 1 << 30, len(body), nil},
		{"chunked, no buffer", iotest.HalfReader(bytes.NewReader(body)), nil, -1, 1 << 30, len(body), nil},
		{"chunked, small pooled buffer", iotest.OneByteReader(bytes.NewReader(body[:10_000])), make([]byte, 0, 64), -1, 1 << 30, 10_000, nil},
		{"fits the pooled buffer", bytes.NewReader(body[:100]), make([]byte, 0, 4096), -1, 1 << 30, 100, nil},
		{"stops past the limit", bytes.NewReader(body), nil, -1, 50_000, -1, nil},
		{"stops past the limit, length known", bytes.NewReader(body), nil, int64(len(body)), 50_000, -1, nil},
		{"error mid-body", io.MultiReader(bytes.NewReader(body[:9000]), iotest.ErrReader(boom)), nil, -1, 1 << 30, 9000, boom},
		{"empty", bytes.NewReader(nil), nil, -1, 1 << 30, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ReadAll(tc.buf, tc.r, tc.size, tc.limit)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if tc.want < 0 {
				if int64(len(got)) <= tc.limit {
					t.Fatalf("read %d bytes, want more than the limit %d", len(got), tc.limit)
				}
				return
			}
			if !bytes.Equal(got, body[:tc.want]) {
				t.Fatalf("read %d bytes, want the body's first %d", len(got), tc.want)
			}
		})
	}
}
