package stream_test

import (
	"testing"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/loadtest"
	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/state"
	"github.com/fareflow/fareflow/stream"
)

// BenchmarkProcessorApply measures applying one synthetic event to a
// partition's state and pricing what it changed, committing every 500
// events as the stream does per poll.
func BenchmarkProcessorApply(b *testing.B) {
	policy, err := pricing.LoadPolicyFile("../examples/policy.yaml")
	if err != nil {
		b.Fatal(err)
	}
	cfg := loadtest.DefaultMarket(1)
	cfg.Days = 30
	market := loadtest.NewMarket(cfg)
	events := make([]inventory.Event, 200_000)
	for i := range events {
		events[i] = market.Next()
	}

	proc := stream.NewProcessor(policy, false, nil, nil)
	st := state.NewPartition(0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := proc.Apply(st, events[i%len(events)]); err != nil && i < len(events) {
			b.Fatalf("event %d: %v", i, err)
		}
		if i%500 == 499 {
			st.Commit()
		}
	}
}
