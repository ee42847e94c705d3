package stream

import (
	"sync/atomic"

	"github.com/fareflow/fareflow/inventory"
)

// Stats counts what the processors and the stream loop did. Fields are
// updated atomically, so metrics can read them while the stream runs.
type Stats struct {
	Events        atomic.Int64 // input records read
	Applied       atomic.Int64 // events that changed the state
	Duplicates    atomic.Int64 // events whose id was applied before
	Stale         atomic.Int64 // snapshots and quotes older than the applied ones
	DeadLettered  atomic.Int64 // records sent to the dead-letter topic
	Decisions     atomic.Int64 // pricings of one cabin
	Published     atomic.Int64 // decisions published as price updates
	Unpriced      atomic.Int64 // pricings skipped: the cabin has no snapshot yet
	NotCovered    atomic.Int64 // pricings skipped: the policy has no ladder for the cabin
	PricingErrors atomic.Int64 // pricings that failed on a valid event
	Oversold      atomic.Int64 // decisions of a cabin sold above its authorized capacity
	Commits       atomic.Int64 // transactions committed
	Aborts        atomic.Int64 // transactions aborted

	PoliciesRejected atomic.Int64 // policy versions from the file or topic that failed validation
}

func (s *Stats) count(o inventory.Outcome) {
	switch o {
	case inventory.Applied:
		s.Applied.Add(1)
	case inventory.Duplicate:
		s.Duplicates.Add(1)
	case inventory.Stale:
		s.Stale.Add(1)
	}
}
