package compose

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// serviceQuery is the federation query every subgraph answers with its SDL.
const serviceQuery = `{"query":"{ _service { sdl } }"}`

// maxSDLBytes bounds how much of a subgraph response is read.
const maxSDLBytes = 16 << 20

// FetchSDL asks a running subgraph for its schema with { _service { sdl } }.
// A nil client means http.DefaultClient; the context bounds the request.
func FetchSDL(ctx context.Context, client *http.Client, url string) (string, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(serviceQuery))
	if err != nil {
		return "", fmt.Errorf("fetch sdl from %s: %w", url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("fetch sdl from %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSDLBytes))
	if err != nil {
		return "", fmt.Errorf("fetch sdl from %s: read response: %w", url, err)
	}
	var out struct {
		Data *struct {
			Service *struct {
				SDL *string `json:"sdl"`
			} `json:"_service"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&out); err != nil {
		return "", fmt.Errorf("fetch sdl from %s: status %d: decode response: %w", url, resp.StatusCode, err)
	}
	if len(out.Errors) > 0 {
		msgs := make([]string, len(out.Errors))
		for i, e := range out.Errors {
			msgs[i] = e.Message
		}
		return "", fmt.Errorf("fetch sdl from %s: %s", url, strings.Join(msgs, "; "))
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetch sdl from %s: status %d", url, resp.StatusCode)
	}
	if out.Data == nil || out.Data.Service == nil || out.Data.Service.SDL == nil {
		return "", fmt.Errorf("fetch sdl from %s: response has no _service.sdl", url)
	}
	return *out.Data.Service.SDL, nil
}
