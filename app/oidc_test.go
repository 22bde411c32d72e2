package app

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/oauth2"
	"golang.org/x/text/language"

	"github.com/cinegraph/cinegraph/internal/config"
)

// The test provider's one client and one user.
const (
	testClientID = "cinegraph-web"
	testUser     = "viewer@cinegraph.test"
	testPassword = "correct horse battery staple"
	testUserID   = "user-2"
	// testProfile is what the user's access tokens carry in profile_id.
	testProfile = "profile-2"
)

// TestOIDCSignIn signs a viewer in as the web app does, at an OpenID
// Provider running in the test (zitadel/oidc's op package and the
// in-memory storage its module ships): GET /auth/config, the provider's
// discovery document, the authorization code flow with PKCE through the
// provider's login page, and the provider's access token on /graphql.
func TestOIDCSignIn(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// The web app's address; the browser stops before it, with the code
	// in hand.
	const redirectURI = "http://127.0.0.1:5173/auth/callback"
	idp := startProvider(t, storage.NativeClient(testClientID, redirectURI))

	cfg := config.Default()
	cfg.Auth.OIDCIssuers = []string{idp.url}
	cfg.Auth.Audiences = []string{testClientID} // the provider's access tokens are for the client
	cfg.Auth.JWKSRefresh = time.Second          // to see the rotation below soon
	cfg.Auth.Web = config.WebAuth{Issuer: idp.url, ClientID: testClientID, Scopes: []string{"openid", "profile"}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	in := startConfigured(t, cfg)

	var ac AuthConfig
	t.Run("auth config names the provider and the client", func(t *testing.T) {
		resp := httpDo(ctx, t, http.DefaultClient, http.MethodGet, in.url+AuthConfigPath, nil)
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%d %v %s", resp.StatusCode, resp.Header, raw)
		}
		want := `{"demoTokens":true,"oidc":{"issuer":"` + idp.url + `","clientId":"cinegraph-web","scopes":["openid","profile"],"audience":null}}`
		if strings.TrimSpace(string(raw)) != want {
			t.Fatalf("body %s\nwant %s", raw, want)
		}
		if err := json.Unmarshal(raw, &ac); err != nil || ac.OIDC == nil {
			t.Fatalf("%v %+v", err, ac)
		}
	})
	if ac.OIDC == nil {
		t.FailNow()
	}

	web := newWebApp(ctx, t, *ac.OIDC, redirectURI)
	token := web.signIn(ctx, t, testUser, testPassword)
	demo := in.token(t, "profile-1")

	idp.rotate(t)
	rotated := web.signIn(ctx, t, testUser, testPassword)
	if kid(t, rotated) == kid(t, token) {
		t.Fatal("the provider signed with the same key after rotating")
	}

	const viewerQuery = `{ viewer { id } }`
	tests := []struct {
		name  string
		token string
		// wait retries until the router agrees, for a change of keys it
		// only sees on its next refresh
		wait       bool
		wantStatus int
		// wantViewer is the viewer's id; empty means an UNAUTHENTICATED
		// error and no data
		wantViewer string
	}{
		{name: "the provider's access token is the viewer", token: token, wantStatus: http.StatusOK, wantViewer: testProfile},
		{name: "a demo token beside it", token: demo, wantStatus: http.StatusOK, wantViewer: "profile-1"},
		{name: "a tampered signature", token: tamper(t, token), wantStatus: http.StatusUnauthorized},
		{name: "a token signed with the provider's new key", token: rotated, wait: true, wantStatus: http.StatusOK, wantViewer: testProfile},
		{name: "a token signed with a key the provider retired", token: token, wait: true, wantStatus: http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var status int
			var r *gqlResponse
			for {
				status, r = post(t, in.url+"/graphql", map[string]string{"Authorization": "Bearer " + tc.token}, viewerQuery, nil)
				if status == tc.wantStatus || !tc.wait || ctx.Err() != nil {
					break
				}
				select {
				case <-ctx.Done():
				case <-time.After(100 * time.Millisecond):
				}
			}
			if status != tc.wantStatus || r == nil {
				t.Fatalf("status %d, want %d: %v", status, tc.wantStatus, r)
			}
			if tc.wantViewer == "" {
				if r.Data != nil || strings.Join(codes(r), ",") != "UNAUTHENTICATED" {
					t.Fatalf("%v %v", r.Data, r.Errors)
				}
				return
			}
			if len(r.Errors) > 0 || dig(r.Data, "viewer", "id") != tc.wantViewer {
				t.Fatalf("viewer %v, want %s: %v", r.Data, tc.wantViewer, r.Errors)
			}
		})
	}
}

