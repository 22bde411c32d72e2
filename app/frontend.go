package app

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// frontendHandler serves the built web app from dir: files as they are,
// /playground from playground/index.html (unless playground is off), and
// index.html for every other path so client-side routes load the app.
// Without a built app it answers with a short page saying how to build it.
// Every response carries the security headers; issuer is auth.web.issuer,
// the OpenID Connect provider the app may talk to (empty: none).
func frontendHandler(dir string, playground bool, issuer string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return securityHeaders(issuerOrigin(issuer), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("Cinegraph: the web app is not built (run `make frontend`). GraphQL is at /graphql.\n"))
			return
		}
		clean := filepath.Clean("/" + r.URL.Path)
		if clean == "/media" || strings.HasPrefix(clean, mediaPrefix) {
			// Media has its own handler; whatever reaches here is missing,
			// and must not load as the app's page.
			mediaError(w, http.StatusNotFound, "not found")
			return
		}
		if clean == "/playground" || strings.HasPrefix(clean, "/playground/") {
			if !playground {
				http.NotFound(w, r)
				return
			}
			if clean == "/playground" {
				http.ServeFile(w, r, filepath.Join(dir, "playground", "index.html"))
				return
			}
		}
		if info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(clean))); err == nil && !info.IsDir() {
			if strings.HasPrefix(clean, "/assets/") {
				// Vite fingerprints asset names, so they never change.
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			files.ServeHTTP(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join(dir, "index.html"))
	}))
}

// authCallbackPath is where the OpenID Connect provider sends the browser
// back, in the page and in the app's hidden silent-renew frame.
const authCallbackPath = "/auth/callback"

// securityHeaders sets what browsers need to keep the app and the
// playground from being framed, sniffed or made to load foreign code.
// Only the sign-in callback may be framed, and by the app itself: that is
// how it renews a provider's tokens without a refresh token.
func securityHeaders(issuer string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		framable := issuer != "" && filepath.Clean("/"+r.URL.Path) == authCallbackPath
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", contentSecurityPolicy(r.Host, issuer, framable))
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		if framable {
			hdr.Set("X-Frame-Options", "SAMEORIGIN")
		} else {
			hdr.Set("X-Frame-Options", "DENY")
		}
		h.ServeHTTP(w, r)
	})
}

// issuerOrigin is the scheme://host[:port] of an issuer URL, or empty when
// there is none or it would not be safe to write into a policy.
func issuerOrigin(issuer string) string {
	u, err := url.Parse(issuer)
	if issuer == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || !plainHost(u.Host) {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// contentSecurityPolicy allows what the built app and playground load:
// scripts, workers and fonts from this origin only (Vite bundles them all,
// Monaco's workers included); inline styles, which MUI's emotion and
// Monaco inject at run time; artwork and media from this origin (/media),
// with data: and blob: URLs the editors and players make; GraphQL over
// HTTP and websockets to this host alone. With an OpenID Connect provider
// (issuer, an origin), the app also fetches its discovery document, keys
// and tokens, and frames it to renew tokens silently; framable lets the
// app frame this page.
func contentSecurityPolicy(host, issuer string, framable bool) string {
	connect := "connect-src 'self'"
	if plainHost(host) {
		connect += " ws://" + host + " wss://" + host
	}
	frame := "frame-src 'self'"
	if issuer != "" {
		connect += " " + issuer
		frame += " " + issuer
	}
	ancestors := "frame-ancestors 'none'"
	if framable {
		ancestors = "frame-ancestors 'self'"
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"font-src 'self' data:",
		"media-src 'self' blob:",
		"worker-src 'self' blob:",
		connect,
		frame,
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		ancestors,
	}, "; ")
}

// plainHost reports whether host is a name or address with a port at
// most, safe to write into a policy (a Host header may hold ';').
func plainHost(host string) bool {
	if host == "" {
		return false
	}
	for _, c := range []byte(host) {
		ok := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte(".-:[]", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}
