// Package execute runs query plans: it sends subgraph fetches (concurrently
// where the plan allows), merges their results into one response tree, and
// shapes that tree into the client's response with GraphQL null propagation.
package execute

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// SubgraphRequest is one GraphQL request to a subgraph.
type SubgraphRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
}

// SubgraphResponse is a subgraph's GraphQL response, numbers kept as
// json.Number.
type SubgraphResponse struct {
	Data   map[string]any  `json:"data"`
	Errors []SubgraphError `json:"errors"`
}

// SubgraphError is an error as a subgraph reports it.
type SubgraphError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Fetcher sends one request to a subgraph. Breakers, retries, tracing and
// other transports wrap or replace it.
type Fetcher interface {
	Fetch(ctx context.Context, subgraph string, req *SubgraphRequest, header http.Header) (*SubgraphResponse, error)
}

// HTTPFetcher posts JSON to subgraph URLs.
type HTTPFetcher struct {
	Client *http.Client
	URLs   map[string]string
	// MaxResponseBytes bounds a subgraph response; 0 means 64 MiB.
	MaxResponseBytes int64
}

// DefaultClient returns an http.Client tuned for many small requests to a
// few hosts.
func DefaultClient() *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 128,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// Fetch implements Fetcher.
func (f *HTTPFetcher) Fetch(ctx context.Context, subgraph string, sreq *SubgraphRequest, header http.Header) (*SubgraphResponse, error) {
	url, ok := f.URLs[subgraph]
	if !ok {
		return nil, fmt.Errorf("no URL for subgraph %s", subgraph)
	}
	body, err := json.Marshal(sreq)
	if err != nil {
		return nil, fmt.Errorf("encode request to %s: %w", subgraph, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("request to %s: %w", subgraph, err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("post to %s: %w", subgraph, err)
	}
	defer resp.Body.Close()
	limit := f.MaxResponseBytes
	if limit <= 0 {
		limit = 64 << 20
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read response from %s: %w", subgraph, err)
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("response from %s is larger than %d bytes", subgraph, limit)
	}
	out, err := DecodeResponse(raw)
	if err != nil {
		// A non-GraphQL body: report the status, which says more.
		if resp.StatusCode/100 != 2 {
			return nil, fmt.Errorf("%s answered HTTP %d", subgraph, resp.StatusCode)
		}
		return nil, fmt.Errorf("decode response from %s: %w", subgraph, err)
	}
	if out.Data == nil && len(out.Errors) == 0 && resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s answered HTTP %d", subgraph, resp.StatusCode)
	}
	return out, nil
}

// DecodeResponse parses a GraphQL response body keeping numbers exact.
func DecodeResponse(raw []byte) (*SubgraphResponse, error) {
	v, err := parseJSON(raw)
	if err != nil {
		return nil, err
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("a GraphQL response must be a JSON object")
	}
	out := &SubgraphResponse{}
	switch d := top["data"].(type) {
	case map[string]any:
		out.Data = d
	case nil:
	default:
		return nil, errors.New("data must be an object or null")
	}
	if errs, ok := top["errors"].([]any); ok {
		for _, e := range errs {
			em, ok := e.(map[string]any)
			if !ok {
				continue
			}
			se := SubgraphError{}
			se.Message, _ = em["message"].(string)
			se.Path, _ = em["path"].([]any)
			se.Extensions, _ = em["extensions"].(map[string]any)
			out.Errors = append(out.Errors, se)
		}
	}
	return out, nil
}
