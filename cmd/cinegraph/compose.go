package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/schemadiff"
	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/cinegraph/cinegraph/schema"
)

func runCompose(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("compose", stderr, &common)
	schemaDir := fs.String("schema-dir", "schema", "directory holding <subgraph>/*.graphqls")
	out := fs.String("out", "", "file to write (default <schema-dir>/supergraph.graphql; - for stdout)")
	check := fs.Bool("check", false, "fail if the file differs from a fresh composition instead of writing it")
	live := fs.Bool("live", false, "read each subgraph's SDL from its running _service endpoint instead of files")
	diff := fs.String("diff", "", "supergraph file to compare the fresh composition with: report the API schema's changes and fail on breaking ones")
	allowBreaking := fs.Bool("allow-breaking", false, "with --diff, report breaking changes without failing")
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
	var subgraphs []compose.Subgraph
	for _, name := range config.Subgraphs {
		url := "http://" + cfg.Subgraph.Listen[name] + "/graphql"
		if u, ok := cfg.Router.SubgraphURLs[name]; ok {
			url = u
		}
		var sdl string
		if *live {
			fetchCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
			sdl, err = compose.FetchSDL(fetchCtx, http.DefaultClient, url)
			cancel()
		} else {
			sdl, err = schema.Read(os.DirFS(*schemaDir), name)
		}
		if err != nil {
			return err
		}
		subgraphs = append(subgraphs, compose.Subgraph{Name: name, URL: url, SDL: sdl})
	}
	// The router's own sources run in its process: their schemas are
	// always read from files, even with --live.
	for _, name := range config.RouterSources {
		sdl, err := schema.Read(os.DirFS(*schemaDir), name)
		if err != nil {
			return err
		}
		subgraphs = append(subgraphs, compose.Subgraph{Name: name, URL: config.RouterSourceURL(name), SDL: sdl})
	}
	supergraph, err := compose.Compose(subgraphs)
	if err != nil {
		return err
	}
	if *diff != "" {
		if err := diffSupergraphs(*diff, supergraph, *allowBreaking, stderr); err != nil {
			return err
		}
	}
	target := *out
	if target == "" {
		target = filepath.Join(*schemaDir, schema.SupergraphFile)
	}
	if target == "-" {
		_, err := io.WriteString(stdout, supergraph)
		return err
	}
	if *check {
		current, err := os.ReadFile(target)
		if err != nil {
			return fmt.Errorf("compose --check: %w", err)
		}
		if !bytes.Equal(current, []byte(supergraph)) {
			return fmt.Errorf("compose --check: %s is out of date with the subgraph schemas; run `cinegraph compose` (make compose) and commit it", target)
		}
		fmt.Fprintf(stderr, "%s is up to date\n", target)
		return nil
	}
	if err := os.WriteFile(target, []byte(supergraph), 0o644); err != nil {
		return fmt.Errorf("write supergraph: %w", err)
	}
	fmt.Fprintf(stderr, "wrote %s\n", target)
	return nil
}

// diffSupergraphs compares the API schema of the supergraph in file base with
// that of fresh and prints every change; breaking changes fail the command
// unless allowed, so that one reaches clients only as a deliberate choice.
// It runs before anything is written, so a refused composition leaves the
// committed supergraph alone.
func diffSupergraphs(base, fresh string, allowBreaking bool, w io.Writer) error {
	raw, err := os.ReadFile(base)
	if err != nil {
		return fmt.Errorf("compose --diff: %w", err)
	}
	before, err := supergraph.Parse(string(raw))
	if err != nil {
		return fmt.Errorf("compose --diff: %s: %w", base, err)
	}
	after, err := supergraph.Parse(fresh)
	if err != nil {
		return fmt.Errorf("compose --diff: fresh composition: %w", err)
	}
	changes := schemadiff.Compare(before.APISchema(), after.APISchema())
	for _, c := range changes {
		fmt.Fprintln(w, c)
	}
	breaking := schemadiff.Count(changes, schemadiff.Breaking)
	fmt.Fprintf(w, "compose --diff %s: %d breaking, %d dangerous, %d safe changes to the API schema\n",
		base, breaking, schemadiff.Count(changes, schemadiff.Dangerous), schemadiff.Count(changes, schemadiff.Safe))
	if breaking > 0 && !allowBreaking {
		return fmt.Errorf("compose --diff: %d breaking changes for clients against %s; pass --allow-breaking if they are intended", breaking, base)
	}
	return nil
}
