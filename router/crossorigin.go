package router

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// CORSConfig lets web apps served from other origins use the router. The
// zero value allows none: browsers then keep other origins' pages from
// reading answers or sending anything that needs a preflight, and their
// websockets are refused.
type CORSConfig struct {
	// AllowedOrigins are the origins (scheme://host[:port]) whose pages may
	// call the router and open websockets to it; "*" is any origin and one
	// "*" inside an entry is a wildcard (https://*.example.com). Empty
	// means none but the router's own.
	AllowedOrigins []string
	// AllowCredentials lets those pages send cookies and HTTP
	// authentication along.
	AllowCredentials bool
	// AllowedHeaders are the request headers those pages may set; empty
	// means the headers the router reads: Accept, Content-Type, the
	// forwarded headers, Authorization when tokens are verified, the plan
	// header and the CSRF headers.
	AllowedHeaders []string
	// MaxAge is how long browsers may cache a preflight's answer; zero
	// leaves it to the browser (a few seconds).
	MaxAge time.Duration
}

// CSRFConfig configures the refusal of requests that a page on another
// origin could have sent without the browser asking the router first (see
// request.Preflighted). The zero value is on, with the default headers.
type CSRFConfig struct {
	// RequiredHeaders mark a request without a preflighted Content-Type as
	// sent by script, which browsers preflight; nil means
	// request.DefaultCSRFHeaders, an empty slice none (then GETs must carry
	// Content-Type: application/json).
	RequiredHeaders []string
	// UnsafeDisabled turns the refusal off, for deployments whose clients
	// can send neither; any page on any origin can then run operations as
	// the browser's ambient identity.
	UnsafeDisabled bool
}

// crossOrigin is the router's answer to browsers on other origins: the
// CORS policy, the CSRF rule and which websockets may open.
type crossOrigin struct {
	// cors is nil when no other origin is allowed.
	cors        *cors.Cors
	csrfOff     bool
	csrfHeaders []string
	csrfMessage string
	logger      *slog.Logger
}

func newCrossOrigin(cfg Config, logger *slog.Logger) *crossOrigin {
	c := &crossOrigin{csrfOff: cfg.CSRF.UnsafeDisabled, csrfHeaders: cfg.CSRF.RequiredHeaders, logger: logger}
	if c.csrfHeaders == nil {
		c.csrfHeaders = request.DefaultCSRFHeaders
	}
	c.csrfMessage = "This request was refused as a possible cross-site request forgery (CSRF): send it with a Content-Type other than " +
		strings.Join(request.SimpleContentTypes, ", ") + " (such as application/json)"
	if len(c.csrfHeaders) > 0 {
		c.csrfMessage += " or with one of the headers " + strings.Join(c.csrfHeaders, ", ")
	}
	c.csrfMessage += "."
	if len(cfg.CORS.AllowedOrigins) == 0 {
		// rs/cors reads no origins as every origin.
		return c
	}
	headers := cfg.CORS.AllowedHeaders
	if len(headers) == 0 {
		headers = []string{"Accept", "Content-Type"}
		forward := cfg.ForwardHeaders
		if forward == nil {
			forward = DefaultForwardHeaders
		}
		headers = append(headers, forward...)
		if cfg.Auth != nil {
			headers = append(headers, "Authorization")
		}
		if cfg.PlanHeader != "" {
			headers = append(headers, cfg.PlanHeader)
		}
		headers = append(headers, c.csrfHeaders...)
	}
	maxAge := int(cfg.CORS.MaxAge / time.Second)
	c.cors = cors.New(cors.Options{
		AllowedOrigins:   cfg.CORS.AllowedOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   headers,
		AllowCredentials: cfg.CORS.AllowCredentials,
		MaxAge:           maxAge,
	})
	return c
}

// handler puts the CORS policy in front of h.
func (c *crossOrigin) handler(h http.Handler) http.Handler {
	if c.cors == nil {
		return h
	}
	return c.cors.Handler(h)
}

// refuse is the CSRF rule of every transport: nil when req may run.
func (c *crossOrigin) refuse(req *request.Request) *refusal {
	if c.csrfOff || request.Preflighted(req, c.csrfHeaders) {
		return nil
	}
	return &refusal{outcome: request.Blocked, code: cgerrs.BadUserInput, errs: gqlerror.List{gqlerror.Errorf("%s", c.csrfMessage)}}
}

// socketAllowed decides whether a websocket may open. Browsers let any page
// open a websocket to any server without asking it, and with it the
// page's own identity (cookies, and Cinegraph's connection_init profile),
// so only pages of the router's own origin (the host the request was sent
// to) and of the origins CORS allows may; clients that are not browsers
// send no Origin and are let in.
func (c *crossOrigin) socketAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if u, err := url.Parse(origin); err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	if c.cors != nil && c.cors.OriginAllowed(r) {
		return true
	}
	c.logger.Debug("websocket from another origin refused", "origin", origin, "host", r.Host)
	return false
}
