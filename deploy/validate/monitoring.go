package validate

import (
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
)

// PrometheusRuleAPI is the capability the chart's PrometheusRule needs: a
// cluster running the Prometheus Operator serves it.
const PrometheusRuleAPI = "monitoring.coreos.com/v1/PrometheusRule"

// The chart renders a PrometheusRule (the alert rules of
// deploy/observability) besides its ServiceMonitor; it is decoded as
// strictly as every other kind.
func init() {
	chartScheme.AddKnownTypes(monitoringv1.SchemeGroupVersion, &monitoringv1.PrometheusRule{})
}
