package main

import (
	"io"
)

func runConfig(args []string, stdout, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("config", stderr, &common)
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
	out, err := cfg.Masked()
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}
