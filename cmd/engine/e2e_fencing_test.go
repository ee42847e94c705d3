package main

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fareflow/fareflow/internal/kafkatest"
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
