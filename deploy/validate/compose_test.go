package validate

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// The repository root, two levels above this package.
const composeRepoRoot = "../.."

var (
	composeDir   = filepath.Join(composeRepoRoot, "deploy", "compose")
	stackFile    = filepath.Join(composeDir, "stack.yml")
	enginesFile  = filepath.Join(composeDir, "docker-compose.yml")
	composeNoEnv = map[string]string{}
)

func loadStack(t *testing.T, env map[string]string) *types.Project {
	t.Helper()
	p, err := LoadCompose(t.Context(), env, stackFile)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestComposeFiles(t *testing.T) {
	t.Run("docker-compose.yml", func(t *testing.T) {
		p, err := LoadCompose(t.Context(), composeNoEnv, enginesFile)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range CheckCompose(p) {
			t.Error(v)
		}
		want := []string{"cassandra", "elasticsearch", "kafka", "postgres", "redis"}
		if got := sortedServices(p); !slices.Equal(got, want) {
			t.Errorf("services %v, want %v", got, want)
		}
	})
	t.Run("stack.yml", func(t *testing.T) {
		p := loadStack(t, composeNoEnv)
		for _, v := range CheckStack(p) {
			t.Error(v)
		}
		// The engines come from docker-compose.yml through include.
		for _, name := range []string{"postgres", "redis", "kafka", "cassandra", "elasticsearch"} {
			if _, ok := p.Services[name]; !ok {
				t.Errorf("stack.yml lacks %s from docker-compose.yml", name)
			}
		}
		// One image for every role.
		images := map[string]bool{}
		for _, name := range append(slices.Sorted(maps.Keys(StackSubgraphPorts)), "migrate", "router") {
			images[p.Services[name].Image] = true
			if b := p.Services[name].Build; b == nil || b.Dockerfile != "Dockerfile" {
				t.Errorf("service %s is not built from the root Dockerfile: %+v", name, b)
			} else if abs, _ := filepath.Abs(composeRepoRoot); b.Context != abs {
				t.Errorf("service %s builds in %s, want the repository root %s", name, b.Context, abs)
			}
		}
		if len(images) != 1 {
			t.Errorf("application services run %d images, want 1: %v", len(images), images)
		}
	})
	t.Run("observability", func(t *testing.T) {
		p := loadStack(t, composeNoEnv)
		// Each service mounts what the repository ships, from where it is.
		mounts := map[string]map[string]string{
			"prometheus": {
				"/etc/prometheus/prometheus.yml": "deploy/compose/prometheus.yml",
				"/etc/prometheus/alerts.yml":     "deploy/observability/prometheus/alerts.yml",
			},
			"grafana": {
				"/etc/grafana/provisioning/datasources/cinegraph.yml": "deploy/compose/grafana/datasources.yml",
				"/etc/grafana/provisioning/dashboards/cinegraph.yml":  "deploy/compose/grafana/dashboards.yml",
				"/var/lib/grafana/dashboards/cinegraph":               "deploy/observability/grafana",
			},
		}
		root, _ := filepath.Abs(composeRepoRoot)
		for name, want := range mounts {
			got := map[string]string{}
			for _, v := range p.Services[name].Volumes {
				if v.Type == types.VolumeTypeBind {
					if !v.ReadOnly {
						t.Errorf("%s mounts %s writable", name, v.Target)
					}
					rel, _ := filepath.Rel(root, v.Source)
					got[v.Target] = filepath.ToSlash(rel)
				}
			}
			for target, source := range want {
				if got[target] != source {
					t.Errorf("%s: %s mounted from %q, want %s", name, target, got[target], source)
				}
				if _, err := os.Stat(filepath.Join(root, source)); err != nil {
					t.Error(err)
				}
			}
		}
		// The provisioned dashboards are the ones the package builds.
		raw, err := os.ReadFile(filepath.Join(composeDir, "grafana", "dashboards.yml"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), "path: /var/lib/grafana/dashboards/cinegraph") {
			t.Errorf("grafana/dashboards.yml does not provision /var/lib/grafana/dashboards/cinegraph:\n%s", raw)
		}
	})
	t.Run("router token from the environment", func(t *testing.T) {
		p := loadStack(t, map[string]string{"CINEGRAPH_ROUTER_AUTH_TOKEN": "from-the-environment"})
		for _, name := range []string{"catalog", "video", "chat", "insights", "router"} {
			if v := p.Services[name].Environment["CINEGRAPH_ROUTER_AUTH_TOKEN"]; v == nil || *v != "from-the-environment" {
				t.Errorf("service %s: CINEGRAPH_ROUTER_AUTH_TOKEN %v", name, v)
			}
		}
	})
}

// TestComposeViolations shows each policy failing on a stack broken in one
// way, with a violation naming the service.
func TestComposeViolations(t *testing.T) {
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name    string
		mutate  func(p *types.Project)
		service string
		rule    string
	}{
		{"no health check", func(p *types.Project) {
			s := p.Services["chat"]
			s.HealthCheck = nil
			p.Services["chat"] = s
		}, "chat", "healthcheck"},
		{"health check disabled", func(p *types.Project) {
			s := p.Services["catalog"]
			s.HealthCheck = &types.HealthCheckConfig{Disable: true}
			p.Services["catalog"] = s
		}, "catalog", "healthcheck"},
		{"runs as 0:0", func(p *types.Project) {
			s := p.Services["video"]
			s.User = "0:0"
			p.Services["video"] = s
		}, "video", "user"},
		{"runs as root by name", func(p *types.Project) {
			s := p.Services["insights"]
			s.User = "root"
			p.Services["insights"] = s
		}, "insights", "user"},
		{"no user", func(p *types.Project) {
			s := p.Services["router"]
			s.User = ""
			p.Services["router"] = s
		}, "router", "user"},
		{"writable root filesystem", func(p *types.Project) {
			s := p.Services["migrate"]
			s.ReadOnly = false
			p.Services["migrate"] = s
		}, "migrate", "read_only"},
		{"published on every interface", func(p *types.Project) {
			s := p.Services["router"]
			s.Ports[0].HostIP = ""
			p.Services["router"] = s
		}, "router", "ports"},
		{"engine published on 0.0.0.0", func(p *types.Project) {
			s := p.Services["postgres"]
			s.Ports[0].HostIP = "0.0.0.0"
			p.Services["postgres"] = s
		}, "postgres", "ports"},
		{"depends on no service", func(p *types.Project) {
			s := p.Services["router"]
			s.DependsOn["jaeger"] = types.ServiceDependency{Condition: types.ServiceConditionStarted}
			p.Services["router"] = s
		}, "router", "depends_on"},
		{"subgraph without an admin listener", func(p *types.Project) {
			s := p.Services["video"]
			s.Command = types.ShellCommand{"subgraph", "video", "--listen", "0.0.0.0:4002", "--register", "etcd://etcd:2379"}
			p.Services["video"] = s
		}, "video", "metrics"},
		{"no Prometheus", func(p *types.Project) {
			delete(p.Services, "prometheus")
			g := p.Services["grafana"]
			delete(g.DependsOn, "prometheus")
			p.Services["grafana"] = g
		}, "prometheus", "stack"},
		{"no image name", func(p *types.Project) {
			s := p.Services["catalog"]
			s.Image = ""
			p.Services["catalog"] = s
		}, "catalog", "image"},
		{"one chat", func(p *types.Project) {
			s := p.Services["chat"]
			one := 1
			s.Deploy.Replicas = &one
			p.Services["chat"] = s
		}, "chat", "replicas"},
		{"router discovers elsewhere", func(p *types.Project) {
			s := p.Services["router"]
			s.Command = types.ShellCommand{"router", "--listen", "0.0.0.0:4000", "--discovery", "etcd://redis:6379"}
			p.Services["router"] = s
		}, "router", "discovery"},
		{"router without discovery", func(p *types.Project) {
			s := p.Services["router"]
			s.Command = types.ShellCommand{"router", "--listen", "0.0.0.0:4000"}
			p.Services["router"] = s
		}, "router", "discovery"},
		{"subgraph registers nowhere", func(p *types.Project) {
			s := p.Services["video"]
			s.Command = types.ShellCommand{"subgraph", "video", "--listen", "0.0.0.0:4002", "--register", "etcd://etc:2379"}
			p.Services["video"] = s
		}, "video", "discovery"},
		{"subgraph on loopback", func(p *types.Project) {
			s := p.Services["catalog"]
			s.Command = types.ShellCommand{"subgraph", "catalog", "--listen", "127.0.0.1:4001", "--register", "etcd://etcd:2379"}
			p.Services["catalog"] = s
		}, "catalog", "command"},
		{"probe on another port", func(p *types.Project) {
			s := p.Services["insights"]
			s.HealthCheck.Test = types.HealthCheckTest{"CMD", "/cinegraph", "probe", "http://127.0.0.1:4000/health/ready"}
			p.Services["insights"] = s
		}, "insights", "healthcheck"},
		{"another token", func(p *types.Project) {
			s := p.Services["router"]
			s.Environment["CINEGRAPH_ROUTER_AUTH_TOKEN"] = str("not-the-subgraphs-one")
			p.Services["router"] = s
		}, "router", "auth_token"},
		{"no token", func(p *types.Project) {
			s := p.Services["chat"]
			delete(s.Environment, "CINEGRAPH_ROUTER_AUTH_TOKEN")
			p.Services["chat"] = s
		}, "chat", "auth_token"},
		{"configuration mounted writable", func(p *types.Project) {
			s := p.Services["video"]
			s.Volumes[0].ReadOnly = false
			p.Services["video"] = s
		}, "video", "config"},
		{"one-shot job nobody waits for", func(p *types.Project) {
			for _, name := range []string{"catalog", "video", "chat", "insights"} {
				delete(p.Services[name].DependsOn, "migrate")
			}
		}, "migrate", "healthcheck"},
		{"one-shot job that restarts", func(p *types.Project) {
			s := p.Services["migrate"]
			s.Restart = types.RestartPolicyUnlessStopped
			p.Services["migrate"] = s
		}, "migrate", "healthcheck"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := loadStack(t, composeNoEnv)
			tc.mutate(p)
			got := CheckStack(p)
			if !slices.ContainsFunc(got, func(v ComposeViolation) bool { return v.Service == tc.service && v.Rule == tc.rule }) {
				t.Errorf("no %s violation for service %s; got %v", tc.rule, tc.service, got)
			}
			for _, v := range got {
				if !strings.HasPrefix(v.String(), "service "+v.Service+": ") && v.Service != "" {
					t.Errorf("violation %q does not name its service first", v)
				}
			}
		})
	}
}

