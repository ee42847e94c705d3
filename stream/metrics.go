package stream

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// Collectors returns Prometheus counters that read the stats, named
// fareflow_<name>_total.
func (s *Stats) Collectors() []prometheus.Collector {
	counters := []struct {
		name, help string
		v          *atomic.Int64
	}{
		{"events", "Input records read.", &s.Events},
		{"events_applied", "Events that changed the state.", &s.Applied},
		{"events_duplicate", "Events whose id was applied before.", &s.Duplicates},
		{"events_stale", "Snapshots and quotes older than the ones applied.", &s.Stale},
		{"dead_letters", "Records sent to the dead-letter topic.", &s.DeadLettered},
		{"decisions", "Pricings of one cabin.", &s.Decisions},
		{"price_updates", "Decisions published as price updates.", &s.Published},
		{"unpriced", "Pricings skipped because the cabin has no load-factor snapshot yet.", &s.Unpriced},
		{"not_covered", "Pricings skipped because the policy has no fare ladder for the cabin.", &s.NotCovered},
		{"pricing_errors", "Pricings that failed on a valid event.", &s.PricingErrors},
		{"oversold_decisions", "Decisions of a cabin sold above its authorized capacity.", &s.Oversold},
		{"transactions_committed", "Kafka transactions committed.", &s.Commits},
		{"transactions_aborted", "Kafka transactions aborted.", &s.Aborts},
		{"policies_rejected", "Policy versions from the file or the policy topic that failed validation.", &s.PoliciesRejected},
	}
	out := make([]prometheus.Collector, 0, len(counters))
	for _, c := range counters {
		v := c.v
		out = append(out, prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "fareflow", Name: c.name + "_total", Help: c.help,
		}, func() float64 { return float64(v.Load()) }))
	}
	return out
}
