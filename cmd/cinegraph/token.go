package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/demotoken"
)

// runToken prints a demo token for one of the seeded profiles, signed with
// the key in the data directory that `serve` and `router` accept in the
// demo profile.
func runToken(_ context.Context, args []string, stdout, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("token", stderr, &common)
	profile := fs.String("profile", "profile-1", "the profile the token names")
	admin := fs.Bool("admin", false, "grant the admin scope too")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	cfg, err := common.load()
	if err != nil {
		return err
	}
	if cfg.Profile != config.ProfileDemo || !cfg.Auth.DemoTokens {
		return errors.New("token: demo tokens exist only in the demo profile with auth.demo_tokens on")
	}
	issuer, err := demotoken.Open(cfg.DataDir, cfg.Auth.DemoTokenTTL)
	if err != nil {
		return err
	}
	tok, err := issuer.Issue(*profile, *admin)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	_, err = fmt.Fprintln(stdout, tok.Token)
	return err
}