// TestComposeViolationsFromYAML runs the checks on compose files as
// written: the policy holds for what docker compose would parse.
func TestComposeViolationsFromYAML(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, service, rule string
	}{
		{"no health check", `
services:
  api:
    image: example/api:1
    ports: ["127.0.0.1:8080:8080"]
`, "api", "healthcheck"},
		{"built image as root", `
services:
  api:
    image: example/api:local
    build: {context: .}
    user: "0:0"
    read_only: true
    healthcheck: {test: ["CMD", "/api", "probe"]}
`, "api", "user"},
		{"built image with no user", `
services:
  api:
    image: example/api:local
    build: {context: .}
    read_only: true
    healthcheck: {test: ["CMD", "/api", "probe"]}
  worker:
    image: example/api:local
    user: "1000"
    healthcheck: {test: ["CMD", "/api", "probe"]}
`, "api", "user"},
		{"same image, writable", `
services:
  api:
    image: example/api:local
    build: {context: .}
    user: "1000"
    read_only: true
    healthcheck: {test: ["CMD", "/api", "probe"]}
  worker:
    image: example/api:local
    user: "1000"
    healthcheck: {test: ["CMD", "/api", "probe"]}
`, "worker", "read_only"},
		{"ephemeral port on every interface", `
services:
  api:
    image: example/api:1
    ports: ["8080"]
    healthcheck: {test: ["CMD", "/api", "probe"]}
`, "api", "ports"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "compose.yml")
			if err := os.WriteFile(file, []byte("name: policy\n"+tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			p, err := LoadCompose(t.Context(), composeNoEnv, file)
			if err != nil {
				t.Fatal(err)
			}
			got := CheckCompose(p)
			if !slices.ContainsFunc(got, func(v ComposeViolation) bool { return v.Service == tc.service && v.Rule == tc.rule }) {
				t.Errorf("no %s violation for service %s; got %v", tc.rule, tc.service, got)
			}
		})
	}
}

