package validate

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

var dockerfilePath = filepath.Join(composeRepoRoot, "Dockerfile")

func dockerfilePolicy(t *testing.T) DockerfilePolicy {
	t.Helper()
	v, err := GoModVersion(filepath.Join(composeRepoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	return DockerfilePolicy{GoVersion: v}
}

func TestDockerfile(t *testing.T) {
	df, err := ParseDockerfileFile(dockerfilePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range CheckDockerfile(df, dockerfilePolicy(t)) {
		t.Error(v)
	}
	if base := df.BaseImage(len(df.Stages) - 1); base != "gcr.io/distroless/static-debian12:nonroot" {
		t.Errorf("final stage FROM %s, want gcr.io/distroless/static-debian12:nonroot", base)
	}
	if base := df.BaseImage(0); !strings.HasPrefix(base, "node:20") {
		t.Errorf("the web app builds FROM %s, want node:20", base)
	}

	env := df.Env()
	for k, want := range map[string]string{"CINEGRAPH_FRONTEND_DIR": "/srv/frontend", "CINEGRAPH_DATA_DIR": "/data"} {
		if env[k] != want {
			t.Errorf("ENV %s=%q, want %q", k, env[k], want)
		}
	}
	var (
		copies     = map[string]string{} // destination: --chown
		user       string
		workdir    string
		exposed    []string
		health     []string
		entrypoint []string
		cmd        []string
	)
	for _, c := range df.Final().Commands {
		switch c := c.(type) {
		case *instructions.CopyCommand:
			copies[c.DestPath] = c.Chown
		case *instructions.UserCommand:
			user = c.User
		case *instructions.WorkdirCommand:
			workdir = c.Path
		case *instructions.ExposeCommand:
			exposed = append(exposed, c.Ports...)
		case *instructions.HealthCheckCommand:
			health = c.Health.Test
		case *instructions.EntrypointCommand:
			entrypoint = c.CmdLine
		case *instructions.CmdCommand:
			cmd = c.CmdLine
		}
	}
	if _, ok := copies["/cinegraph"]; !ok {
		t.Error("the binary is not copied to /cinegraph")
	}
	if _, ok := copies[env["CINEGRAPH_FRONTEND_DIR"]]; !ok {
		t.Errorf("nothing is copied to CINEGRAPH_FRONTEND_DIR %s", env["CINEGRAPH_FRONTEND_DIR"])
	}
	if copies[env["CINEGRAPH_DATA_DIR"]] != "65532:65532" || workdir != env["CINEGRAPH_DATA_DIR"] {
		t.Errorf("the data directory %s is not owned by 65532:65532 and the working directory (chown %q, WORKDIR %q)", env["CINEGRAPH_DATA_DIR"], copies[env["CINEGRAPH_DATA_DIR"]], workdir)
	}
	if user != "65532:65532" {
		t.Errorf("USER %q, want the numeric 65532:65532", user)
	}
	if !slices.Contains(exposed, "4000") {
		t.Errorf("EXPOSE %v, want 4000", exposed)
	}
	if want := []string{"CMD", "/cinegraph", "probe", "http://127.0.0.1:4000/health/live"}; !slices.Equal(health, want) {
		t.Errorf("HEALTHCHECK %q, want %q", health, want)
	}
	if !slices.Equal(entrypoint, []string{"/cinegraph"}) {
		t.Errorf("ENTRYPOINT %q, want [/cinegraph]", entrypoint)
	}
	if !slices.Equal(cmd, []string{"serve", "--listen", "0.0.0.0:4000"}) {
		t.Errorf("CMD %q, want serve --listen 0.0.0.0:4000", cmd)
	}
}

// TestDockerfileViolations shows each policy failing on the Dockerfile
// broken in one way, with a violation naming the stage.
func TestDockerfileViolations(t *testing.T) {
	raw, err := os.ReadFile(dockerfilePath)
	if err != nil {
		t.Fatal(err)
	}
	original := string(raw)
	replace := func(old, new string) func(t *testing.T) string {
		return func(t *testing.T) string {
			if !strings.Contains(original, old) {
				t.Fatalf("the Dockerfile has no %q to break", old)
			}
			return strings.ReplaceAll(original, old, new)
		}
	}
	for _, tc := range []struct {
		name   string
		mutate func(t *testing.T) string
		stage  string // a part of the violation's stage name
		rule   string
	}{
		{"USER root", replace("USER 65532:65532", "USER root"), "final", "user"},
		{"USER 0:0", replace("USER 65532:65532", "USER 0:0"), "final", "user"},
		{"no USER", replace("USER 65532:65532\n", ""), "final", "user"},
		{"no HEALTHCHECK", replace("HEALTHCHECK --interval", "LABEL x=y\n# --interval"), "final", "healthcheck"},
		{"HEALTHCHECK NONE", func(t *testing.T) string { return original + "HEALTHCHECK NONE\n" }, "final", "healthcheck"},
		{"no ENTRYPOINT", replace(`ENTRYPOINT ["/cinegraph"]`, ""), "final", "entrypoint"},
		{"no -trimpath", replace("go build -trimpath", "go build"), `"build"`, "go-build"},
		{"no version stamp", replace("-X main.version=${VERSION} ", ""), `"build"`, "go-build"},
		{"cgo on", replace("CGO_ENABLED=0", "CGO_ENABLED=1"), `"build"`, "go-build"},
		{"another Go", replace("ARG GO_VERSION="+dockerfilePolicy(t).GoVersion+"\n", "ARG GO_VERSION=1.21.0\n"), `"build"`, "go-version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			df, err := ParseDockerfile(strings.NewReader(tc.mutate(t)))
			if err != nil {
				t.Fatal(err)
			}
			got := CheckDockerfile(df, dockerfilePolicy(t))
			if !slices.ContainsFunc(got, func(v DockerfileViolation) bool {
				return v.Rule == tc.rule && strings.Contains(v.Stage, tc.stage)
			}) {
				t.Errorf("no %s violation naming a stage with %s; got %v", tc.rule, tc.stage, got)
			}
		})
	}
	t.Run("a file BuildKit refuses", func(t *testing.T) {
		if _, err := ParseDockerfile(strings.NewReader("FROM scratch\nCOPY\n")); err == nil {
			t.Error("COPY with no arguments parsed")
		}
	})
}
