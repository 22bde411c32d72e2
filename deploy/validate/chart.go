// Rendering the Helm chart (deploy/helm/cinegraph) with Helm's own loader
// and engine, decoding what it renders strictly into the Kubernetes API
// types, and the checks run over the result: the policies below and the
// Cinegraph configuration each container would load.

package validate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	dockerparser "github.com/moby/buildkit/frontend/dockerfile/parser"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"helm.sh/helm/v4/pkg/chart/common"
	commonutil "helm.sh/helm/v4/pkg/chart/common/util"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/intstr"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// ServiceMonitorAPI is the capability the chart's ServiceMonitor needs: a
// cluster running the Prometheus Operator serves it.
const ServiceMonitorAPI = "monitoring.coreos.com/v1/ServiceMonitor"

// NoPDBReason is the annotation a Deployment without a PodDisruptionBudget
// carries to say why it has none.
const NoPDBReason = "cinegraph.dev/no-pdb-reason"

// DefaultKubeVersion is the cluster version charts are rendered for unless
// ChartRender says otherwise.
const DefaultKubeVersion = "v1.33.0"

// ChartRender says how to render a chart, as `helm template` would.
type ChartRender struct {
	// ValuesFiles are merged in order over the chart's values.yaml, as
	// with helm -f.
	ValuesFiles []string
	// Set is merged last, as with --set (nested maps).
	Set map[string]any
	// ReleaseName and Namespace default to cinegraph and cinegraph.
	ReleaseName, Namespace string
	// KubeVersion defaults to DefaultKubeVersion.
	KubeVersion string
	// APIVersions are served by the cluster on top of Kubernetes' own, e.g.
	// ServiceMonitorAPI.
	APIVersions []string
}

// ChartObject is one decoded object of a rendered chart.
type ChartObject struct {
	// Source is the template that rendered it (cinegraph/templates/router.yaml).
	Source string
	Object runtime.Object
}

// Kind is the object's kind.
func (o ChartObject) Kind() string { return o.Object.GetObjectKind().GroupVersionKind().Kind }

// Meta is the object's metadata.
func (o ChartObject) Meta() metav1.Object {
	m, ok := o.Object.(metav1.Object)
	if !ok {
		panic(fmt.Sprintf("%T has no object metadata", o.Object))
	}
	return m
}

// Ref names the object for messages: Kind/name.
func (o ChartObject) Ref() string { return o.Kind() + "/" + o.Meta().GetName() }

// RenderedChart is what a chart rendered to.
type RenderedChart struct {
	Chart   *chartv2.Chart
	Objects []ChartObject
	// Notes is the rendered NOTES.txt.
	Notes string
}

// Find returns the object of kind and name, or false.
func (r *RenderedChart) Find(kind, name string) (ChartObject, bool) {
	return findChartObject(r.Objects, kind, name)
}

// Copy deep-copies the objects, for changing them without changing r.
func (r *RenderedChart) Copy() []ChartObject {
	out := make([]ChartObject, len(r.Objects))
	for i, o := range r.Objects {
		out[i] = ChartObject{Source: o.Source, Object: o.Object.DeepCopyObject()}
	}
	return out
}

func findChartObject(objs []ChartObject, kind, name string) (ChartObject, bool) {
	for _, o := range objs {
		if o.Kind() == kind && o.Meta().GetName() == name {
			return o, true
		}
	}
	return ChartObject{}, false
}

// RenderChart loads the chart in dir with Helm's loader, renders it with
// Helm's engine in strict mode (a template reading a value that does not
// exist fails) and decodes every manifest strictly (DecodeManifest).
func RenderChart(ctx context.Context, dir string, r ChartRender) (*RenderedChart, error) {
	ch, err := loader.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("load chart %s: %w", dir, err)
	}
	vals := map[string]any{}
	for _, f := range r.ValuesFiles {
		v, err := common.ReadValuesFile(f)
		if err != nil {
			return nil, fmt.Errorf("values %s: %w", f, err)
		}
		vals = mergeChartValues(vals, v)
	}
	vals = mergeChartValues(vals, r.Set)
	caps, err := chartCapabilities(r)
	if err != nil {
		return nil, err
	}
	if err := kubeVersionFits(ch.Metadata.KubeVersion, caps.KubeVersion.String()); err != nil {
		return nil, err
	}
	opts := common.ReleaseOptions{Name: chartValueOr(r.ReleaseName, "cinegraph"), Namespace: chartValueOr(r.Namespace, "cinegraph"), Revision: 1, IsInstall: true}
	top, err := commonutil.ToRenderValues(ch, vals, opts, caps)
	if err != nil {
		return nil, fmt.Errorf("values: %w", err)
	}
	rendered, err := engine.Engine{Strict: true}.RenderWithContext(ctx, ch, top)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	out := &RenderedChart{Chart: ch}
	for _, name := range slices.Sorted(maps.Keys(rendered)) {
		switch {
		case path.Base(name) == "NOTES.txt":
			out.Notes = rendered[name]
		case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
			objs, err := DecodeManifest(name, rendered[name])
			if err != nil {
				return nil, err
			}
			out.Objects = append(out.Objects, objs...)
		case strings.TrimSpace(rendered[name]) != "":
			return nil, fmt.Errorf("%s: rendered to something that is neither a manifest nor NOTES.txt", name)
		}
	}
	return out, nil
}

