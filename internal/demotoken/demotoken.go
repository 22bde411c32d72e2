// Package demotoken signs tokens for the seeded demo profiles, so the demo
// platform is usable with real authentication and no identity provider.
// The Ed25519 signing key lives in the data directory, created on first
// use; the router verifies the tokens with its public half like any other
// JSON Web Key Set. Nothing here is for production: the production profile
// never turns it on.
package demotoken

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/viewer"
)

// Files in the data directory.
const (
	// KeyFile is the private signing key (a JWK), readable by its owner only.
	KeyFile = "demo-signing-key.json"
	// KeySetFile is the public key set the router verifies demo tokens with.
	KeySetFile = "demo-jwks.json"
)

// Claims of a demo token.
const (
	IssuerName = "cinegraph-demo"
	Audience   = "cinegraph"
	// ProfileClaim names the viewer's profile.
	ProfileClaim = "profile_id"
	// ViewerScope is every demo token's scope; AdminScope is added on
	// request.
	ViewerScope = "viewer"
)

// Issuer signs demo tokens.
type Issuer struct {
	key    jwk.Key
	keySet string
	ttl    time.Duration
	now    func() time.Time
}

// Open loads the signing key from dataDir, creating it (and the public key
// set file beside it) when missing. Tokens last ttl.
func Open(dataDir string, ttl time.Duration) (*Issuer, error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("demo tokens: %w", err)
	}
	keyPath := filepath.Join(dataDir, KeyFile)
	raw, err := os.ReadFile(keyPath)
	if errors.Is(err, fs.ErrNotExist) {
		raw, err = create(keyPath)
	}
	if err != nil {
		return nil, fmt.Errorf("demo tokens: %w", err)
	}
	key, err := jwk.ParseKey(raw)
	if err != nil {
		return nil, fmt.Errorf("demo tokens: %s: %w", keyPath, err)
	}
	pub, err := key.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("demo tokens: %w", err)
	}
	set := jwk.NewSet()
	if err := set.AddKey(pub); err != nil {
		return nil, fmt.Errorf("demo tokens: %w", err)
	}
	setRaw, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("demo tokens: %w", err)
	}
	setPath := filepath.Join(dataDir, KeySetFile)
	if err := writeAtomic(setPath, setRaw, 0o644); err != nil {
		return nil, fmt.Errorf("demo tokens: %w", err)
	}
	return &Issuer{key: key, keySet: setPath, ttl: ttl, now: time.Now}, nil
}

// create makes a new Ed25519 signing key and writes it to path.
func create(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	key, err := jwk.Import(priv)
	if err != nil {
		return nil, err
	}
	if err := jwk.AssignKeyID(key); err != nil {
		return nil, err
	}
	if err := key.Set(jwk.AlgorithmKey, jwa.EdDSA()); err != nil {
		return nil, err
	}
	if err := key.Set(jwk.KeyUsageKey, "sig"); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(key)
	if err != nil {
		return nil, err
	}
	// Another process may have created it meanwhile: the first one wins.
	if err := writeExclusive(path, raw); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return os.ReadFile(path)
		}
		return nil, err
	}
	return raw, nil
}

// writeExclusive writes data to a new file at path through a temporary
// file, so a crash never leaves a half-written key, and fails with
// fs.ErrExist when path exists.
func writeExclusive(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Link(tmp.Name(), path)
}

// writeAtomic replaces path with data.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".jwks-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// KeySetFile is the path of the public key set to verify tokens with.
func (i *Issuer) KeySetFile() string { return i.keySet }

// Profiles are the ids tokens are issued for: the seeded profiles.
func Profiles() []string {
	out := make([]string, seed.ProfileCount)
	for n := range out {
		out[n] = seed.ProfileID(n + 1)
	}
	return out
}

// Token is an issued token.
type Token struct {
	Token     string    `json:"token"`
	Profile   string    `json:"profile"`
	Scopes    []string  `json:"scopes"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Issue signs a token naming profile, one of Profiles, with the viewer
// scope and admin too when asked.
func (i *Issuer) Issue(profile string, admin bool) (Token, error) {
	if !slices.Contains(Profiles(), profile) {
		return Token{}, fmt.Errorf("no demo profile %q (want one of %s)", profile, strings.Join(Profiles(), ", "))
	}
	scopes := []string{ViewerScope}
	if admin {
		scopes = append(scopes, viewer.AdminScope)
	}
	now := i.now().Truncate(time.Second)
	exp := now.Add(i.ttl)
	tok, err := jwt.NewBuilder().
		Issuer(IssuerName).
		Audience([]string{Audience}).
		Subject(profile).
		IssuedAt(now).
		NotBefore(now).
		Expiration(exp).
		Claim(ProfileClaim, profile).
		Claim("scope", strings.Join(scopes, " ")).
		Build()
	if err != nil {
		return Token{}, err
	}
	signed, err := jwt.Sign(tok, jwt.WithKey(jwa.EdDSA(), i.key))
	if err != nil {
		return Token{}, err
	}
	return Token{Token: string(signed), Profile: profile, Scopes: scopes, ExpiresAt: exp.UTC()}, nil
}

// Handler answers POST {"profile": "profile-2", "admin": false} with a
// Token, for the web app's sign-in menu. It is mounted in the demo profile
// only. The answer is JSON that pages on other origins cannot read (no
// CORS), and a token gives nothing its holder could not get by asking.
func (i *Issuer) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			writeError(w, http.StatusUnsupportedMediaType, "send application/json")
			return
		}
		var body struct {
			Profile string `json:"profile"`
			Admin   bool   `json:"admin"`
		}
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			writeError(w, http.StatusBadRequest, "body must be {\"profile\": \"profile-1\", \"admin\": false}")
			return
		}
		tok, err := i.Issue(body.Profile, body.Admin)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(tok)
	})
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
		"message": msg, "extensions": map[string]any{"code": "BAD_USER_INPUT"},
	}}})
}
