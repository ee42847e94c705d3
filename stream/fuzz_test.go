package stream_test

import (
	"testing"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/loadtest"
	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/state"
	"github.com/fareflow/fareflow/stream"
)

// FuzzApplyRecord feeds arbitrary record values through decoding and the
// processor, as the stream does: nothing may panic, and a value either
// decodes and applies, or is rejected with an error.
func FuzzApplyRecord(f *testing.F) {
	catalog, err := avro.NewCatalog()
	if err != nil {
		f.Fatal(err)
	}
	policy, err := pricing.LoadPolicyFile("../examples/policy.yaml")
	if err != nil {
		f.Fatal(err)
	}
	market := loadtest.NewMarket(loadtest.DefaultMarket(5))
	var base []inventory.Event
	for i := 0; i < 64; i++ {
		ev := market.Next()
		base = append(base, ev)
		b, err := catalog.EncodeEvent(ev)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}

	f.Fuzz(func(t *testing.T, value []byte) {
		ev, err := catalog.DecodeEvent(value)
		if err != nil {
			return
		}
		// Each input meets the same state, built from the seed events, so
		// a failure reproduces from its input alone.
		st := state.NewPartition(0)
		proc := stream.NewProcessor(policy, false, nil, nil)
		for _, e := range base {
			proc.Apply(st, e)
		}
		st.Commit()
		if _, err := proc.Apply(st, ev); err != nil {
			st.Rollback()
			return
		}
		st.Commit()
	})
}