func chartCapabilities(r ChartRender) (*common.Capabilities, error) {
	caps := common.DefaultCapabilities.Copy()
	kv, err := common.ParseKubeVersion(chartValueOr(r.KubeVersion, DefaultKubeVersion))
	if err != nil {
		return nil, fmt.Errorf("kube version: %w", err)
	}
	caps.KubeVersion = *kv
	caps.APIVersions = append(slices.Clone(caps.APIVersions), r.APIVersions...)
	return caps, nil
}

// kubeVersionFits checks the chart's kubeVersion constraint, as helm
// install does.
func kubeVersionFits(constraint, version string) error {
	if constraint == "" {
		return nil
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return fmt.Errorf("chart kubeVersion %q: %w", constraint, err)
	}
	v, err := semver.NewVersion(version)
	if err != nil {
		return fmt.Errorf("kube version %q: %w", version, err)
	}
	if !c.Check(v) {
		return fmt.Errorf("chart requires kubeVersion %s, rendering for %s", constraint, version)
	}
	return nil
}

// mergeChartValues merges src over dst as Helm merges values files: tables
// merge key by key, anything else is replaced.
func mergeChartValues(dst, src map[string]any) map[string]any {
	out := maps.Clone(dst)
	for k, v := range src {
		if sv, ok := v.(map[string]any); ok {
			if dv, ok := out[k].(map[string]any); ok {
				out[k] = mergeChartValues(dv, sv)
				continue
			}
		}
		out[k] = v
	}
	return out
}

func chartValueOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// chartScheme knows the kinds the chart may render, and no other.
var chartScheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	s.AddKnownTypes(appsv1.SchemeGroupVersion, &appsv1.Deployment{})
	s.AddKnownTypes(corev1.SchemeGroupVersion, &corev1.Service{}, &corev1.ConfigMap{}, &corev1.Secret{})
	s.AddKnownTypes(batchv1.SchemeGroupVersion, &batchv1.Job{})
	s.AddKnownTypes(policyv1.SchemeGroupVersion, &policyv1.PodDisruptionBudget{})
	s.AddKnownTypes(autoscalingv2.SchemeGroupVersion, &autoscalingv2.HorizontalPodAutoscaler{})
	s.AddKnownTypes(networkingv1.SchemeGroupVersion, &networkingv1.Ingress{}, &networkingv1.NetworkPolicy{})
	s.AddKnownTypes(monitoringv1.SchemeGroupVersion, &monitoringv1.ServiceMonitor{})
	return s
}()

var strictDecoder = kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, chartScheme, chartScheme,
	kjson.SerializerOptions{Yaml: true, Strict: true})

// DecodeManifest splits a rendered template into its YAML documents and
// decodes each into its Kubernetes type, chosen by apiVersion and kind,
// strictly: an unknown or duplicated field, a kind the chart is not meant
// to render, or a missing name fails. Documents holding only comments are
// skipped.
func DecodeManifest(source, manifest string) ([]ChartObject, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(manifest)))
	var out []ChartObject
	for i := 0; ; i++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", source, i, err)
		}
		if blankManifest(doc) {
			continue
		}
		obj, _, err := strictDecoder.Decode(doc, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", source, i, err)
		}
		o := ChartObject{Source: source, Object: obj}
		if o.Meta().GetName() == "" {
			return nil, fmt.Errorf("%s: document %d: %s has no metadata.name", source, i, o.Kind())
		}
		out = append(out, o)
	}
}

func blankManifest(doc []byte) bool {
	for line := range strings.SplitSeq(string(doc), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && line != "---" && !strings.HasPrefix(line, "#") {
			return false
		}
	}
	return true
}

// ChartViolation is one broken policy.
type ChartViolation struct {
	// Object is Kind/name.
	Object string
	// Container is the container's name, or empty for the object as a whole.
	Container string
	// Rule is the policy's name (ChartPolicy.Name).
	Rule   string
	Detail string
}

