package validate

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// LoadCompose parses compose files as `docker compose` does (includes,
// anchors, merges, interpolation, path resolution, consistency checks),
// with env as the only environment: nothing of this process's environment
// and no .env file takes part, so the result is the same on every machine.
func LoadCompose(ctx context.Context, env map[string]string, files ...string) (*types.Project, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("compose: no file given")
	}
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	opts, err := cli.NewProjectOptions(files,
		cli.WithWorkingDirectory(filepath.Dir(files[0])),
		cli.WithEnv(environ),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return nil, fmt.Errorf("compose %s: %w", strings.Join(files, ", "), err)
	}
	p, err := opts.LoadProject(ctx)
	if err != nil {
		return nil, fmt.Errorf("compose %s: %w", strings.Join(files, ", "), err)
	}
	return p, nil
}

// ComposeViolation is one broken compose policy.
type ComposeViolation struct {
	// Service is the service's name, or empty for the project as a whole.
	Service string
	// Rule names the policy.
	Rule   string
	Detail string
}

func (v ComposeViolation) String() string {
	where := "project"
	if v.Service != "" {
		where = "service " + v.Service
	}
	return fmt.Sprintf("%s: %s: %s", where, v.Rule, v.Detail)
}

// CheckCompose applies the policies every compose file of the project
// holds, engines-only or full stack:
//   - every service names an image (a built one too: one name for the
//     image every role runs);
//   - every service has a health check, or is a one-shot job (restart "no")
//     that another service waits on with service_completed_successfully;
//   - a port is published on loopback only;
//   - every depends_on target exists;
//   - application services (built here, or running an image built here)
//     run as a non-root user on a read-only root filesystem.
func CheckCompose(p *types.Project) []ComposeViolation {
	var out []ComposeViolation
	add := func(service, rule, format string, args ...any) {
		out = append(out, ComposeViolation{Service: service, Rule: rule, Detail: fmt.Sprintf(format, args...)})
	}
	if len(p.Services) == 0 {
		add("", "services", "the project has no services")
	}
	built := builtImages(p)
	for _, name := range sortedServices(p) {
		s := p.Services[name]
		if s.Image == "" {
			add(name, "image", "no image: name one (with build, the name the built image gets)")
		}
		if !composeHasHealthCheck(s) && !composeOneShot(p, name) {
			add(name, "healthcheck", "no health check, and no service waits for it to complete (service_completed_successfully)")
		}
		for _, port := range s.Ports {
			if !loopbackHost(port.HostIP) {
				host := port.HostIP
				if host == "" {
					host = "every interface"
				}
				add(name, "ports", "port %d is published on %s: publish on 127.0.0.1 only", port.Target, host)
			}
		}
		for _, dep := range slices.Sorted(maps.Keys(s.DependsOn)) {
			if _, ok := p.Services[dep]; ok {
				continue
			}
			if _, ok := p.DisabledServices[dep]; ok {
				continue
			}
			add(name, "depends_on", "depends on %q, which is no service", dep)
		}
		if s.Build != nil || (s.Image != "" && built[s.Image]) {
			if composeRootUser(s.User) {
				user := s.User
				if user == "" {
					user = "unset (the image's)"
				}
				add(name, "user", "runs as root (user %s): set a numeric non-root user such as \"65532:65532\"", user)
			}
			if !s.ReadOnly {
				add(name, "read_only", "the root filesystem is writable: set read_only: true (with a tmpfs at /tmp and volumes where it writes)")
			}
		}
	}
	return out
}

// StackSubgraphPorts are the subgraphs of the full stack (stack.yml) and
// their container ports; stackOthers its other services.
var (
	StackSubgraphPorts = map[string]int{"catalog": 4001, "video": 4002, "chat": 4003, "insights": 4004}
	stackOthers        = []string{"etcd", "migrate", "router", "zipkin", "prometheus", "grafana"}
	// StackAdminListen is where every Cinegraph process of the stack
	// serves /metrics, for the stack's Prometheus (compose/prometheus.yml).
	StackAdminListen = "0.0.0.0:9090"
)

