package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// runProbe GETs one URL and succeeds on a 2xx answer: a health check for
// images with no shell and no curl (HEALTHCHECK CMD ["/cinegraph", "probe",
// "http://127.0.0.1:4000/health/live"]). Redirects are not followed: a 3xx
// fails, so a probe never passes on some other page's answer.
func runProbe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("probe", stderr, nil)
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long (connecting, sending and reading the answer)")
	insecure := fs.Bool("insecure", false, "skip TLS certificate verification (a process probing its own https listener on 127.0.0.1)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: cinegraph probe [-timeout 3s] [-insecure] URL")
		fs.PrintDefaults()
	}
	target, err := parseProbeArgs(fs, args)
	if err != nil {
		return err
	}
	if *timeout <= 0 {
		return fmt.Errorf("probe: -timeout must be positive, got %s", *timeout)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	req.Header.Set("User-Agent", "cinegraph-probe")
	transport := &http.Transport{
		// A probe reaches its own container: never through a proxy.
		Proxy:             nil,
		DisableKeepAlives: true,
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: *insecure}, //nolint:gosec // opt-in, for self-probes
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("probe %s: %w", target, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("probe %s: %s", target, resp.Status)
	}
	_, err = fmt.Fprintln(stdout, resp.Status)
	return err
}

// parseProbeArgs takes exactly one URL, with flags before or after it.
func parseProbeArgs(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fs.Usage()
		return "", errors.New("probe: a URL is required")
	}
	target := rest[0]
	if err := fs.Parse(rest[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("probe: unexpected arguments %v", fs.Args())
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("probe: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("probe: %q is not an http:// or https:// URL", target)
	}
	return target, nil
}