func (v ChartViolation) String() string {
	where := v.Object
	if v.Container != "" {
		where += " container " + v.Container
	}
	return fmt.Sprintf("%s: %s: %s", where, v.Rule, v.Detail)
}

// ChartPolicy is one rule every rendering of the chart must hold.
type ChartPolicy struct {
	Name  string
	Check func(objs []ChartObject) []ChartViolation
}

// ChartPolicies are the rules CheckChart applies.
var ChartPolicies = []ChartPolicy{
	{"resources", CheckResources},
	{"security-context", CheckSecurityContext},
	{"probes", CheckProbes},
	{"disruption-budget", CheckDisruptionBudgets},
	{"selectors", CheckSelectors},
	{"autoscaling", CheckAutoscalers},
	{"secrets", CheckSecrets},
	{"shutdown", CheckShutdown},
	{"service-links", CheckServiceLinks},
}

// CheckChart applies every policy and returns every violation.
func CheckChart(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	for _, p := range ChartPolicies {
		out = append(out, p.Check(objs)...)
	}
	return out
}

// chartWorkload is a Deployment or a Job: something that runs pods.
type chartWorkload struct {
	obj ChartObject
	pod *corev1.PodTemplateSpec
	// longRunning pods serve (Deployments); a Job's run and end.
	longRunning bool
	deployment  *appsv1.Deployment
}

func chartWorkloads(objs []ChartObject) []chartWorkload {
	var out []chartWorkload
	for _, o := range objs {
		switch x := o.Object.(type) {
		case *appsv1.Deployment:
			out = append(out, chartWorkload{obj: o, pod: &x.Spec.Template, longRunning: true, deployment: x})
		case *batchv1.Job:
			out = append(out, chartWorkload{obj: o, pod: &x.Spec.Template})
		}
	}
	return out
}

func podContainers(pod *corev1.PodSpec) []*corev1.Container {
	var out []*corev1.Container
	for i := range pod.InitContainers {
		out = append(out, &pod.InitContainers[i])
	}
	for i := range pod.Containers {
		out = append(out, &pod.Containers[i])
	}
	return out
}

// CheckResources: every container of every Deployment and Job requests and
// limits CPU and memory, and requests no more than it limits.
func CheckResources(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	for _, w := range chartWorkloads(objs) {
		for _, c := range podContainers(&w.pod.Spec) {
			bad := func(format string, args ...any) {
				out = append(out, ChartViolation{w.obj.Ref(), c.Name, "resources", fmt.Sprintf(format, args...)})
			}
			for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				req, hasReq := c.Resources.Requests[res]
				lim, hasLim := c.Resources.Limits[res]
				if !hasReq || req.IsZero() {
					bad("no %s request", res)
				}
				if !hasLim || lim.IsZero() {
					bad("no %s limit", res)
				}
				if hasReq && hasLim && req.Cmp(lim) > 0 {
					bad("%s request %s exceeds its limit %s", res, req.String(), lim.String())
				}
			}
		}
	}
	return out
}

// CheckSecurityContext: every container runs as a non-root user (pod or
// container runAsNonRoot true, no runAsUser 0), without privilege
// escalation or privileges, on a read-only root file system, with every
// capability dropped and a seccomp profile.
func CheckSecurityContext(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	for _, w := range chartWorkloads(objs) {
		psc := w.pod.Spec.SecurityContext
		if psc == nil {
			psc = &corev1.PodSecurityContext{}
		}
		for _, c := range podContainers(&w.pod.Spec) {
			bad := func(format string, args ...any) {
				out = append(out, ChartViolation{w.obj.Ref(), c.Name, "security-context", fmt.Sprintf(format, args...)})
			}
			sc := c.SecurityContext
			if sc == nil {
				sc = &corev1.SecurityContext{}
			}
			nonRoot := sc.RunAsNonRoot
			if nonRoot == nil {
				nonRoot = psc.RunAsNonRoot
			}
			if nonRoot == nil || !*nonRoot {
				bad("runAsNonRoot is not true")
			}
			for _, uid := range []*int64{psc.RunAsUser, sc.RunAsUser} {
				if uid != nil && *uid == 0 {
					bad("runAsUser is 0 (root)")
				}
			}
			if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				bad("allowPrivilegeEscalation is not false")
			}
			if sc.Privileged != nil && *sc.Privileged {
				bad("privileged")
			}
			if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
				bad("readOnlyRootFilesystem is not true")
			}
			if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
				bad("capabilities do not drop ALL")
			} else if len(sc.Capabilities.Add) > 0 {
				bad("capabilities add %v", sc.Capabilities.Add)
			}
			seccomp := sc.SeccompProfile
			if seccomp == nil {
				seccomp = psc.SeccompProfile
			}
			if seccomp == nil || seccomp.Type == corev1.SeccompProfileTypeUnconfined {
				bad("no seccomp profile (RuntimeDefault)")
			}
		}
	}
	return out
}

