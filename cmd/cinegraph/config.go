package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/cinegraph/cinegraph/app"
)

func runConfig(args []string, stdout, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("config", stderr, &common)
	validate := fs.Bool("validate", false, "check the configuration and the files it names (supergraph, manifest, key sets, TLS) and print nothing when they hold; exit non-zero with every problem otherwise")
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
	if *validate {
		if err := app.CheckFiles(cfg); err != nil {
			return fmt.Errorf("configuration%s names files that do not hold:\n%w", configSource(fs), err)
		}
		return nil
	}
	out, err := cfg.Masked()
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

// configSource names the file a configuration came from, for messages.
func configSource(fs *flag.FlagSet) string {
	if f := fs.Lookup("config"); f != nil && f.Value.String() != "" {
		return " (" + f.Value.String() + ")"
	}
	return ""
}