// TestAuthConfig is /auth/config for each way the web app may sign in.
func TestAuthConfig(t *testing.T) {
	t.Parallel()
	aud := "https://api.cinegraph.example"
	tests := []struct {
		name   string
		id     *identity
		method string
		status int
		body   string
	}{
		{"no sign-in", &identity{}, http.MethodGet, http.StatusOK, `{"demoTokens":false,"oidc":null}`},
		{"an audience", &identity{web: config.WebAuth{Issuer: "https://id.example", ClientID: "web", Scopes: []string{"openid"}, Audience: aud}},
			http.MethodGet, http.StatusOK, `{"demoTokens":false,"oidc":{"issuer":"https://id.example","clientId":"web","scopes":["openid"],"audience":"https://api.cinegraph.example"}}`},
		{"HEAD", &identity{}, http.MethodHead, http.StatusOK, ``},
		{"POST", &identity{}, http.MethodPost, http.StatusMethodNotAllowed, `{"errors":[{"message":"use GET","extensions":{"code":"BAD_REQUEST"}}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			authConfigHandler(tc.id).ServeHTTP(rec, httptest.NewRequest(tc.method, AuthConfigPath, nil))
			if rec.Code != tc.status || rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("%d %v", rec.Code, rec.Header())
			}
			if got := strings.TrimSpace(rec.Body.String()); got != tc.body {
				t.Fatalf("body %s\nwant %s", got, tc.body)
			}
			if tc.status == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Fatalf("Allow %q", rec.Header().Get("Allow"))
			}
		})
	}
}

// startConfigured runs a `serve` platform with cfg (its data and web app
// directories made up) until the test ends.
func startConfigured(t *testing.T, cfg config.Config) *instance {
	t.Helper()
	cfg.DataDir = t.TempDir()
	cfg.Frontend.Dir = t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	p, err := Open(ctx, cfg, logger)
	if err != nil {
		cancel()
		_ = ln.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, p.Handler(), p.Health(), cfg.Server, 5*time.Second, logger) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if err := p.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		http.DefaultClient.CloseIdleConnections()
	})
	return &instance{url: "http://" + ln.Addr().String(), dataDir: cfg.DataDir, cfg: cfg, internal: p.InternalURL()}
}

// provider is an OpenID Provider on loopback: zitadel/oidc's op package
// over the in-memory storage of its module's example server, with JWT
// access tokens for the web app's client, a profile_id claim in them, and
// signing keys the test can rotate.
type provider struct {
	*storage.Storage
	url string

	mu sync.Mutex
	// signing signs new tokens; published are the keys /keys lists.
	signing   *signingKey
	published []*signingKey
}

// startProvider starts the provider with clients (their redirect URIs
// are known beforehand) until the test ends.
func startProvider(t *testing.T, clients ...*storage.Client) *provider {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	byID := map[string]*storage.Client{}
	for _, c := range clients {
		byID[c.GetID()] = c
	}
	p := &provider{url: "http://" + srv.Listener.Addr().String(), Storage: storage.NewStorageWithClients(users{}, byID)}
	p.rotate(t)
	o, err := op.NewProvider(&op.Config{
		CryptoKey:          sha256.Sum256([]byte(t.Name())),
		CodeMethodS256:     true,
		SupportedUILocales: []language.Tag{language.English},
	}, p, op.StaticIssuer(p.url), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	// The login page the provider sends the browser to (the storage's
	// clients name /login/username), and the form it posts.
	mux.HandleFunc("GET /login/username", func(w http.ResponseWriter, r *http.Request) {
		renderLogin(w, http.StatusOK, r.FormValue("authRequestID"), "")
	})
	callback := op.AuthCallbackURL(o)
	mux.Handle("POST /login/username", op.NewIssuerInterceptor(o.IssuerFromRequest).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.FormValue("id")
		if err := p.CheckUsernamePassword(r.FormValue("username"), r.FormValue("password"), id); err != nil {
			renderLogin(w, http.StatusUnauthorized, id, err.Error())
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	}))
	mux.Handle("/", o)
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return p
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<title>Sign in</title>
{{with .Error}}<p>{{.}}</p>{{end}}
<form method="post" action="/login/username">
<input type="hidden" name="id" value="{{.ID}}">
<input name="username"> <input name="password" type="password">
<button>Sign in</button>
</form>
`))

func renderLogin(w http.ResponseWriter, status int, id, problem string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = loginPage.Execute(w, struct{ ID, Error string }{id, problem})
}

// rotate signs with a new key from now on, and publishes only it.
func (p *provider) rotate(t *testing.T) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	k := &signingKey{id: base64.RawURLEncoding.EncodeToString(b), key: key}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.signing, p.published = k, []*signingKey{k}
}