// CheckProbes: every container of a Deployment has readiness and liveness
// probes, and every probe's port is one the container declares.
func CheckProbes(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	for _, w := range chartWorkloads(objs) {
		if !w.longRunning {
			continue
		}
		for _, c := range w.pod.Spec.Containers {
			bad := func(format string, args ...any) {
				out = append(out, ChartViolation{w.obj.Ref(), c.Name, "probes", fmt.Sprintf(format, args...)})
			}
			if c.ReadinessProbe == nil {
				bad("no readiness probe")
			}
			if c.LivenessProbe == nil {
				bad("no liveness probe")
			}
			for kind, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe, "startup": c.StartupProbe} {
				if p == nil {
					continue
				}
				port, ok := probePort(p)
				if ok && !containerHasPort(c, port) {
					bad("%s probe port %s is not a port of the container", kind, port.String())
				}
			}
		}
	}
	return out
}

func probePort(p *corev1.Probe) (intstr.IntOrString, bool) {
	switch {
	case p.HTTPGet != nil:
		return p.HTTPGet.Port, true
	case p.TCPSocket != nil:
		return p.TCPSocket.Port, true
	case p.GRPC != nil:
		return intstr.FromInt32(p.GRPC.Port), true
	}
	return intstr.IntOrString{}, false
}

func containerHasPort(c corev1.Container, port intstr.IntOrString) bool {
	for _, p := range c.Ports {
		if port.Type == intstr.String && p.Name == port.StrVal || port.Type == intstr.Int && p.ContainerPort == port.IntVal {
			return true
		}
	}
	return false
}

// CheckDisruptionBudgets: every Deployment has a PodDisruptionBudget
// selecting its pods, or runs at most one replica and says why it has
// none in the cinegraph.dev/no-pdb-reason annotation.
func CheckDisruptionBudgets(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	for _, w := range chartWorkloads(objs) {
		if w.deployment == nil {
			continue
		}
		if len(budgetsSelecting(objs, w)) > 0 {
			continue
		}
		reason := w.obj.Meta().GetAnnotations()[NoPDBReason]
		replicas := chartMinReplicas(objs, w)
		switch {
		case strings.TrimSpace(reason) == "":
			out = append(out, ChartViolation{w.obj.Ref(), "", "disruption-budget", "no PodDisruptionBudget selects its pods and no " + NoPDBReason + " annotation says why"})
		case replicas > 1:
			out = append(out, ChartViolation{w.obj.Ref(), "", "disruption-budget", fmt.Sprintf("runs %d replicas without a PodDisruptionBudget (%s: %q)", replicas, NoPDBReason, reason)})
		}
	}
	return out
}

func budgetsSelecting(objs []ChartObject, w chartWorkload) []ChartObject {
	var out []ChartObject
	for _, o := range objs {
		if pdb, ok := o.Object.(*policyv1.PodDisruptionBudget); ok && sameNamespace(o, w.obj) && selectorMatches(pdb.Spec.Selector, w.pod.Labels) {
			out = append(out, o)
		}
	}
	return out
}

// chartMinReplicas is the fewest replicas a Deployment runs: its autoscaler's
// minimum, else spec.replicas (1 when unset).
func chartMinReplicas(objs []ChartObject, w chartWorkload) int32 {
	for _, o := range objs {
		if hpa, ok := o.Object.(*autoscalingv2.HorizontalPodAutoscaler); ok && hpaTargets(hpa, w.obj) {
			if hpa.Spec.MinReplicas != nil {
				return *hpa.Spec.MinReplicas
			}
			return 1
		}
	}
	if r := w.deployment.Spec.Replicas; r != nil {
		return *r
	}
	return 1
}

func hpaTargets(hpa *autoscalingv2.HorizontalPodAutoscaler, o ChartObject) bool {
	ref := hpa.Spec.ScaleTargetRef
	return ref.Kind == o.Kind() && ref.Name == o.Meta().GetName() && ref.APIVersion == "apps/v1" && hpa.Namespace == o.Meta().GetNamespace()
}

func sameNamespace(a, b ChartObject) bool { return a.Meta().GetNamespace() == b.Meta().GetNamespace() }

// selectorMatches reports whether a non-empty label selector matches set.
func selectorMatches(sel *metav1.LabelSelector, set map[string]string) bool {
	if sel == nil || len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		return false
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && s.Matches(labels.Set(set))
}

