package main

import (
	"bytes"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/internal/kafkatest"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kerr"
)

// TestSameTransactionalIDFencesOlder starts a second instance with the
// first one's transactional id. The older instance must be fenced and stop
// with an error saying so, and readers must still see each price update
// exactly once.
func TestSameTransactionalIDFencesOlder(t *testing.T) {
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Single(kafkatest.NewTopic(t, b, 4, nil))
	})
	if e.broker.Kind == kafkatest.KindEmbedded {
		kafkatest.RequireRealBroker(t, "fencing needs Apache Kafka's transaction coordinator")
	}
	events := marketEvents(41, 900)

	older := e.startWith("twin", stream.Hooks{}, false)
	waitFor(t, 60*time.Second, "the older instance to own partitions", func() bool { return len(older.assignment()) > 0 })
	e.produce(events[:300])
	e.waitCaughtUp(90 * time.Second)

	newer := e.startWith("twin", stream.Hooks{}, true)
	waitFor(t, 60*time.Second, "the newer instance to own partitions", func() bool { return len(newer.assignment()) > 0 })
	e.produce(events[300:])
	waitFor(t, 90*time.Second, "the older instance to stop", older.hasExited)
	err := older.stop()
	if !errors.Is(err, kerr.ProducerFenced) && !errors.Is(err, kerr.InvalidProducerEpoch) {
		t.Errorf("older instance stopped with %v, want a fencing error", err)
	}
	e.waitCaughtUp(120 * time.Second)

	compareWithSimulate(t, e, events)
}

// TestTimedOutTransactionRedone holds one transaction open beyond the
// transaction timeout, so the broker aborts it. The engine must recover in
// a new session and redo the work from the last committed offsets.
func TestTimedOutTransactionRedone(t *testing.T) {
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Single(kafkatest.NewTopic(t, b, 4, nil))
	})
	if e.broker.Kind == kafkatest.KindEmbedded {
		kafkatest.RequireRealBroker(t, "transaction timeouts need Apache Kafka's transaction coordinator")
	}
	e.txnTimeout = 2 * time.Second
	events := marketEvents(43, 600)

	var stalled atomic.Bool
	in := e.startWith("slow", stream.Hooks{BeforeEnd: func() {
		// Stands for processing that outlives the timeout: the broker's
		// abort sweep runs every 10 s on the test broker.
		if stalled.CompareAndSwap(false, true) {
			time.Sleep(14 * time.Second)
		}
	}}, true)
	e.produce(events)
	e.waitCaughtUp(120 * time.Second)
	if in.hasExited() {
		t.Fatal("engine stopped after a timed-out transaction, want it to recover")
	}
	if !stalled.Load() {
		t.Fatal("no transaction was stalled")
	}

	compareWithSimulate(t, e, events)
}

// compareWithSimulate checks that the committed price updates equal
// `engine simulate` on events, byte for byte per flight.
func compareWithSimulate(t *testing.T, e *e2e, events []inventory.Event) {
	t.Helper()
	got := map[string][]string{}
	for _, r := range e.readCommitted(e.priceUpdates) {
		d, err := e.catalog.DecodeDecision(r.Value)
		if err != nil {
			t.Fatal(err)
		}
		line, _ := avro.DecisionJSON(d)
		got[d.Flight.Key()] = append(got[d.Flight.Key()], string(line))
	}
	want := map[string][]string{}
	out := simulate(t, "--policy", examplePolicy, "--events", writeEvents(t, events))
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		d, err := avro.ParseDecisionJSON(line)
		if err != nil {
			t.Fatal(err)
		}
		want[d.Flight.Key()] = append(want[d.Flight.Key()], string(line))
	}
	if len(want) == 0 {
		t.Fatal("simulate printed no decisions")
	}
	for flight, lines := range want {
		if !slices.Equal(got[flight], lines) {
			t.Errorf("flight %s: stream published %d updates, simulate %d; first difference:\n%s",
				flight, len(got[flight]), len(lines), firstDiff(got[flight], lines))
		}
	}
	if len(got) != len(want) {
		t.Errorf("stream published updates for %d flights, simulate for %d", len(got), len(want))
	}
}
