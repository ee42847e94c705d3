package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/internal/kafkatest"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestTraceContextContinues writes two snapshots, one carrying a W3C
// traceparent header and one an all-zero header. The price update of the
// first must continue its trace with a new span id; the second must start a
// new trace rather than pass the zeros on.
func TestTraceContextContinues(t *testing.T) {
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Single(kafkatest.NewTopic(t, b, 4, nil))
	})
	e.tracing = true
	e.start("traced", nil)

	const (
		traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
		spanID  = "00f067aa0ba902b7"
		zeros   = "00-00000000000000000000000000000000-0000000000000000-00"
	)
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	snapshot := func(id, number string) *inventory.LoadFactor {
		return &inventory.LoadFactor{EventID: id, Cabin: "Y", AsOf: at, PhysicalCapacity: 180, AuthorizedCapacity: 185, SeatsSold: 20,
			Flight: inventory.Flight{Carrier: "FF", Number: number, Origin: "JFK", Destination: "LHR",
				Date: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), OriginTimeZone: "America/New_York"}}
	}
	headers := map[string]string{
		"traced": "00-" + traceID + "-" + spanID + "-01",
		"zeroed": zeros,
	}
	cl := kafkatest.NewClient(t, e.broker, kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for id, number := range map[string]string{"traced": "100", "zeroed": "101"} {
		r, err := eventRecord(e.catalog, e.inputs, snapshot(id, number))
		if err != nil {
			t.Fatal(err)
		}
		r.Headers = []kgo.RecordHeader{{Key: "traceparent", Value: []byte(headers[id])}}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	e.waitCaughtUp(90 * time.Second)

	got := map[string]string{}
	for _, r := range e.readCommitted(e.priceUpdates) {
		d, err := e.catalog.DecodeDecision(r.Value)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range r.Headers {
			if h.Key == "traceparent" {
				got[d.CauseEventID] = string(h.Value)
			}
		}
	}

	traced := strings.Split(got["traced"], "-")
	if len(traced) != 4 {
		t.Fatalf("price update of the traced snapshot has traceparent %q, want 4 fields", got["traced"])
	}
	if traced[1] != traceID {
		t.Errorf("traced update's trace id = %s, want %s", traced[1], traceID)
	}
	if traced[2] == spanID || traced[2] == strings.Repeat("0", 16) {
		t.Errorf("traced update's span id = %s, want a new one", traced[2])
	}
	zeroed := strings.Split(got["zeroed"], "-")
	if len(zeroed) != 4 {
		t.Fatalf("price update of the zeroed snapshot has traceparent %q, want 4 fields", got["zeroed"])
	}
	if zeroed[1] == strings.Repeat("0", 32) || zeroed[1] == traceID {
		t.Errorf("zeroed update's trace id = %s, want a new, valid one", zeroed[1])
	}
}
