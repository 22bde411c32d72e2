// Command cinegraph is Cinegraph's one binary: the whole platform (serve),
// one subgraph, the router, composition, seeding and config inspection.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: cinegraph <command> [flags]

commands:
  serve              run everything in one process: router, four subgraphs, web app, playground
  subgraph <name>    run one subgraph alone (catalog, video, chat, insights)
  router             run the federation router alone
  router plan        print the query plan of an operation
  compose            compose schema/<subgraph>/*.graphqls into schema/supergraph.graphql
  seed               reload the deterministic demo data into the stores
  migrate            apply the stores' schema migrations (they also run at start)
  reindex            rebuild the catalog search index with no downtime
  config             print the effective configuration, secrets masked
  token              print a demo token for a seeded profile (demo profile only)
  backup DIR         snapshot the embedded data into DIR, while serving
  restore DIR        put a snapshot back into the data directory (stop the platform first)
  probe URL          GET a URL and exit 0 on a 2xx answer (a health check with no shell or curl)
  version            print the version, commit, Go version and platform

run 'cinegraph <command> -h' for a command's flags
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "cinegraph:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stderr)
	case "subgraph":
		return runSubgraph(ctx, rest, stderr)
	case "router":
		if len(rest) > 0 && rest[0] == "plan" {
			return runPlan(ctx, rest[1:], stdout, stderr)
		}
		return runRouter(ctx, rest, stderr)
	case "compose":
		return runCompose(ctx, rest, stdout, stderr)
	case "seed":
		return runSeed(ctx, rest, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stderr)
	case "reindex":
		return runReindex(ctx, rest, stderr)
	case "config":
		return runConfig(rest, stdout, stderr)
	case "token":
		return runToken(ctx, rest, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, stdout, stderr)
	case "probe":
		return runProbe(ctx, rest, stdout, stderr)
	case "version", "--version":
		return runVersion(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}