// CheckSelectors: every Deployment's selector matches its own pods; every
// Service's and PodDisruptionBudget's selector matches the pods of some
// Deployment; every NetworkPolicy's pod selector matches some workload's
// pods; every ServiceMonitor selects some Service.
func CheckSelectors(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	bad := func(o ChartObject, format string, args ...any) {
		out = append(out, ChartViolation{o.Ref(), "", "selectors", fmt.Sprintf(format, args...)})
	}
	matchesPods := func(o ChartObject, sel *metav1.LabelSelector, deploymentsOnly bool) bool {
		for _, w := range chartWorkloads(objs) {
			if (w.deployment != nil || !deploymentsOnly) && sameNamespace(o, w.obj) && selectorMatches(sel, w.pod.Labels) {
				return true
			}
		}
		return false
	}
	for _, o := range objs {
		switch x := o.Object.(type) {
		case *appsv1.Deployment:
			if !selectorMatches(x.Spec.Selector, x.Spec.Template.Labels) {
				bad(o, "spec.selector %s does not match its pod template's labels", metav1.FormatLabelSelector(x.Spec.Selector))
			}
		case *batchv1.Job:
			if x.Spec.Selector != nil && !selectorMatches(x.Spec.Selector, x.Spec.Template.Labels) {
				bad(o, "spec.selector does not match its pod template's labels")
			}
		case *corev1.Service:
			if x.Spec.Type == corev1.ServiceTypeExternalName {
				continue
			}
			sel := &metav1.LabelSelector{MatchLabels: x.Spec.Selector}
			if !matchesPods(o, sel, true) {
				bad(o, "selector %v matches no Deployment's pods", x.Spec.Selector)
			}
		case *policyv1.PodDisruptionBudget:
			if !matchesPods(o, x.Spec.Selector, true) {
				bad(o, "selector %s matches no Deployment's pods", metav1.FormatLabelSelector(x.Spec.Selector))
			}
		case *networkingv1.NetworkPolicy:
			if !matchesPods(o, &x.Spec.PodSelector, false) {
				bad(o, "podSelector %s matches no pods of the chart", metav1.FormatLabelSelector(&x.Spec.PodSelector))
			}
		case *monitoringv1.ServiceMonitor:
			found := false
			for _, s := range objs {
				if svc, ok := s.Object.(*corev1.Service); ok && sameNamespace(o, s) && selectorMatches(&x.Spec.Selector, svc.Labels) {
					found = true
				}
			}
			if !found {
				bad(o, "selector %s matches no Service", metav1.FormatLabelSelector(&x.Spec.Selector))
			}
		}
	}
	return out
}

// CheckAutoscalers: every HorizontalPodAutoscaler scales a Deployment of
// the chart, between a minimum no larger than its maximum; the Deployment
// leaves spec.replicas to it (or every upgrade would reset the scale).
func CheckAutoscalers(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	for _, o := range objs {
		hpa, ok := o.Object.(*autoscalingv2.HorizontalPodAutoscaler)
		if !ok {
			continue
		}
		bad := func(format string, args ...any) {
			out = append(out, ChartViolation{o.Ref(), "", "autoscaling", fmt.Sprintf(format, args...)})
		}
		ref := hpa.Spec.ScaleTargetRef
		target, found := findChartObject(objs, ref.Kind, ref.Name)
		switch {
		case !found || !hpaTargets(hpa, target):
			bad("scaleTargetRef %s %s/%s is not a Deployment of the chart", ref.APIVersion, ref.Kind, ref.Name)
		case target.Object.(*appsv1.Deployment).Spec.Replicas != nil:
			out = append(out, ChartViolation{target.Ref(), "", "autoscaling", "sets spec.replicas while " + o.Ref() + " scales it"})
		}
		if hpa.Spec.MinReplicas != nil && *hpa.Spec.MinReplicas > hpa.Spec.MaxReplicas {
			bad("minReplicas %d exceeds maxReplicas %d", *hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas)
		}
		if len(hpa.Spec.Metrics) == 0 {
			bad("no metrics")
		}
	}
	return out
}

