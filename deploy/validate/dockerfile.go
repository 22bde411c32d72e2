package validate

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Dockerfile is a Dockerfile parsed as BuildKit parses it.
type Dockerfile struct {
	Stages []instructions.Stage
	// MetaArgs are the ARGs before the first FROM, with their defaults.
	MetaArgs map[string]string
}

// ParseDockerfile parses r with BuildKit's parser and instruction set: a
// file BuildKit would refuse is an error.
func ParseDockerfile(r io.Reader) (*Dockerfile, error) {
	res, err := parser.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("dockerfile: %w", err)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, fmt.Errorf("dockerfile: %w", err)
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("dockerfile: no FROM")
	}
	df := &Dockerfile{Stages: stages, MetaArgs: map[string]string{}}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			df.MetaArgs[kv.Key] = kv.ValueString()
		}
	}
	return df, nil
}

// ParseDockerfileFile parses the Dockerfile at path.
func ParseDockerfileFile(path string) (*Dockerfile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseDockerfile(f)
}

// Final is the stage the image is: the last.
func (d *Dockerfile) Final() *instructions.Stage { return &d.Stages[len(d.Stages)-1] }

// BaseImage is stage i's FROM with the meta ARGs' defaults expanded.
func (d *Dockerfile) BaseImage(i int) string {
	return os.Expand(d.Stages[i].BaseName, func(k string) string { return d.MetaArgs[k] })
}

// StageName names stage i for messages: `stage 2 "build" (FROM golang:1.26.8)`.
func (d *Dockerfile) StageName(i int) string {
	name := "stage " + strconv.Itoa(i)
	if n := d.Stages[i].Name; n != "" {
		name += " " + strconv.Quote(n)
	}
	from := " (FROM "
	if i == len(d.Stages)-1 {
		from = " (final, FROM "
	}
	return name + from + d.BaseImage(i) + ")"
}

// Env is the environment the image sets: the final stage's ENVs (with a
// stage's own ENVs expanded where they name earlier ones).
func (d *Dockerfile) Env() map[string]string {
	env := map[string]string{}
	for _, c := range d.Final().Commands {
		if e, ok := c.(*instructions.EnvCommand); ok {
			for _, kv := range e.Env {
				env[kv.Key] = os.Expand(kv.Value, func(k string) string { return env[k] })
			}
		}
	}
	return env
}

// DockerfileViolation is one broken Dockerfile policy.
type DockerfileViolation struct {
	// Stage names the stage (Dockerfile.StageName), or is empty for the
	// file as a whole.
	Stage  string
	Rule   string
	Detail string
}

func (v DockerfileViolation) String() string {
	where := "Dockerfile"
	if v.Stage != "" {
		where = v.Stage
	}
	return fmt.Sprintf("%s: %s: %s", where, v.Rule, v.Detail)
}

// DockerfilePolicy parameterises CheckDockerfile.
type DockerfilePolicy struct {
	// GoVersion, when set, is go.mod's go version: the stage that runs
	// go build must start FROM golang:<GoVersion>[-variant].
	GoVersion string
}

// CheckDockerfile applies the image's policies:
//   - the final stage runs as a non-root USER (a numeric uid other than 0,
//     or nonroot), and has a HEALTHCHECK and an ENTRYPOINT;
//   - a stage runs go build with -trimpath, cgo off, and -ldflags setting
//     main.version (and main.commit), FROM the golang image of go.mod's
//     version.
func CheckDockerfile(d *Dockerfile, policy DockerfilePolicy) []DockerfileViolation {
	var out []DockerfileViolation
	add := func(stage, rule, format string, args ...any) {
		out = append(out, DockerfileViolation{Stage: stage, Rule: rule, Detail: fmt.Sprintf(format, args...)})
	}
	last := len(d.Stages) - 1
	final := d.StageName(last)
	var user string
	var health *instructions.HealthCheckCommand
	var entrypoint *instructions.EntrypointCommand
	for _, c := range d.Final().Commands {
		switch c := c.(type) {
		case *instructions.UserCommand:
			user = c.User
		case *instructions.HealthCheckCommand:
			health = c
		case *instructions.EntrypointCommand:
			entrypoint = c
		}
	}
	switch {
	case user == "":
		add(final, "user", "no USER: the image would run as its base image's user; set a numeric non-root one (USER 65532:65532)")
	case !DockerfileNonRootUser(user):
		add(final, "user", "USER %s is not a non-root user (a numeric uid other than 0, or nonroot)", user)
	}
	if health == nil || health.Health == nil || len(health.Health.Test) == 0 || health.Health.Test[0] == "NONE" {
		add(final, "healthcheck", "no HEALTHCHECK")
	}
	if entrypoint == nil || len(entrypoint.CmdLine) == 0 {
		add(final, "entrypoint", "no ENTRYPOINT")
	}

	builds := 0
	for i, s := range d.Stages {
		for _, c := range s.Commands {
			run, ok := c.(*instructions.RunCommand)
			if !ok {
				continue
			}
			line := strings.Join(run.CmdLine, " ")
			if !strings.Contains(line, "go build") {
				continue
			}
			builds++
			name := d.StageName(i)
			if !strings.Contains(line, "-trimpath") {
				add(name, "go-build", "go build without -trimpath")
			}
			if !strings.Contains(line, "CGO_ENABLED=0") {
				add(name, "go-build", "go build without CGO_ENABLED=0: the final image has no libc")
			}
			if !strings.Contains(line, "-ldflags") || !strings.Contains(line, "-X main.version=") {
				add(name, "go-build", "go build does not set main.version with -ldflags -X")
			}
			if !strings.Contains(line, "-X main.commit=") {
				add(name, "go-build", "go build does not set main.commit with -ldflags -X")
			}
			if policy.GoVersion != "" {
				base := d.BaseImage(i)
				repo, tag, _ := strings.Cut(base, ":")
				if repo != "golang" && !strings.HasSuffix(repo, "/golang") ||
					(tag != policy.GoVersion && !strings.HasPrefix(tag, policy.GoVersion+"-")) {
					add(name, "go-version", "builds FROM %s, want golang:%s (go.mod's go version)", base, policy.GoVersion)
				}
			}
		}
	}
	if builds == 0 {
		add("", "go-build", "no stage runs go build")
	}
	return out
}

// DockerfileNonRootUser: USER's user part is a numeric uid other than 0,
// or nonroot (distroless's 65532).
func DockerfileNonRootUser(user string) bool {
	uid, _, _ := strings.Cut(strings.TrimSpace(user), ":")
	if uid == "nonroot" {
		return true
	}
	n, err := strconv.Atoi(uid)
	return err == nil && n > 0
}

// GoModVersion is the go directive of the go.mod at path.
func GoModVersion(path string) (string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("%s: no go directive", path)
}
