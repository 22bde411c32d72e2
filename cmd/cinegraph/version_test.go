package main

import (
	"bytes"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	stubBuild := func(t *testing.T, v, c string, info *debug.BuildInfo) {
		t.Helper()
		oldV, oldC, oldRead := version, commit, readBuildInfo
		t.Cleanup(func() { version, commit, readBuildInfo = oldV, oldC, oldRead })
		version, commit = v, c
		readBuildInfo = func() (*debug.BuildInfo, bool) { return info, info != nil }
	}
	vcs := &debug.BuildInfo{
		GoVersion: "go1.99.1",
		Main:      debug.Module{Path: "github.com/cinegraph/cinegraph", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	for _, tc := range []struct {
		name         string
		version      string
		commit       string
		info         *debug.BuildInfo
		wantV, wantC string
		wantGo       string
	}{
		{name: "ldflags win", version: "1.2.3", commit: "abc1234", info: vcs, wantV: "1.2.3", wantC: "abc1234", wantGo: "go1.99.1"},
		{name: "vcs stamp", info: vcs, wantV: "devel", wantC: "0123456789abcdef-dirty", wantGo: "go1.99.1"},
		{name: "clean tree", info: &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "feed"}, {Key: "vcs.modified", Value: "false"}}},
			wantV: "v1.4.0", wantC: "feed", wantGo: runtime.Version()},
		{name: "nothing recorded", wantV: "devel", wantC: "unknown", wantGo: runtime.Version()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stubBuild(t, tc.version, tc.commit, tc.info)
			var out bytes.Buffer
			if err := run(t.Context(), []string{"version"}, &out, io.Discard); err != nil {
				t.Fatal(err)
			}
			want := "cinegraph " + tc.wantV + "\ncommit    " + tc.wantC + "\ngo        " + tc.wantGo + "\nplatform  " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
			if out.String() != want {
				t.Errorf("version printed\n%s\nwant\n%s", out.String(), want)
			}
		})
	}
	t.Run("no arguments", func(t *testing.T) {
		if err := run(t.Context(), []string{"version", "extra"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "unexpected arguments") {
			t.Errorf("version extra: got %v", err)
		}
	})
}
