// Tests of the Helm chart at deploy/helm/cinegraph: it renders with both
// values files, with and without the Prometheus Operator's API, into
// objects that decode strictly and hold every policy; the policies catch
// broken objects; and every container's Cinegraph configuration passes
// `cinegraph config --validate`.

package validate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

const (
	chartDir       = "../helm/cinegraph"
	chartNamespace = "media"
)

var (
	chartValues           = filepath.Join(chartDir, "values.yaml")
	chartProductionValues = filepath.Join(chartDir, "values-production.yaml")
	chartSubgraphs        = []string{"catalog", "video", "chat", "insights"}
)

func renderTestChart(t *testing.T, r ChartRender) *RenderedChart {
	t.Helper()
	if r.Namespace == "" {
		r.Namespace = chartNamespace
	}
	out, err := RenderChart(context.Background(), chartDir, r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func chartObject[T any](t *testing.T, objs []ChartObject, kind, name string) T {
	t.Helper()
	o, ok := findChartObject(objs, kind, name)
	if !ok {
		t.Fatalf("no %s/%s rendered", kind, name)
	}
	x, ok := o.Object.(T)
	if !ok {
		t.Fatalf("%s/%s is a %T", kind, name, o.Object)
	}
	return x
}

func chartContainer(t *testing.T, pod *corev1.PodSpec, name string) *corev1.Container {
	t.Helper()
	for i := range pod.Containers {
		if pod.Containers[i].Name == name {
			return &pod.Containers[i]
		}
	}
	t.Fatalf("no container %s", name)
	return nil
}

// renderedChartConfig is the Cinegraph configuration in the release's ConfigMap.
func renderedChartConfig(t *testing.T, objs []ChartObject) map[string]any {
	t.Helper()
	cm := chartObject[*corev1.ConfigMap](t, objs, "ConfigMap", "cinegraph-config")
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(cm.Data["config.yaml"]), &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func chartLookup(tree map[string]any, path ...string) any {
	var v any = tree
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func TestChartRenders(t *testing.T) {
	both := []string{chartValues}
	prod := []string{chartValues, chartProductionValues}
	withSM := []string{ServiceMonitorAPI}
	always := []string{
		"ConfigMap/cinegraph-config", "Deployment/cinegraph-router", "Service/cinegraph-router",
		"Deployment/cinegraph-catalog", "Service/cinegraph-catalog", "Deployment/cinegraph-video", "Service/cinegraph-video",
		"Deployment/cinegraph-chat", "Service/cinegraph-chat", "Deployment/cinegraph-insights", "Service/cinegraph-insights",
	}
	for _, tc := range []struct {
		name          string
		render        ChartRender
		want, absent  []string
		check         func(t *testing.T, r *RenderedChart)
		networkPolicy int
	}{
		{
			name:   "values.yaml",
			render: ChartRender{ValuesFiles: both},
			want: []string{"HorizontalPodAutoscaler/cinegraph-router", "PodDisruptionBudget/cinegraph-router", "PodDisruptionBudget/cinegraph-chat",
				"Job/cinegraph-migrate", "ConfigMap/cinegraph-migrate-config", "NetworkPolicy/cinegraph-default-deny"},
			absent:        []string{"ServiceMonitor/cinegraph-metrics", "Ingress/cinegraph-router", "PodDisruptionBudget/cinegraph-catalog"},
			networkPolicy: 7,
		},
		{
			name:   "values.yaml, ServiceMonitor API served but not enabled",
			render: ChartRender{ValuesFiles: both, APIVersions: withSM},
			absent: []string{"ServiceMonitor/cinegraph-metrics"},
		},
		{
			name:   "values.yaml, ServiceMonitor enabled and served",
			render: ChartRender{ValuesFiles: both, APIVersions: withSM, Set: map[string]any{"serviceMonitor": map[string]any{"enabled": true}}},
			want:   []string{"ServiceMonitor/cinegraph-metrics"},
			check: func(t *testing.T, r *RenderedChart) {
				sm := chartObject[*monitoringv1.ServiceMonitor](t, r.Objects, "ServiceMonitor", "cinegraph-metrics")
				if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != "admin" || sm.Spec.Endpoints[0].Path != "/metrics" {
					t.Errorf("ServiceMonitor endpoints = %+v, want the admin port's /metrics", sm.Spec.Endpoints)
				}
				// Every process is scraped: the router's Service and each
				// subgraph's match the selector and name an admin port.
				for _, component := range append([]string{"router"}, chartSubgraphs...) {
					svc := chartObject[*corev1.Service](t, r.Objects, "Service", "cinegraph-"+component)
					for k, v := range sm.Spec.Selector.MatchLabels {
						if svc.Labels[k] != v {
							t.Errorf("the ServiceMonitor's selector %v does not select Service %s (labels %v)", sm.Spec.Selector.MatchLabels, svc.Name, svc.Labels)
						}
					}
					if !slices.ContainsFunc(svc.Spec.Ports, func(p corev1.ServicePort) bool { return p.Name == "admin" }) {
						t.Errorf("Service %s has no admin port to scrape: %+v", svc.Name, svc.Spec.Ports)
					}
				}
			},
		},
		{
			name:   "values.yaml, ServiceMonitor enabled but not served",
			render: ChartRender{ValuesFiles: both, Set: map[string]any{"serviceMonitor": map[string]any{"enabled": true}}},
			absent: []string{"ServiceMonitor/cinegraph-metrics"},
			check: func(t *testing.T, r *RenderedChart) {
				if !strings.Contains(r.Notes, "no ServiceMonitor was created") {
					t.Errorf("NOTES.txt does not say the ServiceMonitor was left out:\n%s", r.Notes)
				}
			},
		},
		{
			name:   "values-production.yaml",
			render: ChartRender{ValuesFiles: prod},
			want: []string{"Ingress/cinegraph-router", "PodDisruptionBudget/cinegraph-router", "PodDisruptionBudget/cinegraph-catalog",
				"PodDisruptionBudget/cinegraph-video", "PodDisruptionBudget/cinegraph-chat", "PodDisruptionBudget/cinegraph-insights"},
			absent:        []string{"ServiceMonitor/cinegraph-metrics"},
			networkPolicy: 7,
			check: func(t *testing.T, r *RenderedChart) {
				ing := chartObject[*networkingv1.Ingress](t, r.Objects, "Ingress", "cinegraph-router")
				if len(ing.Spec.TLS) == 0 {
					t.Error("production ingress has no TLS")
				}
				cfg := renderedChartConfig(t, r.Objects)
				if got := chartLookup(cfg, "profile"); got != "production" {
					t.Errorf("profile = %v, want production", got)
				}
				if got := chartLookup(cfg, "auth", "oidc_issuers"); got == nil {
					t.Error("production configuration sets no auth.oidc_issuers")
				}
				if got := chartLookup(cfg, "router", "introspection"); got != nil {
					t.Errorf("router.introspection = %v is set explicitly; the production profile turns it off", got)
				}
				if got := chartLookup(cfg, "router", "limits", "max_depth"); got == nil {
					t.Error("production configuration sets no router.limits")
				}
			},
		},
		{
			name:   "values-production.yaml, ServiceMonitor enabled and served",
			render: ChartRender{ValuesFiles: prod, APIVersions: withSM, Set: map[string]any{"serviceMonitor": map[string]any{"enabled": true}}},
			want:   []string{"ServiceMonitor/cinegraph-metrics"},
		},
		{
			name: "one router replica without autoscaling",
			render: ChartRender{ValuesFiles: both, Set: map[string]any{"router": map[string]any{
				"replicas": 1, "autoscaling": map[string]any{"enabled": false}}}},
			absent: []string{"HorizontalPodAutoscaler/cinegraph-router", "PodDisruptionBudget/cinegraph-router"},
			check: func(t *testing.T, r *RenderedChart) {
				d := chartObject[*appsv1.Deployment](t, r.Objects, "Deployment", "cinegraph-router")
				if d.Spec.Replicas == nil || *d.Spec.Replicas != 1 {
					t.Errorf("router replicas = %v, want 1", d.Spec.Replicas)
				}
				if d.Annotations[NoPDBReason] == "" {
					t.Errorf("router without a PDB has no %s annotation", NoPDBReason)
				}
			},
		},
		{
			name: "autoscaling on requests in flight",
			render: ChartRender{ValuesFiles: both, Set: map[string]any{"router": map[string]any{
				"autoscaling": map[string]any{"inflightRequests": map[string]any{"enabled": true}}}}},
			check: func(t *testing.T, r *RenderedChart) {
				hpa := chartObject[*autoscalingv2.HorizontalPodAutoscaler](t, r.Objects, "HorizontalPodAutoscaler", "cinegraph-router")
				var names []string
				for _, m := range hpa.Spec.Metrics {
					switch m.Type {
					case autoscalingv2.ResourceMetricSourceType:
						names = append(names, string(m.Resource.Name))
					case autoscalingv2.PodsMetricSourceType:
						names = append(names, m.Pods.Metric.Name)
					}
				}
				if !slices.Equal(names, []string{"cpu", "cinegraph_router_inflight_requests"}) {
					t.Errorf("HPA metrics = %v, want cpu and cinegraph_router_inflight_requests", names)
				}
			},
		},
		{
			name:          "network policies off, migration off",
			render:        ChartRender{ValuesFiles: both, Set: map[string]any{"networkPolicy": map[string]any{"enabled": false}, "migrate": map[string]any{"enabled": false}}},
			absent:        []string{"NetworkPolicy/cinegraph-default-deny", "Job/cinegraph-migrate", "ConfigMap/cinegraph-migrate-config"},
			networkPolicy: 0,
		},
		{
			name:   "a supergraph of one's own",
			render: ChartRender{ValuesFiles: both, Set: map[string]any{"supergraph": "schema { query: Query }\n"}},
			check: func(t *testing.T, r *RenderedChart) {
				cm := chartObject[*corev1.ConfigMap](t, r.Objects, "ConfigMap", "cinegraph-config")
				if cm.Data["supergraph.graphql"] != "schema { query: Query }\n" {
					t.Errorf("supergraph.graphql = %q", cm.Data["supergraph.graphql"])
				}
				if got := chartLookup(renderedChartConfig(t, r.Objects), "router", "supergraph"); got != "/etc/cinegraph/supergraph.graphql" {
					t.Errorf("router.supergraph = %v", got)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := renderTestChart(t, tc.render)
			for _, ref := range append(slices.Clone(always), tc.want...) {
				kind, name, _ := strings.Cut(ref, "/")
				if _, ok := r.Find(kind, name); !ok {
					t.Errorf("%s was not rendered", ref)
				}
			}
			for _, ref := range tc.absent {
				kind, name, _ := strings.Cut(ref, "/")
				if _, ok := r.Find(kind, name); ok {
					t.Errorf("%s was rendered", ref)
				}
			}
			if tc.networkPolicy > 0 || strings.Contains(tc.name, "network policies off") {
				n := 0
				for _, o := range r.Objects {
					if o.Kind() == "NetworkPolicy" {
						n++
					}
				}
				if n != tc.networkPolicy {
					t.Errorf("%d NetworkPolicies, want %d", n, tc.networkPolicy)
				}
			}
			for _, o := range r.Objects {
				if ns := o.Meta().GetNamespace(); ns != chartNamespace {
					t.Errorf("%s is in namespace %q, want %q", o.Ref(), ns, chartNamespace)
				}
			}
			for _, v := range CheckChart(r.Objects) {
				t.Error(v)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestChartContents(t *testing.T) {
	r := renderTestChart(t, ChartRender{ValuesFiles: []string{chartValues}})
	router := chartObject[*appsv1.Deployment](t, r.Objects, "Deployment", "cinegraph-router")
	routerContainer := chartContainer(t, &router.Spec.Template.Spec, "router")
	cfg := renderedChartConfig(t, r.Objects)

	for _, tc := range []struct {
		name  string
		check func(t *testing.T)
	}{
		{"appVersion is the default image tag", func(t *testing.T) {
			values, err := os.ReadFile(chartValues)
			if err != nil {
				t.Fatal(err)
			}
			var v struct {
				Image struct{ Repository, Tag string }
			}
			if err := yaml.Unmarshal(values, &v); err != nil {
				t.Fatal(err)
			}
			if app := r.Chart.Metadata.AppVersion; v.Image.Tag != app {
				t.Errorf("image.tag %q differs from appVersion %q", v.Image.Tag, app)
			}
			if want := "ghcr.io/cinegraph/cinegraph:" + r.Chart.Metadata.AppVersion; routerContainer.Image != want {
				t.Errorf("router image = %s, want %s", routerContainer.Image, want)
			}
			if r.Chart.Metadata.APIVersion != "v2" || r.Chart.Metadata.Name != "cinegraph" {
				t.Errorf("chart %s %s, want apiVersion v2 name cinegraph", r.Chart.Metadata.APIVersion, r.Chart.Metadata.Name)
			}
		}},
		{"router arguments and ports", func(t *testing.T) {
			want := []string{"router", "--config", "/etc/cinegraph/config.yaml", "--listen", "0.0.0.0:4000", "--admin-listen", "0.0.0.0:9090"}
			if !slices.Equal(routerContainer.Args, want) {
				t.Errorf("router args = %q, want %q", routerContainer.Args, want)
			}
			svc := chartObject[*corev1.Service](t, r.Objects, "Service", "cinegraph-router")
			if svc.Spec.Type != corev1.ServiceTypeClusterIP {
				t.Errorf("router Service type %s", svc.Spec.Type)
			}
			ports := map[string]int32{}
			for _, p := range svc.Spec.Ports {
				ports[p.Name] = p.Port
			}
			if ports["http"] != 4000 || ports["admin"] != 9090 {
				t.Errorf("router Service ports = %v, want http 4000 and admin 9090", ports)
			}
		}},
		{"subgraphs behind headless Services with a graphql port", func(t *testing.T) {
			names, _ := chartLookup(cfg, "router", "discovery", "dns", "names").(map[string]any)
			if chartLookup(cfg, "router", "discovery", "mode") != "dns" {
				t.Errorf("router.discovery.mode = %v, want dns", chartLookup(cfg, "router", "discovery", "mode"))
			}
			for _, sg := range chartSubgraphs {
				svcName := "cinegraph-" + sg
				d := chartObject[*appsv1.Deployment](t, r.Objects, "Deployment", svcName)
				c := chartContainer(t, &d.Spec.Template.Spec, sg)
				if len(c.Args) < 2 || c.Args[0] != "subgraph" || c.Args[1] != sg || !slices.Contains(c.Args, "--listen") {
					t.Errorf("%s args = %q, want subgraph %s ... --listen", sg, c.Args, sg)
				}
				svc := chartObject[*corev1.Service](t, r.Objects, "Service", svcName)
				if svc.Spec.ClusterIP != corev1.ClusterIPNone {
					t.Errorf("Service %s is not headless", svcName)
				}
				if len(svc.Spec.Ports) != 2 || svc.Spec.Ports[0].Name != "graphql" || svc.Spec.Ports[0].Protocol != corev1.ProtocolTCP ||
					svc.Spec.Ports[1].Name != "admin" || svc.Spec.Ports[1].Port != 9090 {
					t.Errorf("Service %s ports = %+v, want TCP ports graphql and admin (9090)", svcName, svc.Spec.Ports)
				}
				if !slices.Contains(c.Args, "--admin-listen") {
					t.Errorf("%s args = %q, want an --admin-listen for /metrics", sg, c.Args)
				}
				want := "_graphql._tcp." + svcName + "." + chartNamespace + ".svc.cluster.local"
				if names[sg] != want {
					t.Errorf("router.discovery.dns.names.%s = %v, want %s", sg, names[sg], want)
				}
				if d.Spec.Replicas != nil && *d.Spec.Replicas <= 1 && d.Annotations[NoPDBReason] == "" {
					t.Errorf("%s runs one replica without a %s annotation", svcName, NoPDBReason)
				}
			}
		}},
		{"configuration in cluster mode, mounted read-only", func(t *testing.T) {
			if chartLookup(cfg, "storage", "mode") != "cluster" {
				t.Errorf("storage.mode = %v", chartLookup(cfg, "storage", "mode"))
			}
			env := map[string]string{}
			for _, e := range routerContainer.Env {
				env[e.Name] = e.Value
			}
			if env["CINEGRAPH_FRONTEND_DIR"] != "/srv/frontend" {
				t.Errorf("CINEGRAPH_FRONTEND_DIR = %q, want /srv/frontend", env["CINEGRAPH_FRONTEND_DIR"])
			}
			mounts := map[string]corev1.VolumeMount{}
			for _, m := range routerContainer.VolumeMounts {
				mounts[m.MountPath] = m
			}
			if m, ok := mounts["/etc/cinegraph"]; !ok || !m.ReadOnly {
				t.Errorf("config not mounted read-only at /etc/cinegraph: %+v", routerContainer.VolumeMounts)
			}
			for _, dir := range []string{"/tmp", env["CINEGRAPH_DATA_DIR"]} {
				m, ok := mounts[dir]
				if !ok {
					t.Errorf("nothing writable mounted at %s", dir)
					continue
				}
				for _, v := range router.Spec.Template.Spec.Volumes {
					if v.Name == m.Name && v.EmptyDir == nil {
						t.Errorf("%s is not an emptyDir", dir)
					}
				}
			}
		}},
		{"secrets referenced, never embedded", func(t *testing.T) {
			var token *corev1.EnvVar
			for i, e := range routerContainer.Env {
				if e.Name == "CINEGRAPH_ROUTER_AUTH_TOKEN" {
					token = &routerContainer.Env[i]
				}
			}
			if token == nil || token.ValueFrom == nil || token.ValueFrom.SecretKeyRef == nil || token.ValueFrom.SecretKeyRef.Name != "cinegraph-secrets" {
				t.Errorf("CINEGRAPH_ROUTER_AUTH_TOKEN = %+v, want a reference to Secret cinegraph-secrets", token)
			}
			for _, o := range r.Objects {
				if o.Kind() == "Secret" {
					t.Errorf("the chart renders %s", o.Ref())
				}
			}
		}},
		{"migration runs before install and upgrade", func(t *testing.T) {
			job := chartObject[*batchv1.Job](t, r.Objects, "Job", "cinegraph-migrate")
			if got := job.Annotations["helm.sh/hook"]; got != "pre-install,pre-upgrade" {
				t.Errorf("migrate hook = %q", got)
			}
			c := chartContainer(t, &job.Spec.Template.Spec, "migrate")
			if len(c.Args) == 0 || c.Args[0] != "migrate" {
				t.Errorf("migrate args = %q", c.Args)
			}
			cm := chartObject[*corev1.ConfigMap](t, r.Objects, "ConfigMap", "cinegraph-migrate-config")
			main := chartObject[*corev1.ConfigMap](t, r.Objects, "ConfigMap", "cinegraph-config")
			if cm.Data["config.yaml"] != main.Data["config.yaml"] {
				t.Error("the migration's configuration differs from the release's")
			}
			if cm.Annotations["helm.sh/hook"] == "" {
				t.Error("the migration's ConfigMap is not a hook, so it would not exist when the job runs")
			}
		}},
		{"network policies: subgraphs only from the router, admin only from Prometheus", func(t *testing.T) {
			for _, sg := range chartSubgraphs {
				np := chartObject[*networkingv1.NetworkPolicy](t, r.Objects, "NetworkPolicy", "cinegraph-"+sg)
				if len(np.Spec.Ingress) != 2 || len(np.Spec.Ingress[0].From) != 1 {
					t.Fatalf("%s ingress = %+v, want a rule from the router and one from Prometheus", sg, np.Spec.Ingress)
				}
				admin := np.Spec.Ingress[1]
				if p := admin.Ports; len(p) != 1 || p[0].Port == nil || *p[0].Port != intstr.FromString("admin") ||
					len(admin.From) != 1 || admin.From[0].PodSelector == nil || admin.From[0].PodSelector.MatchLabels["app.kubernetes.io/name"] != "prometheus" {
					t.Errorf("%s admin ingress %+v, want the admin port from Prometheus alone", sg, admin)
				}
				from := np.Spec.Ingress[0].From[0]
				if from.PodSelector == nil || from.PodSelector.MatchLabels["app.kubernetes.io/component"] != "router" || from.NamespaceSelector != nil {
					t.Errorf("%s ingress from %+v, want the router's pods", sg, from)
				}
				if p := np.Spec.Ingress[0].Ports; len(p) != 1 || p[0].Port == nil || *p[0].Port != intstr.FromString("graphql") {
					t.Errorf("%s ingress ports %+v, want graphql", sg, p)
				}
			}
		}},
	} {
		t.Run(tc.name, tc.check)
	}
}

func TestStrictDecoding(t *testing.T) {
	const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  selector:
    matchLabels: {app: d}
  template:
    metadata:
      labels: {app: d}
    spec:
      containers:
        - name: c
          image: example
`
	for _, tc := range []struct {
		name, manifest, wantErr string
		wantObjects             int
	}{
		{name: "a Deployment and a comment-only document", manifest: "# Source: x\n---\n" + deployment, wantObjects: 1},
		{name: "two documents", manifest: deployment + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", wantObjects: 2},
		{name: "unknown field", manifest: strings.Replace(deployment, "image: example", "image: example\n          readinesProbe: {}", 1), wantErr: `unknown field "spec.template.spec.containers[0].readinesProbe"`},
		{name: "field in the wrong case", manifest: strings.Replace(deployment, "image: example", "Image: example", 1), wantErr: "unknown field"},
		{name: "duplicate field", manifest: strings.Replace(deployment, "name: d", "name: d\n  name: e", 1), wantErr: "already set"},
		{name: "kind the chart does not render", manifest: strings.Replace(deployment, "kind: Deployment", "kind: StatefulSet", 1), wantErr: "no kind \"StatefulSet\""},
		{name: "retired API version", manifest: "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n", wantErr: "policy/v1beta1"},
		{name: "no kind", manifest: "apiVersion: v1\nmetadata: {name: x}\n", wantErr: "Kind"},
		{name: "no name", manifest: "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n", wantErr: "no metadata.name"},
		{name: "wrong type", manifest: strings.Replace(deployment, "spec:\n  selector", "spec:\n  replicas: two\n  selector", 1), wantErr: "replicas"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			objs, err := DecodeManifest("test.yaml", tc.manifest)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(objs) != tc.wantObjects {
					t.Fatalf("%d objects, want %d", len(objs), tc.wantObjects)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// chartMutable gives a mutation typed access to one object of a copy.
func chartMutable[T any](objs []ChartObject, kind, name string) T {
	o, ok := findChartObject(objs, kind, name)
	if !ok {
		panic("no " + kind + "/" + name)
	}
	return o.Object.(T)
}

func chartPodOf(objs []ChartObject, kind, name string) *corev1.PodSpec {
	switch kind {
	case "Deployment":
		return &chartMutable[*appsv1.Deployment](objs, kind, name).Spec.Template.Spec
	case "Job":
		return &chartMutable[*batchv1.Job](objs, kind, name).Spec.Template.Spec
	}
	panic(kind)
}

func chartContainerOf(objs []ChartObject, kind, name, c string) *corev1.Container {
	pod := chartPodOf(objs, kind, name)
	for i := range pod.Containers {
		if pod.Containers[i].Name == c {
			return &pod.Containers[i]
		}
	}
	panic("no container " + c)
}

func TestPoliciesCatchMutations(t *testing.T) {
	for _, values := range [][]string{{chartValues}, {chartValues, chartProductionValues}} {
		r := renderTestChart(t, ChartRender{ValuesFiles: values, APIVersions: []string{ServiceMonitorAPI}})
		t.Run(filepath.Base(values[len(values)-1]), func(t *testing.T) {
			if v := CheckChart(r.Objects); len(v) > 0 {
				t.Fatalf("the chart as rendered breaks policies: %v", v)
			}
			for _, tc := range []struct {
				name   string
				mutate func(objs []ChartObject) []ChartObject
				want   ChartViolation // Detail: a substring
			}{
				{
					name: "readiness probe removed",
					mutate: func(objs []ChartObject) []ChartObject {
						chartContainerOf(objs, "Deployment", "cinegraph-router", "router").ReadinessProbe = nil
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-router", "router", "probes", "no readiness probe"},
				},
				{
					name: "liveness probe removed",
					mutate: func(objs []ChartObject) []ChartObject {
						chartContainerOf(objs, "Deployment", "cinegraph-catalog", "catalog").LivenessProbe = nil
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-catalog", "catalog", "probes", "no liveness probe"},
				},
				{
					name: "probe on a port the container lacks",
					mutate: func(objs []ChartObject) []ChartObject {
						chartContainerOf(objs, "Deployment", "cinegraph-video", "video").ReadinessProbe.HTTPGet.Port = intstr.FromString("http")
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-video", "video", "probes", "readiness probe port http"},
				},
				{
					name: "runAsUser 0",
					mutate: func(objs []ChartObject) []ChartObject {
						root := int64(0)
						chartContainerOf(objs, "Deployment", "cinegraph-chat", "chat").SecurityContext.RunAsUser = &root
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-chat", "chat", "security-context", "runAsUser is 0"},
				},
				{
					name: "runAsNonRoot false",
					mutate: func(objs []ChartObject) []ChartObject {
						no := false
						chartContainerOf(objs, "Deployment", "cinegraph-insights", "insights").SecurityContext.RunAsNonRoot = &no
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-insights", "insights", "security-context", "runAsNonRoot"},
				},
				{
					name: "runAsNonRoot left to a pod that does not set it",
					mutate: func(objs []ChartObject) []ChartObject {
						chartContainerOf(objs, "Job", "cinegraph-migrate", "migrate").SecurityContext.RunAsNonRoot = nil
						chartPodOf(objs, "Job", "cinegraph-migrate").SecurityContext.RunAsNonRoot = nil
						return objs
					},
					want: ChartViolation{"Job/cinegraph-migrate", "migrate", "security-context", "runAsNonRoot"},
				},
				{
					name: "privilege escalation allowed",
					mutate: func(objs []ChartObject) []ChartObject {
						yes := true
						chartContainerOf(objs, "Deployment", "cinegraph-router", "router").SecurityContext.AllowPrivilegeEscalation = &yes
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-router", "router", "security-context", "allowPrivilegeEscalation"},
				},
				{
					name: "writable root file system",
					mutate: func(objs []ChartObject) []ChartObject {
						chartContainerOf(objs, "Deployment", "cinegraph-video", "video").SecurityContext.ReadOnlyRootFilesystem = nil
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-video", "video", "security-context", "readOnlyRootFilesystem"},
				},
				{
					name: "capabilities kept",
					mutate: func(objs []ChartObject) []ChartObject {
						chartContainerOf(objs, "Deployment", "cinegraph-chat", "chat").SecurityContext.Capabilities.Drop = []corev1.Capability{"NET_RAW"}
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-chat", "chat", "security-context", "drop ALL"},
				},
				{
					name: "resources dropped",
					mutate: func(objs []ChartObject) []ChartObject {
						chartContainerOf(objs, "Deployment", "cinegraph-insights", "insights").Resources = corev1.ResourceRequirements{}
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-insights", "insights", "resources", "no cpu request"},
				},
				{
					name: "memory limit dropped from the migration",
					mutate: func(objs []ChartObject) []ChartObject {
						delete(chartContainerOf(objs, "Job", "cinegraph-migrate", "migrate").Resources.Limits, corev1.ResourceMemory)
						return objs
					},
					want: ChartViolation{"Job/cinegraph-migrate", "migrate", "resources", "no memory limit"},
				},
				{
					name: "Service selector broken",
					mutate: func(objs []ChartObject) []ChartObject {
						chartMutable[*corev1.Service](objs, "Service", "cinegraph-router").Spec.Selector["app.kubernetes.io/component"] = "routr"
						return objs
					},
					want: ChartViolation{"Service/cinegraph-router", "", "selectors", "matches no Deployment"},
				},
				{
					name: "PodDisruptionBudget selector broken",
					mutate: func(objs []ChartObject) []ChartObject {
						chartMutable[*policyv1.PodDisruptionBudget](objs, "PodDisruptionBudget", "cinegraph-chat").Spec.Selector.MatchLabels["app.kubernetes.io/instance"] = "other"
						return objs
					},
					want: ChartViolation{"PodDisruptionBudget/cinegraph-chat", "", "selectors", "matches no Deployment"},
				},
				{
					name: "Deployment selector broken",
					mutate: func(objs []ChartObject) []ChartObject {
						chartMutable[*appsv1.Deployment](objs, "Deployment", "cinegraph-video").Spec.Selector.MatchLabels["app.kubernetes.io/component"] = "catalog"
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-video", "", "selectors", "does not match its pod template"},
				},
				{
					name: "no PodDisruptionBudget for several replicas",
					mutate: func(objs []ChartObject) []ChartObject {
						return slices.DeleteFunc(objs, func(o ChartObject) bool { return o.Ref() == "PodDisruptionBudget/cinegraph-chat" })
					},
					want: ChartViolation{"Deployment/cinegraph-chat", "", "disruption-budget", "no PodDisruptionBudget"},
				},
				{
					name: "a reason for no budget on several replicas",
					mutate: func(objs []ChartObject) []ChartObject {
						objs = slices.DeleteFunc(objs, func(o ChartObject) bool { return o.Ref() == "PodDisruptionBudget/cinegraph-chat" })
						chartMutable[*appsv1.Deployment](objs, "Deployment", "cinegraph-chat").Annotations = map[string]string{NoPDBReason: "none needed"}
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-chat", "", "disruption-budget", "replicas without a PodDisruptionBudget"},
				},
				{
					name: "autoscaler aimed at nothing",
					mutate: func(objs []ChartObject) []ChartObject {
						chartMutable[*autoscalingv2.HorizontalPodAutoscaler](objs, "HorizontalPodAutoscaler", "cinegraph-router").Spec.ScaleTargetRef.Name = "cinegraph-routr"
						return objs
					},
					want: ChartViolation{"HorizontalPodAutoscaler/cinegraph-router", "", "autoscaling", "not a Deployment of the chart"},
				},
				{
					name: "replicas set under an autoscaler",
					mutate: func(objs []ChartObject) []ChartObject {
						two := int32(2)
						chartMutable[*appsv1.Deployment](objs, "Deployment", "cinegraph-router").Spec.Replicas = &two
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-router", "", "autoscaling", "sets spec.replicas"},
				},
				{
					name: "a Secret with data",
					mutate: func(objs []ChartObject) []ChartObject {
						s := &corev1.Secret{
							TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
							ObjectMeta: metav1.ObjectMeta{Name: "cinegraph-secrets", Namespace: chartNamespace},
							StringData: map[string]string{"router-auth-token": "s3cr3t"},
						}
						return append(objs, ChartObject{Source: "mutation", Object: s})
					},
					want: ChartViolation{"Secret/cinegraph-secrets", "", "secrets", "embeds"},
				},
				{
					name: "a password as a literal env value",
					mutate: func(objs []ChartObject) []ChartObject {
						c := chartContainerOf(objs, "Deployment", "cinegraph-router", "router")
						c.Env = append(c.Env, corev1.EnvVar{Name: "CINEGRAPH_STORAGE_REDIS_PASSWORD", Value: "hunter2"})
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-router", "router", "secrets", "CINEGRAPH_STORAGE_REDIS_PASSWORD"},
				},
				{
					name: "a DSN with credentials in an env value",
					mutate: func(objs []ChartObject) []ChartObject {
						c := chartContainerOf(objs, "Job", "cinegraph-migrate", "migrate")
						c.Env = append(c.Env, corev1.EnvVar{Name: "DATABASE", Value: "postgres://app:hunter2@db:5432/app"})
						return objs
					},
					want: ChartViolation{"Job/cinegraph-migrate", "migrate", "secrets", "DATABASE"},
				},
				{
					name: "a DSN with credentials in the configuration",
					mutate: func(objs []ChartObject) []ChartObject {
						cm := chartMutable[*corev1.ConfigMap](objs, "ConfigMap", "cinegraph-config")
						cm.Data["config.yaml"] = strings.Replace(cm.Data["config.yaml"], "  postgres:\n", "  postgres:\n    dsn: postgres://app:hunter2@db:5432/app\n", 1)
						return objs
					},
					want: ChartViolation{"ConfigMap/cinegraph-config", "", "secrets", "storage.postgres.dsn"},
				},
				{
					name: "the router token in the configuration",
					mutate: func(objs []ChartObject) []ChartObject {
						cm := chartMutable[*corev1.ConfigMap](objs, "ConfigMap", "cinegraph-config")
						cm.Data["config.yaml"] = strings.Replace(cm.Data["config.yaml"], "router:\n", "router:\n  auth_token: s3cr3t\n", 1)
						return objs
					},
					want: ChartViolation{"ConfigMap/cinegraph-config", "", "secrets", "router.auth_token"},
				},
				{
					name: "grace period shorter than the drain",
					mutate: func(objs []ChartObject) []ChartObject {
						ten := int64(10)
						chartPodOf(objs, "Deployment", "cinegraph-catalog").TerminationGracePeriodSeconds = &ten
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-catalog", "catalog", "shutdown", "terminationGracePeriodSeconds 10"},
				},
				{
					name: "a server drain delay the grace period does not cover",
					mutate: func(objs []ChartObject) []ChartObject {
						cm := chartMutable[*corev1.ConfigMap](objs, "ConfigMap", "cinegraph-config")
						cm.Data["config.yaml"] = regexp.MustCompile(`drain_delay: \d+s`).ReplaceAllString(cm.Data["config.yaml"], "drain_delay: 5m")
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-router", "router", "shutdown", "does not exceed"},
				},
				{
					name: "service links on",
					mutate: func(objs []ChartObject) []ChartObject {
						chartPodOf(objs, "Deployment", "cinegraph-router").EnableServiceLinks = nil
						return objs
					},
					want: ChartViolation{"Deployment/cinegraph-router", "", "service-links", "enableServiceLinks"},
				},
			} {
				t.Run(tc.name, func(t *testing.T) {
					got := CheckChart(tc.mutate(r.Copy()))
					for _, v := range got {
						if v.Object == tc.want.Object && v.Container == tc.want.Container && v.Rule == tc.want.Rule && strings.Contains(v.Detail, tc.want.Detail) {
							return
						}
					}
					t.Errorf("no violation like %q; got %v", tc.want, got)
				})
			}
			// The mutations changed copies only.
			if v := CheckChart(r.Objects); len(v) > 0 {
				t.Fatalf("mutations leaked into the rendered chart: %v", v)
			}
		})
	}
}

// chartTestBinary is $CINEGRAPH_BIN, else the binary built from the
// repository (two levels up) into the test's temporary directory.
func chartTestBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CINEGRAPH_BIN"); bin != "" {
		return bin
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "cinegraph")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/cinegraph")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/cinegraph: %v\n%s", err, out)
	}
	return bin
}

func TestChartImageEnv(t *testing.T) {
	for _, tc := range []struct {
		name, dockerfile string
		want             map[string]string
	}{
		{"final stage only", "FROM golang AS build\nENV GOFLAGS=-mod=mod\nFROM scratch\nENV A=1 B=\"two words\"\nENV C 3\n",
			map[string]string{"A": "1", "B": "two words", "C": "3"}},
		{"inherited from an earlier stage", "FROM alpine AS base\nENV A=1\nFROM base\nENV B=2\n",
			map[string]string{"A": "1", "B": "2"}},
		{"no ENV", "FROM scratch\nCOPY x /x\n", map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "Dockerfile")
			if err := os.WriteFile(path, []byte(tc.dockerfile), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := ChartImageEnv(path)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("env = %v, want %v", got, tc.want)
			}
		})
	}
}

// chartImageEnv is the environment of the image the chart runs, from the
// repository's Dockerfile (none when there is no Dockerfile).
func chartImageEnv(t *testing.T) map[string]string {
	t.Helper()
	env, err := ChartImageEnv("../../Dockerfile")
	if errors.Is(err, fs.ErrNotExist) {
		t.Log("no Dockerfile: validating without the image's environment")
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// chartRunProblems validates run's configuration and checks what the
// process would run with: cluster storage, and a data directory (router
// token, demo keys) on a writable mount, the root file system being
// read-only.
func chartRunProblems(bin string, run ChartConfigRun) error {
	if err := ValidateChartConfig(context.Background(), bin, run); err != nil {
		return err
	}
	cfg, err := ChartEffectiveConfig(context.Background(), bin, run)
	if err != nil {
		return err
	}
	var problems []error
	if dataDir, _ := cfg["data_dir"].(string); !slices.Contains(run.WritableDirs, dataDir) {
		problems = append(problems, fmt.Errorf("%s container %s: data_dir %q is none of its writable mounts %v", run.Workload, run.Container, dataDir, run.WritableDirs))
	}
	if storage, _ := cfg["storage"].(map[string]any); storage["mode"] != "cluster" {
		problems = append(problems, fmt.Errorf("%s container %s: storage.mode = %v, want cluster", run.Workload, run.Container, storage["mode"]))
	}
	return errors.Join(problems...)
}

func TestChartConfigValidates(t *testing.T) {
	bin := chartTestBinary(t)
	imageEnv := chartImageEnv(t)
	supergraph, err := os.ReadFile("../../schema/supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	editConfig := func(old, new string) func([]ChartObject) {
		return func(objs []ChartObject) {
			cm := chartMutable[*corev1.ConfigMap](objs, "ConfigMap", "cinegraph-config")
			if !strings.Contains(cm.Data["config.yaml"], old) {
				panic("config.yaml has no " + old)
			}
			cm.Data["config.yaml"] = strings.Replace(cm.Data["config.yaml"], old, new, 1)
		}
	}
	for _, tc := range []struct {
		name   string
		render ChartRender
		mutate func([]ChartObject)
		// wantErr, when set, is what the router's validation must report.
		wantErr string
	}{
		{name: "values.yaml", render: ChartRender{ValuesFiles: []string{chartValues}}},
		{name: "values-production.yaml", render: ChartRender{ValuesFiles: []string{chartValues, chartProductionValues}}},
		{name: "the repository's supergraph", render: ChartRender{ValuesFiles: []string{chartValues}, Set: map[string]any{"supergraph": string(supergraph)}}},
		{
			name:    "a supergraph that does not parse",
			render:  ChartRender{ValuesFiles: []string{chartValues}, Set: map[string]any{"supergraph": "type Query {"}},
			wantErr: "router.supergraph",
		},
		{
			name:    "a profile that does not exist",
			render:  ChartRender{ValuesFiles: []string{chartValues}},
			mutate:  editConfig("profile: demo", "profile: banana"),
			wantErr: "profile",
		},
		{
			name:    "a setting that does not exist",
			render:  ChartRender{ValuesFiles: []string{chartValues}, Set: map[string]any{"config": map[string]any{"router": map[string]any{"limits": map[string]any{"max_dept": 3}}}}},
			wantErr: "router.limits.max_dept: no such setting",
		},
		{
			name:    "demo tokens under the production profile",
			render:  ChartRender{ValuesFiles: []string{chartValues, chartProductionValues}, Set: map[string]any{"auth": map[string]any{"demo_tokens": true}}},
			wantErr: "auth.demo_tokens",
		},
		{
			name:   "an environment variable naming no setting",
			render: ChartRender{ValuesFiles: []string{chartValues}},
			mutate: func(objs []ChartObject) {
				c := chartContainerOf(objs, "Deployment", "cinegraph-router", "router")
				c.Env = append(c.Env, corev1.EnvVar{Name: "CINEGRAPH_ROUTER_DISCOVERY_MOD", Value: "dns"})
			},
			wantErr: "CINEGRAPH_ROUTER_DISCOVERY_MOD names no setting",
		},
		{
			name:   "a data directory on the read-only root file system",
			render: ChartRender{ValuesFiles: []string{chartValues}},
			mutate: func(objs []ChartObject) {
				c := chartContainerOf(objs, "Deployment", "cinegraph-router", "router")
				c.Env = append(c.Env, corev1.EnvVar{Name: "CINEGRAPH_DATA_DIR", Value: "/var/lib/cinegraph"})
			},
			wantErr: `data_dir "/var/lib/cinegraph" is none of its writable mounts`,
		},
		{
			name:   "embedded storage",
			render: ChartRender{ValuesFiles: []string{chartValues}},
			mutate: func(objs []ChartObject) {
				c := chartContainerOf(objs, "Deployment", "cinegraph-router", "router")
				c.Env = append(c.Env, corev1.EnvVar{Name: "CINEGRAPH_STORAGE_MODE", Value: "embedded"})
			},
			wantErr: "storage.mode = embedded",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := renderTestChart(t, tc.render)
			objs := r.Copy()
			if tc.mutate != nil {
				tc.mutate(objs)
			}
			runs, err := ChartConfigRuns(objs, imageEnv)
			if err != nil {
				t.Fatal(err)
			}
			var containers []string
			for _, run := range runs {
				containers = append(containers, run.Container)
			}
			want := []string{"migrate", "catalog", "chat", "insights", "router", "video"}
			if slices.Sort(containers); !slices.Equal(containers, slices.Sorted(slices.Values(want))) {
				t.Fatalf("configurations of %v, want %v", containers, want)
			}
			for _, run := range runs {
				err := chartRunProblems(bin, run)
				switch {
				case tc.wantErr == "" && err != nil:
					t.Error(err)
				case tc.wantErr != "" && run.Container == "router" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
					t.Errorf("router: error = %v, want one containing %q", err, tc.wantErr)
				}
			}
		})
	}
}