// CheckStack applies the full stack's own policies on top of CheckCompose:
// every role is there; chat runs 2 instances; subgraphs listen on all
// interfaces on their port, register in the etcd service, probe that port
// and start after the migration; the router discovers subgraphs in the same
// etcd service and is published on 127.0.0.1:4000; the router and the
// subgraphs share one non-empty router.auth_token; every application
// service reads its configuration from a read-only mount of a file that
// exists.
func CheckStack(p *types.Project) []ComposeViolation {
	out := CheckCompose(p)
	add := func(service, rule, format string, args ...any) {
		out = append(out, ComposeViolation{Service: service, Rule: rule, Detail: fmt.Sprintf(format, args...)})
	}
	required := append(slices.Sorted(maps.Keys(StackSubgraphPorts)), stackOthers...)
	for _, name := range required {
		if _, ok := p.Services[name]; !ok {
			add(name, "stack", "missing")
		}
	}
	if chat, ok := p.Services["chat"]; ok {
		if n := chat.GetScale(); n != 2 {
			add("chat", "replicas", "runs %d instance(s), want 2 (deploy.replicas)", n)
		}
	}

	// etcdService is the service an etcd://host:port flag names, when it
	// is one and runs etcd.
	etcdService := func(service, flag, value string) {
		if value == "" {
			add(service, "discovery", "no %s flag", flag)
			return
		}
		u, err := url.Parse(value)
		if err != nil || u.Scheme != "etcd" {
			add(service, "discovery", "%s %q is not an etcd://host:port URL", flag, value)
			return
		}
		for _, hp := range strings.Split(u.Host, ",") {
			host, _, err := net.SplitHostPort(hp)
			if err != nil {
				host = hp
			}
			target, ok := p.Services[host]
			if !ok {
				add(service, "discovery", "%s %s names %q, which is no service", flag, value, host)
				continue
			}
			if !strings.Contains(target.Image, "etcd") {
				add(service, "discovery", "%s %s names service %q, which does not run etcd (image %q)", flag, value, host, target.Image)
			}
		}
	}

	token := ""
	for _, name := range slices.Sorted(maps.Keys(StackSubgraphPorts)) {
		s, ok := p.Services[name]
		if !ok {
			continue
		}
		port := StackSubgraphPorts[name]
		cmd := []string(s.Command)
		if len(cmd) < 2 || cmd[0] != "subgraph" || cmd[1] != name {
			add(name, "command", "command %q does not start with subgraph %s", cmd, name)
		}
		if listen := composeFlag(cmd, "listen"); listen != "0.0.0.0:"+strconv.Itoa(port) {
			add(name, "command", "--listen %q, want 0.0.0.0:%d (reachable from the router's container)", listen, port)
		}
		etcdService(name, "--register", composeFlag(cmd, "register"))
		if admin := composeFlag(cmd, "admin-listen"); admin != StackAdminListen {
			add(name, "metrics", "--admin-listen %q, want %s (where the stack's Prometheus scrapes)", admin, StackAdminListen)
		}
		if !composeProbesPort(s, port) {
			add(name, "healthcheck", "the health check does not probe 127.0.0.1:%d, the port it listens on", port)
		}
		if dep, ok := s.DependsOn["migrate"]; !ok || dep.Condition != types.ServiceConditionCompletedSuccessfully {
			add(name, "depends_on", "does not wait for migrate to complete successfully")
		}
		token = composeSameToken(name, s, token, add)
	}
	if r, ok := p.Services["router"]; ok {
		cmd := []string(r.Command)
		if len(cmd) == 0 || cmd[0] != "router" {
			add("router", "command", "command %q does not start with router", cmd)
		}
		etcdService("router", "--discovery", composeFlag(cmd, "discovery"))
		if admin := composeFlag(cmd, "admin-listen"); admin != StackAdminListen {
			add("router", "metrics", "--admin-listen %q, want %s (where the stack's Prometheus scrapes)", admin, StackAdminListen)
		}
		published := false
		for _, port := range r.Ports {
			if port.Target == 4000 && port.Published == "4000" && port.HostIP == "127.0.0.1" {
				published = true
			}
		}
		if !published {
			add("router", "ports", "port 4000 is not published on 127.0.0.1:4000")
		}
		if !composeProbesPort(r, 4000) {
			add("router", "healthcheck", "the health check does not probe 127.0.0.1:4000")
		}
		composeSameToken("router", r, token, add)
	}
	built := builtImages(p)
	for _, name := range sortedServices(p) {
		s := p.Services[name]
		if s.Build == nil && !built[s.Image] {
			continue
		}
		if _, err := ComposeConfigFile(s); err != nil {
			add(name, "config", "%v", err)
		}
	}
	return out
}

