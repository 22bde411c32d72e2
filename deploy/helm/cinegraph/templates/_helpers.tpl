{{/*
The chart's name.
*/}}
{{- define "cinegraph.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The release's base name, short enough (48) for the longest suffix the
chart adds ("-migrate-config").
*/}}
{{- define "cinegraph.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 48 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 48 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 48 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The name of one component's objects: (dict "root" $ "component" "router").
*/}}
{{- define "cinegraph.componentName" -}}
{{- printf "%s-%s" (include "cinegraph.fullname" .root) .component -}}
{{- end -}}

{{/*
The image every role runs.
*/}}
{{- define "cinegraph.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/*
Selector labels of a component: (dict "root" $ "component" "router").
*/}}
{{- define "cinegraph.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cinegraph.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
Labels of every object the chart renders: (dict "root" $ "component" "router").
*/}}
{{- define "cinegraph.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "cinegraph.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Values.image.tag | default .root.Chart.AppVersion | replace "+" "_" | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: cinegraph
{{- end -}}

{{/*
The labels selecting every pod of the release.
*/}}
{{- define "cinegraph.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "cinegraph.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
The DNS name the router resolves a subgraph's instances by: the SRV record
of the graphql port of its headless Service. (dict "root" $ "component" "catalog").
*/}}
{{- define "cinegraph.subgraphSRV" -}}
{{- printf "_graphql._tcp.%s.%s.svc.%s" (include "cinegraph.componentName" .) .root.Release.Namespace .root.Values.clusterDomain -}}
{{- end -}}

{{/*
Paths inside the containers.
*/}}
{{- define "cinegraph.configDir" -}}/etc/cinegraph{{- end -}}
{{- define "cinegraph.dataDir" -}}/data{{- end -}}

{{/*
The Cinegraph configuration (config.yaml): the user's settings (profile,
log, storage, auth, then config), then the settings the chart owns, which
win. Secrets are not here: they reach the processes as environment
variables from secrets.existingSecret, as do data_dir and frontend.dir
(cinegraph.env), which must name the container's own paths whatever the
image's environment says.
*/}}
{{- define "cinegraph.config" -}}
{{- $names := dict -}}
{{- range $name, $_ := .Values.subgraphs -}}
{{- $_ := set $names $name (include "cinegraph.subgraphSRV" (dict "root" $ "component" $name)) -}}
{{- end -}}
{{- $cfg := dict "profile" .Values.profile "log" (deepCopy .Values.log) "storage" (deepCopy .Values.storage) -}}
{{- if .Values.auth -}}
{{- $_ := set $cfg "auth" (deepCopy .Values.auth) -}}
{{- end -}}
{{- $cfg = mustMergeOverwrite $cfg (deepCopy .Values.config) -}}
{{- $router := dict "discovery" (dict "mode" "dns" "dns" (dict "names" $names)) -}}
{{- if .Values.supergraph -}}
{{- $_ := set $router "supergraph" (printf "%s/supergraph.graphql" (include "cinegraph.configDir" .)) -}}
{{- end -}}
{{- $owned := dict
  "storage" (dict "mode" "cluster")
  "shutdown_timeout" (printf "%ds" (int .Values.shutdown.timeoutSeconds))
  "server" (dict "drain_delay" (printf "%ds" (int .Values.shutdown.drainDelaySeconds)))
  "router" $router -}}
{{- $cfg = mustMergeOverwrite $cfg $owned -}}
{{- toYaml $cfg -}}
{{- end -}}

{{/*
Environment of a container: (dict "root" $ "stores" list "routerToken" bool).
Every CINEGRAPH_* variable names a setting (the binary refuses others), so
the pods also turn off Kubernetes' service links, whose variables would be
named after the release's Services (CINEGRAPH_ROUTER_PORT, ...).
*/}}
{{- define "cinegraph.env" -}}
{{- $root := .root -}}
{{- $secret := $root.Values.secrets.existingSecret | required "secrets.existingSecret: name the Secret holding Cinegraph's credentials" -}}
# Over the image's own: the emptyDir mounted for data_dir (the root file
# system is read-only) and the web app the image ships.
- name: CINEGRAPH_DATA_DIR
  value: {{ include "cinegraph.dataDir" $root }}
- name: CINEGRAPH_FRONTEND_DIR
  value: /srv/frontend
- name: GOMEMLIMIT
  valueFrom:
    resourceFieldRef:
      resource: limits.memory
{{- if .routerToken }}
- name: CINEGRAPH_ROUTER_AUTH_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $root.Values.secrets.routerAuthToken.key }}
{{- end }}
{{- range $store := .stores }}
{{- range (index $root.Values.secrets.stores $store) }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .key }}
      optional: {{ .optional }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
The pod template every role shares: (dict "root" $ "component" name
"args" list "ports" list "stores" list "routerToken" bool "resources" map
"probePort" name "configMap" name "longRunning" bool).
*/}}
{{- define "cinegraph.podTemplate" -}}
{{- $root := .root -}}
metadata:
  labels:
    {{- include "cinegraph.labels" . | nindent 4 }}
    {{- with $root.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    {{- if $root.Values.rollOnConfigChange }}
    checksum/config: {{ printf "%s\n%s" (include "cinegraph.config" $root) $root.Values.supergraph | sha256sum }}
    {{- end }}
    {{- with $root.Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  enableServiceLinks: false
  automountServiceAccountToken: false
  {{- with $root.Values.serviceAccountName }}
  serviceAccountName: {{ . }}
  {{- end }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  {{- if .longRunning }}
  terminationGracePeriodSeconds: {{ add $root.Values.shutdown.timeoutSeconds $root.Values.shutdown.drainDelaySeconds 10 }}
  {{- else }}
  restartPolicy: Never
  {{- end }}
  {{- with $root.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if and .longRunning $root.Values.spreadOverNodes }}
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "cinegraph.selectorLabels" . | nindent 10 }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "cinegraph.image" $root }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      args:
        {{- toYaml .args | nindent 8 }}
      {{- with .ports }}
      ports:
        {{- range . }}
        - name: {{ .name }}
          containerPort: {{ .port }}
          protocol: TCP
        {{- end }}
      {{- end }}
      env:
        {{- include "cinegraph.env" . | nindent 8 }}
      resources:
        {{- toYaml .resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: {{ include "cinegraph.configDir" $root }}
          readOnly: true
        - name: data
          mountPath: {{ include "cinegraph.dataDir" $root }}
        - name: tmp
          mountPath: /tmp
      {{- if .longRunning }}
      startupProbe:
        httpGet:
          path: /health/live
          port: {{ .probePort }}
        periodSeconds: 2
        timeoutSeconds: 2
        failureThreshold: 90
      livenessProbe:
        httpGet:
          path: /health/live
          port: {{ .probePort }}
        periodSeconds: 10
        timeoutSeconds: 2
        failureThreshold: 3
      readinessProbe:
        httpGet:
          path: /health/ready
          port: {{ .probePort }}
        periodSeconds: 5
        timeoutSeconds: 3
        failureThreshold: 2
      {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ .configMap }}
    # Router token and demo keys would live in data_dir; the root file
    # system is read-only.
    - name: data
      emptyDir:
        sizeLimit: 64Mi
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
{{- end -}}

{{/*
NetworkPolicy egress every pod gets: the cluster DNS.
*/}}
{{- define "cinegraph.dnsEgress" -}}
- to:
    {{- toYaml .Values.networkPolicy.dns.to | nindent 4 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end -}}

{{/*
NetworkPolicy egress to the engines a pod uses: (dict "root" $ "stores" list).
*/}}
{{- define "cinegraph.storeEgress" -}}
{{- range $store := .stores }}
{{- $peer := index $.root.Values.networkPolicy.stores $store }}
- to:
    {{- toYaml $peer.to | nindent 4 }}
  ports:
    {{- toYaml $peer.ports | nindent 4 }}
{{- end }}
{{- end -}}