var (
	// chartSecretName is an environment variable or setting whose value is a
	// credential.
	chartSecretName = regexp.MustCompile(`(?i)(password|passwd|secret|token|dsn|credentials?|api_?key|private_?key)$`)
	// chartURLCredentials is a URL with a password in it: scheme://user:pass@.
	chartURLCredentials = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`)
	// chartKVPassword is a key=value DSN's password.
	chartKVPassword = regexp.MustCompile(`(?i)\bpassword=\S+`)
)

func chartCredentialValue(s string) bool {
	return chartURLCredentials.MatchString(s) || chartKVPassword.MatchString(s)
}

// CheckSecrets: the chart references secrets, it never holds them: no
// Secret with data, no literal environment value for a credential or one
// that looks like one (a URL or DSN with a password), and no credential in
// a ConfigMap.
func CheckSecrets(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	for _, o := range objs {
		switch x := o.Object.(type) {
		case *corev1.Secret:
			if len(x.Data)+len(x.StringData) > 0 {
				out = append(out, ChartViolation{o.Ref(), "", "secrets", "the chart embeds a Secret's data; reference an existing Secret instead"})
			}
		case *corev1.ConfigMap:
			for _, key := range slices.Sorted(maps.Keys(x.Data)) {
				for _, problem := range chartConfigCredentials(x.Data[key]) {
					out = append(out, ChartViolation{o.Ref(), "", "secrets", key + ": " + problem})
				}
			}
		}
	}
	for _, w := range chartWorkloads(objs) {
		for _, c := range podContainers(&w.pod.Spec) {
			for _, e := range c.Env {
				if e.Value == "" {
					continue
				}
				if chartSecretName.MatchString(e.Name) || chartCredentialValue(e.Value) {
					out = append(out, ChartViolation{w.obj.Ref(), c.Name, "secrets", "env " + e.Name + " holds a literal credential; use valueFrom.secretKeyRef"})
				}
			}
			for _, a := range append(slices.Clone(c.Command), c.Args...) {
				if chartCredentialValue(a) {
					out = append(out, ChartViolation{w.obj.Ref(), c.Name, "secrets", "an argument holds a credential"})
				}
			}
		}
	}
	return out
}

// chartConfigCredentials lists the credentials in a ConfigMap value: settings
// named like secrets with a value, and URLs or DSNs with a password.
func chartConfigCredentials(data string) []string {
	var out []string
	var tree any
	if err := yaml.Unmarshal([]byte(data), &tree); err != nil {
		tree = data
	}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(strings.TrimPrefix(key+"."+k, "."), v[k])
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s[%d]", key, i), x)
			}
		case string:
			last := key[strings.LastIndex(key, ".")+1:]
			switch {
			case chartCredentialValue(v):
				out = append(out, fmt.Sprintf("%s holds a credential in a URL or DSN", chartValueOr(key, "value")))
			case v != "" && key != "" && chartSecretName.MatchString(last):
				out = append(out, fmt.Sprintf("%s holds a secret", key))
			}
		}
	}
	walk("", tree)
	return out
}

// CheckShutdown: a Deployment's pods get longer to stop than they take: the
// grace period exceeds any preStop sleep plus the configuration's
// server.drain_delay and shutdown_timeout (none and 15s unless the mounted
// config.yaml says otherwise).
func CheckShutdown(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	for _, w := range chartWorkloads(objs) {
		if !w.longRunning {
			continue
		}
		grace := int64(corev1.DefaultTerminationGracePeriodSeconds)
		if g := w.pod.Spec.TerminationGracePeriodSeconds; g != nil {
			grace = *g
		}
		shutdown, serverDrain := 15*time.Second, time.Duration(0)
		if raw, ok := mountedChartConfig(objs, w); ok {
			var cfg struct {
				ShutdownTimeout string `json:"shutdown_timeout"`
				Server          struct {
					DrainDelay string `json:"drain_delay"`
				} `json:"server"`
			}
			if err := yaml.Unmarshal([]byte(raw), &cfg); err == nil {
				if d, err := time.ParseDuration(cfg.ShutdownTimeout); err == nil {
					shutdown = d
				}
				if d, err := time.ParseDuration(cfg.Server.DrainDelay); err == nil {
					serverDrain = d
				}
			}
		}
		for _, c := range w.pod.Spec.Containers {
			drain := serverDrain
			if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
				drain += time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
			}
			if time.Duration(grace)*time.Second <= shutdown+drain {
				out = append(out, ChartViolation{w.obj.Ref(), c.Name, "shutdown", fmt.Sprintf(
					"terminationGracePeriodSeconds %d does not exceed shutdown_timeout %s plus the drain %s", grace, shutdown, drain)})
			}
		}
	}
	return out
}

// mountedChartConfig is the config.yaml of the first ConfigMap a workload
// mounts that has one.
func mountedChartConfig(objs []ChartObject, w chartWorkload) (string, bool) {
	for _, v := range w.pod.Spec.Volumes {
		if v.ConfigMap == nil {
			continue
		}
		if o, ok := findChartObject(objs, "ConfigMap", v.ConfigMap.Name); ok && sameNamespace(o, w.obj) {
			if raw, ok := o.Object.(*corev1.ConfigMap).Data["config.yaml"]; ok {
				return raw, true
			}
		}
	}
	return "", false
}

// CheckServiceLinks: every pod turns Kubernetes' service links off. The
// binary refuses any CINEGRAPH_* variable that names no setting, and
// service links would add CINEGRAPH_ROUTER_PORT and the like for the
// release's own Services.
func CheckServiceLinks(objs []ChartObject) []ChartViolation {
	var out []ChartViolation
	for _, w := range chartWorkloads(objs) {
		if l := w.pod.Spec.EnableServiceLinks; l == nil || *l {
			out = append(out, ChartViolation{w.obj.Ref(), "", "service-links", "enableServiceLinks is not false: Kubernetes would set CINEGRAPH_<SERVICE>_* variables the binary refuses"})
		}
	}
	return out
}

// ChartConfigRun is the Cinegraph configuration one container loads, with what
// `cinegraph config --validate` needs to load it the same way.
type ChartConfigRun struct {
	// Workload is Kind/name; Container the container's name.
	Workload, Container string
	// MountDir is where the ConfigMap is mounted; Files its keys and
	// values (config.yaml and, when set, supergraph.graphql); Config the
	// key --config names.
	MountDir string
	Files    map[string]string
	Config   string
	// Args are the container's flags that `cinegraph config` also takes
	// (--listen, --admin-listen, --data-dir).
	Args []string
	// Env is the environment as NAME=value: the image's, then the
	// container's over it, each secret replaced by a placeholder.
	Env []string
	// WritableDirs are where the container mounts writable emptyDirs.
	WritableDirs []string
}

// chartConfigFlags are the flags of `cinegraph config` that change what loads.
var chartConfigFlags = []string{"listen", "admin-listen", "data-dir"}

// ChartConfigRuns finds every container that runs cinegraph with
// --config and the ConfigMap mounted there; imageEnv is the environment
// the image sets (ChartImageEnv), which the container's overrides.
func ChartConfigRuns(objs []ChartObject, imageEnv map[string]string) ([]ChartConfigRun, error) {
	var out []ChartConfigRun
	for _, w := range chartWorkloads(objs) {
		for _, c := range podContainers(&w.pod.Spec) {
			flags, err := chartFlags(c.Args)
			if err != nil {
				return nil, fmt.Errorf("%s container %s: %w", w.obj.Ref(), c.Name, err)
			}
			file, ok := flags["config"]
			if !ok {
				continue
			}
			run := ChartConfigRun{Workload: w.obj.Ref(), Container: c.Name}
			if err := run.resolve(objs, w, c, file); err != nil {
				return nil, fmt.Errorf("%s container %s: --config %s: %w", w.obj.Ref(), c.Name, file, err)
			}
			for _, k := range slices.Sorted(maps.Keys(imageEnv)) {
				run.Env = append(run.Env, k+"="+imageEnv[k])
			}
			for _, m := range c.VolumeMounts {
				for _, v := range w.pod.Spec.Volumes {
					if v.Name == m.Name && v.EmptyDir != nil && !m.ReadOnly {
						run.WritableDirs = append(run.WritableDirs, m.MountPath)
					}
				}
			}
			for _, f := range chartConfigFlags {
				if v, ok := flags[f]; ok {
					run.Args = append(run.Args, "--"+f, v)
				}
			}
			for _, e := range c.Env {
				switch {
				case e.ValueFrom == nil:
					run.Env = append(run.Env, e.Name+"="+e.Value)
				case e.ValueFrom.SecretKeyRef != nil:
					run.Env = append(run.Env, e.Name+"="+ChartSecretPlaceholder(e.Name))
				case e.ValueFrom.ConfigMapKeyRef != nil:
					ref := e.ValueFrom.ConfigMapKeyRef
					cm, ok := findChartObject(objs, "ConfigMap", ref.Name)
					if !ok {
						return nil, fmt.Errorf("%s container %s: env %s: no ConfigMap %s", w.obj.Ref(), c.Name, e.Name, ref.Name)
					}
					run.Env = append(run.Env, e.Name+"="+cm.Object.(*corev1.ConfigMap).Data[ref.Key])
				}
				// Field and resource references (GOMEMLIMIT) are no settings.
			}
			out = append(out, run)
		}
	}
	return out, nil
}

func (r *ChartConfigRun) resolve(objs []ChartObject, w chartWorkload, c *corev1.Container, file string) error {
	for _, m := range c.VolumeMounts {
		rel, err := filepath.Rel(m.MountPath, file)
		if err != nil || strings.HasPrefix(rel, "..") || m.SubPath != "" {
			continue
		}
		for _, v := range w.pod.Spec.Volumes {
			if v.Name != m.Name {
				continue
			}
			if v.ConfigMap == nil {
				return fmt.Errorf("volume %s is not a ConfigMap", v.Name)
			}
			cm, ok := findChartObject(objs, "ConfigMap", v.ConfigMap.Name)
			if !ok {
				return fmt.Errorf("no ConfigMap %s", v.ConfigMap.Name)
			}
			data := cm.Object.(*corev1.ConfigMap).Data
			if _, ok := data[rel]; !ok {
				return fmt.Errorf("ConfigMap %s has no key %s", v.ConfigMap.Name, rel)
			}
			r.MountDir, r.Files, r.Config = m.MountPath, maps.Clone(data), rel
			return nil
		}
		return fmt.Errorf("no volume %s", m.Name)
	}
	return errors.New("no volume is mounted there")
}

// chartFlags reads --name value and --name=value pairs (one or two dashes);
// words that are not flags (the role: router, subgraph chat) are skipped.
func chartFlags(args []string) (map[string]string, error) {
	out := map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name := strings.TrimLeft(a, "-")
		if k, v, ok := strings.Cut(name, "="); ok {
			out[k] = v
			continue
		}
		if i+1 >= len(args) {
			return nil, fmt.Errorf("flag %s has no value", a)
		}
		out[name] = args[i+1]
		i++
	}
	return out, nil
}

// ChartSecretPlaceholder stands for a secret's value when a configuration is
// validated without the Secret: well-formed, never real.
func ChartSecretPlaceholder(env string) string {
	if strings.Contains(env, "DSN") {
		return "postgres://cinegraph:placeholder@postgres.invalid:5432/cinegraph?sslmode=require"
	}
	return "placeholder-" + strings.ToLower(env)
}

// ValidateChartConfig runs `bin config --validate` on run's configuration,
// as the container would load it: its files written to a temporary
// directory (paths under MountDir in config.yaml rewritten to it), its
// flags and its environment, and nothing of this process's environment but
// PATH. --validate prints nothing when the configuration holds.
func ValidateChartConfig(ctx context.Context, bin string, run ChartConfigRun) error {
	out, err := runChartConfig(ctx, bin, run, "--validate")
	if err != nil {
		return err
	}
	if out = strings.TrimSpace(out); out != "" {
		return fmt.Errorf("%s container %s: cinegraph config --validate printed output on success:\n%s", run.Workload, run.Container, out)
	}
	return nil
}

// ChartEffectiveConfig is the configuration run's container would run
// with, as `bin config` prints it (secrets masked).
func ChartEffectiveConfig(ctx context.Context, bin string, run ChartConfigRun) (map[string]any, error) {
	out, err := runChartConfig(ctx, bin, run)
	if err != nil {
		return nil, err
	}
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(out), &cfg); err != nil {
		return nil, fmt.Errorf("%s container %s: cinegraph config: %w", run.Workload, run.Container, err)
	}
	return cfg, nil
}

func runChartConfig(ctx context.Context, bin string, run ChartConfigRun, flags ...string) (string, error) {
	dir, err := os.MkdirTemp("", "cinegraph-config-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	mount := strings.TrimSuffix(run.MountDir, "/") + "/"
	for name, data := range run.Files {
		if name == run.Config {
			data = strings.ReplaceAll(data, mount, dir+"/")
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			return "", err
		}
	}
	args := append(append([]string{"config"}, flags...), "--config", filepath.Join(dir, run.Config))
	args = append(args, run.Args...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, run.Env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s container %s: cinegraph %s: %w\n%s%s", run.Workload, run.Container, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// ChartImageEnv is the environment the final stage of a Dockerfile sets
// (ENV, including what it inherits from an earlier stage it starts FROM),
// read with BuildKit's parser. Values are taken as written: quotes are
// removed, variables are not expanded.
func ChartImageEnv(dockerfile string) (map[string]string, error) {
	f, err := os.Open(dockerfile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := dockerparser.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dockerfile, err)
	}
	stages := map[string]map[string]string{}
	env := map[string]string{}
	for _, n := range res.AST.Children {
		switch strings.ToLower(n.Value) {
		case "from":
			var words []string
			for x := n.Next; x != nil; x = x.Next {
				words = append(words, x.Value)
			}
			env = map[string]string{}
			if len(words) > 0 {
				maps.Copy(env, stages[strings.ToLower(words[0])])
			}
			if len(words) == 3 && strings.EqualFold(words[1], "as") {
				stages[strings.ToLower(words[2])] = env
			}
		case "env":
			for kv := n.Next; kv != nil && kv.Next != nil; kv = kv.Next.Next.Next {
				env[kv.Value] = unquote(kv.Next.Value)
			}
		}
	}
	return env, nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
