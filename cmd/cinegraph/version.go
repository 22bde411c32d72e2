package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version and commit name the build. Release builds set them with
//
//	go build -ldflags "-X main.version=1.2.3 -X main.commit=abc1234" ./cmd/cinegraph
//
// and otherwise they come from what the Go toolchain recorded in the binary
// (the module version, vcs.revision and vcs.modified).
var (
	version string
	commit  string
)

// buildInfo is what `cinegraph version` prints.
type buildInfo struct {
	Version, Commit, GoVersion, Platform string
}

// readBuildInfo is debug.ReadBuildInfo, replaceable in tests.
var readBuildInfo = debug.ReadBuildInfo

// currentBuild resolves the build's identity: the -X values when set, else
// the toolchain's record, else "devel" and "unknown".
func currentBuild() buildInfo {
	b := buildInfo{
		Version:   version,
		Commit:    commit,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
	if info, ok := readBuildInfo(); ok {
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		if b.Commit == "" {
			var revision, modified string
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					revision = s.Value
				case "vcs.modified":
					modified = s.Value
				}
			}
			if revision != "" {
				b.Commit = revision
				if modified == "true" {
					b.Commit += "-dirty"
				}
			}
		}
		if info.GoVersion != "" {
			b.GoVersion = info.GoVersion
		}
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	return b
}

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", stderr, nil)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	b := currentBuild()
	_, err := fmt.Fprintf(stdout, "cinegraph %s\ncommit    %s\ngo        %s\nplatform  %s\n", b.Version, b.Commit, b.GoVersion, b.Platform)
	return err
}
