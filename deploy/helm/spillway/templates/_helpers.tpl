{{- define "spillway.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "spillway.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "spillway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "spillway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "spillway.labels" -}}
{{ include "spillway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "spillway.secretName" -}}
{{- default (printf "%s-secrets" (include "spillway.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "spillway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "spillway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The gateway: section: what the pod layout fixes, under what the values add. */}}
{{- define "spillway.gatewayConfig" -}}
{{- $fixed := dict
    "host" "0.0.0.0"
    "port" (int .Values.ports.api)
    "health-port" (int .Values.ports.health)
    "data-dir" "/var/lib/spillway"
    "region" .Values.region
    "store" (dict "type" "redis" "redis-url" .Values.redis.url "timeout" .Values.redis.timeout
                  "key-prefix" .Values.redis.keyPrefix "replicas" (int (ternary .Values.autoscaling.maxReplicas .Values.replicaCount .Values.autoscaling.enabled)))
    "database" (dict "url" .Values.postgresql.url "user" .Values.postgresql.user
                     "password" (printf "${file:/etc/spillway/secrets/%s}" .Values.postgresql.passwordKey)) -}}
{{- if .Values.tls.secretName -}}
{{- $_ := set $fixed "tls" (dict "cert-file" "/etc/spillway/tls/tls.crt" "key-file" "/etc/spillway/tls/tls.key") -}}
{{- end -}}
{{- if .Values.identity.enabled -}}
{{- $identity := dict "kind" .Values.identity.kind -}}
{{- if .Values.identity.clientId -}}{{- $_ := set $identity "client-id" .Values.identity.clientId -}}{{- end -}}
{{- $_ := set $fixed "identity" $identity -}}
{{- end -}}
{{- $gateway := mergeOverwrite $fixed (omit .Values.gateway "key-vault") -}}
{{- with (index .Values.gateway "key-vault") -}}{{- $_ := set $gateway "key-vault" . -}}{{- end -}}
{{- toYaml (dict "gateway" $gateway) -}}
{{- end -}}

{{/*
The settings of the gateway config that a running gateway cannot reload (gateway reload.RestartOnly,
docs/configuration.md#reload): a change to one of them rolls the pods; every other change reaches
the running pods through the mounted ConfigMap and is reloaded in place.
*/}}
{{- define "spillway.restartOnlyConfig" -}}
{{- $gateway := (include "spillway.gatewayConfig" . | fromYaml).gateway -}}
{{- toYaml (pick $gateway "host" "port" "max-body-size" "body-timeout" "admin" "store" "database" "tls" "batch"
    "cache" "console" "identity" "reload" "max-in-flight-bytes" "min-body-rate" "min-body-rate-grace" "listener"
    "health-port" "allow-short-keys" "forward-sim-headers" "data-dir" "ledger" "audit" "telemetry" "export"
    "budget-alerts") -}}
{{- end -}}
