package main

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/internal/kafkatest"
	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestPolicyTopicReprices publishes an invalid policy and then a new valid
// version to the policy topic while the engine runs. The invalid one must
// change nothing. The new one must reprice the cabins it changes exactly
// once, so the committed price updates equal `engine simulate` with the new
// version as a line after the same events.
func TestPolicyTopicReprices(t *testing.T) {
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Single(kafkatest.NewTopic(t, b, 4, nil))
	})
	compact := "compact"
	e.policyTopic = kafkatest.NewTopic(t, e.broker, 1, map[string]*string{"cleanup.policy": &compact})
	events := marketEvents(5, 300)

	in := e.start("only", nil)
	e.produce(events)
	e.waitCaughtUp(90 * time.Second)

	base, err := os.ReadFile(examplePolicy)
	if err != nil {
		t.Fatal(err)
	}
	next := strings.NewReplacer(
		`version: "2026-10-01.1"`, `version: "2026-10-02.1"`,
		`effective_at: 2026-10-01T00:00:00Z`, `effective_at: 2026-10-02T00:00:00Z`,
		`{class: V, fare: "310.00"}`, `{class: V, fare: "330.00"}`,
	).Replace(string(base))
	invalid := strings.Replace(next, `version: "2026-10-02.1"`, `version: "broken"`, 1)
	invalid = strings.Replace(invalid, `floor: "149.00"`, `floor: "5000.00"`, 1)

	cl := kafkatest.NewClient(t, e.broker)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, value := range []string{invalid, next} {
		r := &kgo.Record{Topic: e.policyTopic, Key: []byte(stream.PolicyKey), Value: []byte(value)}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 60*time.Second, "the new policy version to be applied", func() bool {
		return in.engine.Stats().Commits.Load() > 0 && countVersion(t, e, "2026-10-02.1") > 0
	})
	if n := countVersion(t, e, "broken"); n != 0 {
		t.Errorf("%d price updates carry the invalid policy version", n)
	}

	line, err := policyLine([]byte(next))
	if err != nil {
		t.Fatal(err)
	}
	path := writeEvents(t, events)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(append(line, '\n'))
	f.Close()

	want := simulate(t, "--policy", examplePolicy, "--events", path)
	var got []byte
	for _, r := range e.readCommitted(e.priceUpdates) {
		d, err := e.catalog.DecodeDecision(r.Value)
		if err != nil {
			t.Fatal(err)
		}
		line, _ := avro.DecisionJSON(d)
		got = append(append(got, line...), '\n')
	}
	if g, w := sortedLines(got), sortedLines(want); g != w {
		t.Errorf("price updates differ from simulate with the policy line; first difference:\n%s",
			firstDiff(strings.Split(g, "\n"), strings.Split(w, "\n")))
	}
}

func countVersion(t *testing.T, e *e2e, version string) int {
	n := 0
	for _, r := range e.readCommitted(e.priceUpdates) {
		d, err := e.catalog.DecodeDecision(r.Value)
		if err != nil {
			t.Fatal(err)
		}
		if d.PolicyVersion == version {
			n++
		}
	}
	return n
}

// sortedLines sorts lines, so outputs whose flights interleave differently
// across partitions compare equal. The sequence numbers inside the lines
// still pin each flight's own order.
func sortedLines(b []byte) string {
	lines := strings.Split(string(bytes.TrimSpace(b)), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