// TestCinegraphConfigs runs `cinegraph config --validate` on every
// configuration the deployment files give the binary: each compose
// service's (its mounted file, the image's and its own environment, its
// flags) and deploy/config's examples. The binary is $CINEGRAPH_BIN, or
// built from the repository.
func TestCinegraphConfigs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the cinegraph binary")
	}
	bin := composeCinegraphBinary(t)
	root, err := filepath.Abs(composeRepoRoot)
	if err != nil {
		t.Fatal(err)
	}
	df, err := ParseDockerfileFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	runs, err := ComposeConfigRuns(loadStack(t, composeNoEnv), df.Env())
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 6 {
		t.Errorf("%d application services read a configuration file, want 6 (migrate, router, four subgraphs)", len(runs))
	}
	for _, run := range runs {
		t.Run("stack.yml/"+run.Service, func(t *testing.T) {
			if err := ValidateCinegraphConfig(t.Context(), bin, root, run.Config, run.Args, run.Env); err != nil {
				t.Error(err)
			}
		})
	}
	examples, err := filepath.Glob(filepath.Join(root, "deploy", "config", "*.yaml"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no deploy/config/*.yaml: %v", err)
	}
	for _, file := range examples {
		t.Run("deploy/config/"+filepath.Base(file), func(t *testing.T) {
			if err := ValidateCinegraphConfig(t.Context(), bin, root, file, nil, nil); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("a broken configuration fails", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "broken.yaml")
		if err := os.WriteFile(file, []byte("router:\n  limits:\n    max_dept: 3\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		err := ValidateCinegraphConfig(t.Context(), bin, root, file, nil, nil)
		if err == nil || !strings.Contains(err.Error(), "max_dept") {
			t.Errorf("a configuration with an unknown key validated: %v", err)
		}
	})
}

// composeCinegraphBinary is $CINEGRAPH_BIN, or the binary built from the
// repository into the test's temporary directory.
func composeCinegraphBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CINEGRAPH_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "cinegraph")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "./cmd/cinegraph")
	cmd.Dir = composeRepoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/cinegraph: %v\n%s", err, out)
	}
	return bin
}