// GetClientByClientID is the web app's client as a browser's: a public
// client (no secret, so PKCE) getting JWT access tokens the router can
// verify, on an http redirect URI (DevMode), which the test's loopback
// web app needs.
func (p *provider) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := p.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return webClient{c}, nil
}

type webClient struct{ op.Client }

func (webClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeUserAgent }
func (webClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeJWT }
func (webClient) DevMode() bool                       { return true }

// GetPrivateClaimsFromScopes adds the user's Cinegraph profile to JWT
// access tokens, beside the storage's own claims.
func (p *provider) GetPrivateClaimsFromScopes(ctx context.Context, userID, clientID string, scopes []string) (map[string]any, error) {
	claims, err := p.Storage.GetPrivateClaimsFromScopes(ctx, userID, clientID, scopes)
	if err != nil {
		return nil, err
	}
	if userID == testUserID {
		if claims == nil {
			claims = map[string]any{}
		}
		claims["profile_id"] = testProfile
	}
	return claims, nil
}

func (p *provider) SigningKey(context.Context) (op.SigningKey, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.signing, nil
}

func (p *provider) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (p *provider) KeySet(context.Context) ([]op.Key, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	keys := make([]op.Key, 0, len(p.published))
	for _, k := range p.published {
		keys = append(keys, publicKey{k})
	}
	return keys, nil
}

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

type publicKey struct{ k *signingKey }

func (k publicKey) ID() string                         { return k.k.id }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.k.key.PublicKey }

// users is the provider's one user.
type users struct{}

var theUser = &storage.User{ID: testUserID, Username: testUser, Password: testPassword, FirstName: "Test", LastName: "Viewer",
	Email: testUser, EmailVerified: true, PreferredLanguage: language.English}

func (users) GetUserByID(id string) *storage.User {
	if id == theUser.ID {
		return theUser
	}
	return nil
}

func (users) GetUserByUsername(name string) *storage.User {
	if name == theUser.Username {
		return theUser
	}
	return nil
}

func (users) ExampleClientID() string { return storage.ServiceUserID }

// webApp is the web app's side of the sign-in: what /auth/config and the
// provider's discovery document say, and a browser with cookies.
type webApp struct {
	conf     oauth2.Config
	audience string
	browser  *http.Client
	redirect string
}

