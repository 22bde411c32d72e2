package main

import (
	"context"
	"fmt"
	"io"

	"github.com/cinegraph/cinegraph/app"
)

// runBackup snapshots the embedded data into a directory, while serving.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return backupOrRestore(ctx, "backup", args, stdout, stderr)
}

// runRestore puts a snapshot back into the data directory; the platform
// must be stopped.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return backupOrRestore(ctx, "restore", args, stdout, stderr)
}

func backupOrRestore(ctx context.Context, name string, args []string, stdout, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet(name, stderr, &common)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%s: name one directory (cinegraph %s [flags] DIR)", name, name)
	}
	cfg, err := common.load()
	if err != nil {
		return err
	}
	var files []string
	if name == "backup" {
		files, err = app.Backup(ctx, cfg, fs.Arg(0))
	} else {
		files, err = app.Restore(cfg, fs.Arg(0))
	}
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}
