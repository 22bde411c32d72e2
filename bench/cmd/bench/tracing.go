package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
)

// parseRatios reads -tracing: sampling ratios from 0 to 1.
func parseRatios(list string) ([]float64, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var out []float64
	for _, f := range strings.Split(list, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || r < 0 || r > 1 {
			return nil, fmt.Errorf("-tracing: %q is not a sampling ratio from 0 to 1", f)
		}
		out = append(out, r)
	}
	return out, nil
}

// spanSink is an OTLP/HTTP trace receiver that reads and drops every
// export, so that a traced router pays for building, encoding and sending
// its spans and nothing measures the receiver.
type spanSink struct {
	*httptest.Server
	exports atomic.Int64
}

func startSpanSink() *spanSink {
	s := &spanSink{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST spans", http.StatusMethodNotAllowed)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		s.exports.Add(1)
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	return s
}
