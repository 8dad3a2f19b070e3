{{/*
Return the chart name, cut to 63 characters (the DNS label limit).
*/}}
{{- define "assay.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Return the full name of the release's objects: <release>-<chart>, or the release name alone when it already holds
the chart name. Cut to 52 characters so that component suffixes still fit in 63.
*/}}
{{- define "assay.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Return the full name of the API's objects.
*/}}
{{- define "assay.api.fullname" -}}
{{- printf "%s-api" (include "assay.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Return the full name of the worker's objects.
*/}}
{{- define "assay.worker.fullname" -}}
{{- printf "%s-worker" (include "assay.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Return the chart label value: <name>-<version>.
*/}}
{{- define "assay.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Return the labels of every object. Call with (dict "context" $ "component" "api").
*/}}
{{- define "assay.labels" -}}
helm.sh/chart: {{ include "assay.chart" .context }}
{{ include "assay.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: assay
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Return the selector labels of a component. Call with (dict "context" $ "component" "api").
*/}}
{{- define "assay.selectorLabels" -}}
app.kubernetes.io/name: {{ include "assay.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end }}

{{/*
Return the name of the ServiceAccount the pods use.
*/}}
{{- define "assay.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "assay.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Return the name of the Secret the chart creates for the secret values given in values.
*/}}
{{- define "assay.secretName" -}}
{{- include "assay.fullname" . }}
{{- end }}

{{/*
Return an image reference, pinned to a digest or a tag, never to "latest".
Call with (dict "image" .Values.api.image "tag" <default tag> "context" $).
*/}}
{{- define "assay.image" -}}
{{- $registry := .context.Values.imageRegistry }}
{{- $repository := .image.repository }}
{{- if $registry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" $registry) $repository }}
{{- end }}
{{- if .image.digest }}
{{- printf "%s@%s" $repository .image.digest }}
{{- else }}
{{- $tag := default .tag .image.tag | toString }}
{{- if or (eq $tag "latest") (hasSuffix ":latest" $tag) }}
{{- fail (printf "%s: the tag \"latest\" is not allowed; pin a version or a digest" $repository) }}
{{- end }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}
{{- end }}

{{/*
Return the worker image variant: cpu or cuda.
*/}}
{{- define "assay.worker.variant" -}}
{{- if .Values.worker.image.variant }}
{{- .Values.worker.image.variant }}
{{- else if .Values.worker.gpu.enabled }}
{{- "cuda" }}
{{- else }}
{{- "cpu" }}
{{- end }}
{{- end }}

{{/*
Return the worker image reference; the cuda variant's default tag is <appVersion>-cuda.
*/}}
{{- define "assay.worker.image" -}}
{{- $tag := .Chart.AppVersion }}
{{- if eq (include "assay.worker.variant" .) "cuda" }}
{{- $tag = printf "%s-cuda" .Chart.AppVersion }}
{{- end }}
{{- include "assay.image" (dict "image" .Values.worker.image "tag" $tag "context" .) }}
{{- end }}

{{/*
Return the number of evaluations one worker runs at a time: worker.concurrency, else the GPU count divided by the
GPUs each evaluation takes (worker.engine.replicasPerJob), else 1.
*/}}
{{- define "assay.worker.concurrency" -}}
{{- if not (kindIs "invalid" .Values.worker.concurrency) }}
{{- .Values.worker.concurrency | int }}
{{- else if .Values.worker.gpu.enabled }}
{{- div (.Values.worker.gpu.count | int) (include "assay.worker.replicasPerJob" . | int) }}
{{- else }}
{{- 1 }}
{{- end }}
{{- end }}

{{/*
Return the engines (one per GPU) each evaluation loads its model on: worker.engine.replicasPerJob, else 1.
*/}}
{{- define "assay.worker.replicasPerJob" -}}
{{- default 1 .Values.worker.engine.replicasPerJob | int }}
{{- end }}

{{/*
Return the JDBC URL of the database.
*/}}
{{- define "assay.database.jdbcUrl" -}}
{{- $db := .Values.database }}
{{- $url := printf "jdbc:postgresql://%s:%d/%s?sslmode=%s" $db.host ($db.port | int) $db.name $db.sslMode }}
{{- if $db.jdbcParameters }}
{{- $url = printf "%s&%s" $url (trimPrefix "&" $db.jdbcParameters) }}
{{- end }}
{{- $url }}
{{- end }}

{{/*
Return the Secret name and key holding the database password as a dict, or an empty dict when there is none.
*/}}
{{- define "assay.database.passwordRef" -}}
{{- if .Values.database.existingSecret }}
{{- toYaml (dict "name" .Values.database.existingSecret "key" .Values.database.existingSecretPasswordKey) }}
{{- else if .Values.database.password }}
{{- toYaml (dict "name" (include "assay.secretName" .) "key" "database-password") }}
{{- else }}
{{- "{}" }}
{{- end }}
{{- end }}

{{/*
Return the Secret name and key of the judge API key as a dict, or an empty dict when there is none.
*/}}
{{- define "assay.judge.apiKeyRef" -}}
{{- if .Values.judge.existingSecret }}
{{- toYaml (dict "name" .Values.judge.existingSecret "key" .Values.judge.existingSecretKey) }}
{{- else if .Values.judge.apiKey }}
{{- toYaml (dict "name" (include "assay.secretName" .) "key" "judge-api-key") }}
{{- else }}
{{- "{}" }}
{{- end }}
{{- end }}

{{/*
Return the Secret name and key of the API's bootstrap admin token as a dict, or an empty dict when there is none.
*/}}
{{- define "assay.api.bootstrapTokenRef" -}}
{{- if .Values.api.auth.existingSecret }}
{{- toYaml (dict "name" .Values.api.auth.existingSecret "key" .Values.api.auth.existingSecretKey) }}
{{- else if .Values.api.auth.bootstrapToken }}
{{- toYaml (dict "name" (include "assay.secretName" .) "key" "api-bootstrap-token") }}
{{- else }}
{{- "{}" }}
{{- end }}
{{- end }}

{{/*
Return the Secret name and key of the Hugging Face token as a dict, or an empty dict when there is none.
*/}}
{{- define "assay.datasets.hfTokenRef" -}}
{{- if .Values.datasets.existingSecret }}
{{- toYaml (dict "name" .Values.datasets.existingSecret "key" .Values.datasets.existingSecretKey) }}
{{- else if .Values.datasets.hfToken }}
{{- toYaml (dict "name" (include "assay.secretName" .) "key" "hf-token") }}
{{- else }}
{{- "{}" }}
{{- end }}
{{- end }}

{{/*
Return the Secret name and key of the callback HMAC key as a dict, or an empty dict when there is none.
*/}}
{{- define "assay.worker.callbackSecretRef" -}}
{{- $c := .Values.worker.callbacks }}
{{- if $c.existingSecret }}
{{- toYaml (dict "name" $c.existingSecret "key" $c.existingSecretKey) }}
{{- else if $c.secret }}
{{- toYaml (dict "name" (include "assay.secretName" .) "key" "callback-secret") }}
{{- else }}
{{- "{}" }}
{{- end }}
{{- end }}

{{/*
Return an env entry that reads a variable from a Secret. Call with (dict "name" "VAR" "ref" <dict from a *Ref template>);
renders nothing when the ref is empty.
*/}}
{{- define "assay.secretEnv" -}}
{{- if .ref.name }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .ref.name }}
      key: {{ .ref.key }}
{{- end }}
{{- end }}

{{/*
Return the API container's environment beyond its ConfigMap: secret references and api.extraEnv.
*/}}
{{- define "assay.api.env" -}}
{{- include "assay.secretEnv" (dict "name" "SPRING_DATASOURCE_PASSWORD" "ref" (include "assay.database.passwordRef" . | fromYaml)) }}
{{- include "assay.secretEnv" (dict "name" "ASSAY_API_AUTH_BOOTSTRAP_TOKEN" "ref" (include "assay.api.bootstrapTokenRef" . | fromYaml)) }}
{{- with .Values.api.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Return the worker container's environment beyond its ConfigMap: secret references and worker.extraEnv.
*/}}
{{- define "assay.worker.env" -}}
{{- include "assay.secretEnv" (dict "name" "SPRING_DATASOURCE_PASSWORD" "ref" (include "assay.database.passwordRef" . | fromYaml)) }}
{{- include "assay.secretEnv" (dict "name" "ASSAY_JUDGE_API_KEY" "ref" (include "assay.judge.apiKeyRef" . | fromYaml)) }}
{{- include "assay.secretEnv" (dict "name" "ASSAY_DATASETS_HF_TOKEN" "ref" (include "assay.datasets.hfTokenRef" . | fromYaml)) }}
{{- include "assay.secretEnv" (dict "name" "ASSAY_WORKER_CALLBACK_SECRET" "ref" (include "assay.worker.callbackSecretRef" . | fromYaml)) }}
{{- with .Values.worker.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Return the annotations that roll a component's pods when its configuration or the chart's Secret changes.
Call with (dict "context" $ "config" "api/configmap.yaml").
*/}}
{{- define "assay.checksumAnnotations" -}}
checksum/config: {{ include (print .context.Template.BasePath "/" .config) .context | sha256sum }}
checksum/secret: {{ include (print .context.Template.BasePath "/secret.yaml") .context | sha256sum }}
{{- end }}

{{/*
Return the probe settings shared by every probe (period, timeout, thresholds) from a values block.
*/}}
{{- define "assay.probeTiming" -}}
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- with .initialDelaySeconds }}
initialDelaySeconds: {{ . }}
{{- end }}
{{- end }}

{{/*
Fail on combinations of values that cannot work.
*/}}
{{- define "assay.validateValues" -}}
{{- if and .Values.worker.keda.enabled .Values.worker.autoscaling.hpa.enabled }}
{{- fail "worker.keda.enabled and worker.autoscaling.hpa.enabled are exclusive: KEDA creates its own HorizontalPodAutoscaler" }}
{{- end }}
{{- if le (int .Values.worker.terminationGracePeriodSeconds) (int .Values.worker.shutdownGraceSeconds) }}
{{- fail (printf "worker.terminationGracePeriodSeconds (%d) must exceed worker.shutdownGraceSeconds (%d), or Kubernetes kills a worker before it has released its evaluations" (int .Values.worker.terminationGracePeriodSeconds) (int .Values.worker.shutdownGraceSeconds)) }}
{{- end }}
{{- if and .Values.worker.models.existingClaim .Values.worker.models.hostPath }}
{{- fail "set one of worker.models.existingClaim and worker.models.hostPath, not both" }}
{{- end }}
{{- if and .Values.worker.gpu.enabled (eq (include "assay.worker.variant" .) "cpu") }}
{{- fail "worker.gpu.enabled needs the cuda worker image: set worker.image.variant to cuda or leave it empty" }}
{{- end }}
{{- $replicas := int (include "assay.worker.replicasPerJob" .) }}
{{- if and .Values.worker.gpu.enabled (gt $replicas (int .Values.worker.gpu.count)) }}
{{- fail (printf "worker.engine.replicasPerJob (%d) exceeds worker.gpu.count (%d): each evaluation loads its model once per GPU" $replicas (int .Values.worker.gpu.count)) }}
{{- end }}
{{- if lt (int (include "assay.worker.concurrency" .)) 1 }}
{{- fail "worker.concurrency must be at least 1" }}
{{- end }}
{{- $engines := mul (int (include "assay.worker.concurrency" .)) $replicas }}
{{- if and .Values.worker.gpu.enabled (gt $engines (int .Values.worker.gpu.count)) }}
{{- fail (printf "worker.concurrency times worker.engine.replicasPerJob (%d) exceeds worker.gpu.count (%d): two engines would share a GPU, which the worker refuses" $engines (int .Values.worker.gpu.count)) }}
{{- end }}
{{- end }}

{{/*
The egress rules every component has when egress is restricted: DNS and PostgreSQL.
*/}}
{{- define "assay.networkPolicy.egress" -}}
egress:
  - ports:
      - port: 53
        protocol: UDP
      - port: 53
        protocol: TCP
    {{- with .Values.networkPolicy.egress.dns }}
    to:
      {{- toYaml . | nindent 6 }}
    {{- end }}
  - ports:
      - port: {{ .Values.database.port }}
        protocol: TCP
    {{- with .Values.networkPolicy.egress.database }}
    to:
      {{- toYaml . | nindent 6 }}
    {{- end }}
{{- end }}