// composeSameToken checks that service s has a non-empty
// CINEGRAPH_ROUTER_AUTH_TOKEN equal to want (when want is set) and returns
// the token to compare the next services with.
func composeSameToken(name string, s types.ServiceConfig, want string, add func(service, rule, format string, args ...any)) string {
	v := s.Environment["CINEGRAPH_ROUTER_AUTH_TOKEN"]
	switch {
	case v == nil || *v == "":
		add(name, "auth_token", "CINEGRAPH_ROUTER_AUTH_TOKEN is not set: the router and the subgraphs must share one")
		return want
	case want != "" && *v != want:
		add(name, "auth_token", "CINEGRAPH_ROUTER_AUTH_TOKEN differs from the other services'")
		return want
	}
	return *v
}

// ComposeConfigFile is the host file a service's CINEGRAPH_CONFIG names:
// it must be a read-only bind mount of a file that exists.
func ComposeConfigFile(s types.ServiceConfig) (string, error) {
	v := s.Environment["CINEGRAPH_CONFIG"]
	if v == nil || *v == "" {
		return "", fmt.Errorf("CINEGRAPH_CONFIG is not set")
	}
	for _, m := range s.Volumes {
		if m.Target != *v {
			continue
		}
		if m.Type != types.VolumeTypeBind {
			return "", fmt.Errorf("CINEGRAPH_CONFIG %s is mounted from a %s, not a file", *v, m.Type)
		}
		if !m.ReadOnly {
			return "", fmt.Errorf("CINEGRAPH_CONFIG %s is mounted writable: mount it read-only", *v)
		}
		info, err := os.Stat(m.Source)
		if err != nil {
			return "", fmt.Errorf("CINEGRAPH_CONFIG %s: %w", *v, err)
		}
		if !info.Mode().IsRegular() {
			return "", fmt.Errorf("CINEGRAPH_CONFIG %s: %s is not a file", *v, m.Source)
		}
		return m.Source, nil
	}
	return "", fmt.Errorf("CINEGRAPH_CONFIG %s: nothing is mounted there", *v)
}

// ComposeConfigRun is how one application service loads its Cinegraph
// configuration, for `cinegraph config --validate`.
type ComposeConfigRun struct {
	Service string
	// Config is the host path of the mounted configuration file.
	Config string
	// Args are the service's flags that `cinegraph config` also takes.
	Args []string
	// Env is the container's Cinegraph environment as NAME=value: the
	// image's (imageEnv), then the service's, less CINEGRAPH_CONFIG.
	Env []string
}

