package router

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/request"
)

// TestInternalErrorsStayInTheLog: the client gets a generic INTERNAL error,
// the log and in-process callers get the detail.
func TestInternalErrorsStayInTheLog(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	d := newDemo(t)
	r := d.router(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	cause := errors.New("no fetch for field Product.secret")
	f := r.internalError(context.Background(), "query planning failed", cause, &request.Request{OperationName: "Top", Transport: request.SSE})
	raw, err := json.Marshal(f.response())
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != `{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}` {
		t.Fatalf("client sees %s", raw)
	}
	if f.outcome != request.Failed || !errors.Is(f, cause) {
		t.Fatalf("outcome %v, cause %v", f.outcome, f.cause)
	}
	for _, want := range []string{"query planning failed", "Product.secret", "operation=Top", "transport=sse"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q: %s", want, logs.String())
		}
	}
}
