package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/internal/kafkatest"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/state"
	"github.com/fareflow/fareflow/stream"
)

// TestOneTopicMatchesSimulate runs two instances on one input topic. One
// instance leaves mid-stream, so its partitions move with their state, and a
// test hook aborts a transaction on the instance that stays. The committed
// price updates must equal `engine simulate` on the same records, byte for
// byte, in per-flight order.
func TestOneTopicMatchesSimulate(t *testing.T) {
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Single(kafkatest.NewTopic(t, b, 4, nil))
	})
	events := marketEvents(7, 800)
	half := len(events) / 2

	var aborted atomic.Int32
	stayer := e.start("stayer", func(partitions []int32) bool {
		return aborted.CompareAndSwap(0, 1)
	})
	leaver := e.start("leaver", nil)
	// Produce only once both own partitions, so each processes a share.
	waitFor(t, 60*time.Second, "both instances to own partitions", func() bool {
		return len(stayer.assignment()) > 0 && len(leaver.assignment()) > 0
	})
	e.produce(events[:half])
	e.waitCaughtUp(90 * time.Second)
	if got := leaver.engine.Stats().Commits.Load(); got == 0 {
		t.Fatalf("leaving instance committed %d transactions before it left, want some", got)
	}

	if err := leaver.stop(); err != nil {
		t.Fatalf("stop leaving instance: %v", err)
	}
	e.produce(events[half:])
	e.waitCaughtUp(90 * time.Second)
	if got := stayer.engine.Stats().Aborts.Load(); got < 1 {
		t.Errorf("staying instance aborted %d transactions, want at least 1 from the hook", got)
	}

	compareWithSimulate(t, e, events)

}

// TestThreeTopicsFinalState runs two instances on the default three input
// topics. Partition p of every topic must be on one instance. The final
// state in the changelog must equal `engine simulate --final-state`, and
// sequence numbers must be unique and gapless per flight and cabin.
func TestThreeTopicsFinalState(t *testing.T) {
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Topics{
			Bookings:        kafkatest.NewTopic(t, b, 4, nil),
			LoadFactors:     kafkatest.NewTopic(t, b, 4, nil),
			CompetitorFares: kafkatest.NewTopic(t, b, 4, nil),
		}
	})
	events := marketEvents(11, 800)

	a := e.start("a", nil)
	b := e.start("b", nil)
	waitFor(t, 60*time.Second, "both instances to own partitions", func() bool {
		return len(a.assignment()) > 0 && len(b.assignment()) > 0
	})
	e.produce(events)
	e.waitCaughtUp(90 * time.Second)
	checkCopartitioned(t, e.inputs, a.assignment(), b.assignment())

	// Final state: the latest changelog record of every key.
	latest := map[string]avro.StateRecord{}
	for _, r := range e.readCommitted(e.changelog) {
		rec, err := e.catalog.DecodeState(r.Value)
		if err != nil {
			t.Fatalf("decode changelog record %s: %v", r.Key, err)
		}
		latest[string(r.Key)] = rec
	}
	var cabins []*inventory.Cabin
	var boards []*inventory.QuoteBoard
	for _, rec := range latest {
		if rec.Cabin != nil {
			cabins = append(cabins, rec.Cabin)
		}
		if rec.Quotes != nil {
			boards = append(boards, rec.Quotes)
		}
	}
	var got bytes.Buffer
	if err := state.WriteCanonical(&got, cabins, boards); err != nil {
		t.Fatal(err)
	}
	finalPath := filepath.Join(t.TempDir(), "final.json")
	simulate(t, "--policy", examplePolicy, "--events", writeEvents(t, events), "--final-state", finalPath)
	want, err := os.ReadFile(finalPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("changelog final state differs from simulate --final-state; first difference:\n%s",
			firstDiff(splitLines(got.Bytes()), splitLines(want)))
	}

	checkSequences(t, e)
}

func checkCopartitioned(t *testing.T, inputs stream.Topics, assignments ...map[string][]int32) {
	t.Helper()
	owner := map[int32]int{}
	for i, a := range assignments {
		var first []int32
		for n, topic := range inputs.Names() {
			ps := slices.Sorted(slices.Values(a[topic]))
			if n == 0 {
				first = ps
			} else if !slices.Equal(ps, first) {
				t.Errorf("instance %d owns partitions %v of %s but %v of %s", i, ps, topic, first, inputs.Names()[0])
			}
		}
		for _, p := range first {
			if prev, ok := owner[p]; ok {
				t.Errorf("partition %d is assigned to instances %d and %d", p, prev, i)
			}
			owner[p] = i
		}
	}
	if len(owner) != 4 {
		t.Errorf("%d partition numbers assigned, want 4: %v", len(owner), owner)
	}
}

func checkSequences(t *testing.T, e *e2e) {
	t.Helper()
	next := map[string]int64{}
	for _, r := range e.readCommitted(e.priceUpdates) {
		d, err := e.catalog.DecodeDecision(r.Value)
		if err != nil {
			t.Fatal(err)
		}
		key := d.Flight.Key() + "/" + d.Cabin
		if d.Sequence != next[key]+1 {
			t.Errorf("%s: sequence %d follows %d", key, d.Sequence, next[key])
		}
		next[key] = d.Sequence
	}
	if len(next) == 0 {
		t.Error("no price updates published")
	}
}

func splitLines(b []byte) []string {
	var out []string
	for _, l := range bytes.Split(b, []byte("\n")) {
		out = append(out, string(l))
	}
	return out
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []string) string {
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return "line " + itoa(i+1) + "\n got: " + g + "\nwant: " + w
		}
	}
	return "(none)"
}

func itoa(i int) string { return slog.IntValue(i).String() }

// testLogger logs to the test's output.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}