// ComposeConfigRuns lists the application services that read a
// configuration file; imageEnv is the environment their image sets
// (DockerfileEnv).
func ComposeConfigRuns(p *types.Project, imageEnv map[string]string) ([]ComposeConfigRun, error) {
	built := builtImages(p)
	var out []ComposeConfigRun
	for _, name := range sortedServices(p) {
		s := p.Services[name]
		if s.Build == nil && !built[s.Image] {
			continue
		}
		file, err := ComposeConfigFile(s)
		if err != nil {
			return nil, fmt.Errorf("service %s: %w", name, err)
		}
		env := map[string]string{}
		for k, v := range imageEnv {
			env[k] = v
		}
		for k, v := range s.Environment {
			if v != nil {
				env[k] = *v
			}
		}
		delete(env, "CINEGRAPH_CONFIG")
		run := ComposeConfigRun{Service: name, Config: file}
		for _, k := range slices.Sorted(maps.Keys(env)) {
			if strings.HasPrefix(k, "CINEGRAPH_") {
				run.Env = append(run.Env, k+"="+env[k])
			}
		}
		for _, f := range []string{"listen", "admin-listen", "data-dir"} {
			if v := composeFlag(s.Command, f); v != "" {
				run.Args = append(run.Args, "--"+f, v)
			}
		}
		out = append(out, run)
	}
	return out, nil
}

// ValidateCinegraphConfig runs `bin config --validate --config file` in
// dir with args and env (NAME=value) and nothing of this process's
// CINEGRAPH_* variables. --validate prints nothing when the configuration
// holds and exits non-zero with the problems otherwise.
func ValidateCinegraphConfig(ctx context.Context, bin, dir, file string, args, env []string) error {
	full := append([]string{"config", "--validate", "--config", file}, args...)
	cmd := exec.CommandContext(ctx, bin, full...)
	cmd.Dir = dir
	home, err := os.MkdirTemp("", "cinegraph-home-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}, env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("cinegraph %s: %w\n%s%s", strings.Join(full, " "), err, stdout.String(), stderr.String())
	}
	if out := strings.TrimSpace(stdout.String()); out != "" {
		return fmt.Errorf("cinegraph %s printed output on success:\n%s", strings.Join(full, " "), out)
	}
	return nil
}

// composeHasHealthCheck: a test that is neither disabled nor NONE.
func composeHasHealthCheck(s types.ServiceConfig) bool {
	hc := s.HealthCheck
	return hc != nil && !hc.Disable && len(hc.Test) > 0 && hc.Test[0] != "NONE"
}

// composeOneShot: a job that runs once (restart "no" or unset) and that
// another service waits on to complete successfully.
func composeOneShot(p *types.Project, name string) bool {
	if r := p.Services[name].Restart; r != "" && r != types.RestartPolicyNo {
		return false
	}
	for _, other := range p.Services {
		if dep, ok := other.DependsOn[name]; ok && dep.Condition == types.ServiceConditionCompletedSuccessfully {
			return true
		}
	}
	return false
}

// composeProbesPort: the health check's command names 127.0.0.1:port.
func composeProbesPort(s types.ServiceConfig, port int) bool {
	if !composeHasHealthCheck(s) {
		return false
	}
	want := "127.0.0.1:" + strconv.Itoa(port) + "/"
	return slices.ContainsFunc(s.HealthCheck.Test, func(arg string) bool { return strings.Contains(arg, want) })
}

// composeRootUser: no user (the image's, which may be root), or uid 0 or
// root, with or without a group.
func composeRootUser(user string) bool {
	uid, _, _ := strings.Cut(strings.TrimSpace(user), ":")
	if uid == "" || uid == "root" {
		return true
	}
	n, err := strconv.Atoi(uid)
	return err == nil && n == 0
}

func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// composeFlag is the value of --name (or -name, --name=value) in args.
func composeFlag(args []string, name string) string {
	for i, a := range args {
		flag := strings.TrimLeft(a, "-")
		if flag == a {
			continue
		}
		if k, v, ok := strings.Cut(flag, "="); ok && k == name {
			return v
		}
		if flag == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// builtImages are the image names the project builds.
func builtImages(p *types.Project) map[string]bool {
	out := map[string]bool{}
	for _, s := range p.Services {
		if s.Build != nil && s.Image != "" {
			out[s.Image] = true
		}
	}
	return out
}

func sortedServices(p *types.Project) []string {
	return slices.Sorted(maps.Keys(p.Services))
}