func newWebApp(ctx context.Context, t *testing.T, c OIDCClient, redirectURI string) *webApp {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	transport := &http.Transport{}
	t.Cleanup(transport.CloseIdleConnections)
	browser := &http.Client{Jar: jar, Transport: transport, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), redirectURI) {
			return http.ErrUseLastResponse // back at the web app
		}
		if len(via) > 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp := httpDo(ctx, t, browser, http.MethodGet, strings.TrimSuffix(c.Issuer, "/")+"/.well-known/openid-configuration", nil)
	var doc struct {
		Issuer                string   `json:"issuer"`
		AuthorizationEndpoint string   `json:"authorization_endpoint"`
		TokenEndpoint         string   `json:"token_endpoint"`
		CodeChallengeMethods  []string `json:"code_challenge_methods_supported"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || doc.Issuer != c.Issuer || doc.AuthorizationEndpoint == "" || doc.TokenEndpoint == "" {
		t.Fatalf("discovery: %v %+v", err, doc)
	}
	w := &webApp{browser: browser, redirect: redirectURI, conf: oauth2.Config{
		ClientID: c.ClientID,
		Endpoint: oauth2.Endpoint{AuthURL: doc.AuthorizationEndpoint, TokenURL: doc.TokenEndpoint, AuthStyle: oauth2.AuthStyleInParams},
		// A public client: no secret.
		RedirectURL: redirectURI,
		Scopes:      c.Scopes,
	}}
	if c.Audience != nil {
		w.audience = *c.Audience
	}
	return w
}

var (
	formAction  = regexp.MustCompile(`<form method="post" action="([^"]*)"`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
)

// signIn runs the authorization code flow with PKCE as the browser and the
// web app do, and returns the access token.
func (w *webApp) signIn(ctx context.Context, t *testing.T, username, password string) string {
	t.Helper()
	verifier, state := oauth2.GenerateVerifier(), oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if w.audience != "" {
		opts = append(opts, oauth2.SetAuthURLParam("audience", w.audience))
	}
	// The authorization endpoint sends the browser to the login page.
	resp := httpDo(ctx, t, w.browser, http.MethodGet, w.conf.AuthCodeURL(state, opts...), nil)
	page, _ := io.ReadAll(resp.Body)
	action := formAction.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || action == nil {
		t.Fatalf("login page: %d %s", resp.StatusCode, page)
	}
	form := url.Values{"username": {username}, "password": {password}}
	for _, m := range hiddenInput.FindAllSubmatch(page, -1) {
		form.Set(html.UnescapeString(string(m[1])), html.UnescapeString(string(m[2])))
	}
	target, err := resp.Request.URL.Parse(html.UnescapeString(string(action[1])))
	if err != nil {
		t.Fatal(err)
	}
	// Signing in sends the browser back to the web app with a code.
	resp = httpDo(ctx, t, w.browser, http.MethodPost, target.String(), form)
	loc, err := resp.Location()
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), w.redirect) {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("after the login page: %d %v %s", resp.StatusCode, loc, body)
	}
	q := loc.Query()
	if q.Get("state") != state || q.Get("code") == "" {
		t.Fatalf("redirect %s, want state %s and a code", loc, state)
	}
	// The web app trades the code, with the verifier, for tokens.
	tok, err := w.conf.Exchange(context.WithValue(ctx, oauth2.HTTPClient, w.browser), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if strings.Count(tok.AccessToken, ".") != 2 {
		t.Fatalf("access token %q is not a JWT", tok.AccessToken)
	}
	return tok.AccessToken
}

// httpDo sends a request bounded by ctx (a form when form is not nil) and
// closes the body when the test ends.
func httpDo(ctx context.Context, t *testing.T, c *http.Client, method, u string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// tamper changes one byte of a JWT's signature.
func tamper(t *testing.T, jwt string) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	sig[len(sig)/2] ^= 0x01
	parts[2] = base64.RawURLEncoding.EncodeToString(sig)
	return strings.Join(parts, ".")
}

// kid is a JWT's key id.
func kid(t *testing.T, jwt string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(raw, &h); err != nil || h.Kid == "" {
		t.Fatalf("header %s: %v", raw, err)
	}
	return h.Kid
}
