package main

import (
	"bytes"
	"cmp"
	"context"

	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/internal/kafkatest"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/loadtest"
	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/trace"
)

const examplePolicy = "../../examples/policy.yaml"

// e2e is one end-to-end scenario: a broker, input and output topics with
// unique names, and a consumer group.
type e2e struct {
	t       *testing.T
	broker  kafkatest.Broker
	catalog *avro.Catalog
	policy  *pricing.Policy
	inputs  stream.Topics
	group   string

	priceUpdates, deadLetters, changelog string
	policyTopic                          string        // empty: the engine reads no policy topic
	txnTimeout                           time.Duration // default 10s
	tracing                              bool          // give the engine a tracer provider
}

// newE2E sets up a scenario on the broker kafkatest picks, or on broker[0]
// when given.
func newE2E(t *testing.T, inputs func(b kafkatest.Broker) stream.Topics, broker ...kafkatest.Broker) *e2e {
	t.Helper()
	var b kafkatest.Broker
	if len(broker) > 0 {
		b = broker[0]
	} else {
		b = kafkatest.Brokers(t)
	}
	catalog, err := avro.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	policy, err := pricing.LoadPolicyFile(examplePolicy)
	if err != nil {
		t.Fatal(err)
	}
	compact := "compact"
	e := &e2e{
		t: t, broker: b, catalog: catalog, policy: policy,
		inputs:       inputs(b),
		priceUpdates: kafkatest.NewTopic(t, b, 4, nil),
		deadLetters:  kafkatest.NewTopic(t, b, 1, nil),
		changelog:    kafkatest.NewTopic(t, b, 4, map[string]*string{"cleanup.policy": &compact}),
	}
	e.group = e.priceUpdates + "-group"
	t.Logf("broker %s %v", b.Kind, b.Addrs)
	return e
}

// instance is one running engine.
type instance struct {
	engine *stream.Engine
	stop   func() error

	mu       sync.Mutex
	assigned map[string][]int32
	exited   bool // Run returned
}

func (in *instance) hasExited() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.exited
}

func (in *instance) assignment() map[string][]int32 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.assigned
}

// start runs an engine instance until stop or the end of the test.
func (e *e2e) start(name string, abort func([]int32) bool) *instance {
	return e.startWith(name, stream.Hooks{AbortTransaction: abort}, true)
}

// startWith runs an engine instance with test hooks. Unless wantClean, the
// instance may stop with an error, which stop returns.
func (e *e2e) startWith(name string, hooks stream.Hooks, wantClean bool) *instance {
	e.t.Helper()
	in := &instance{}
	hooks.OnAssigned = func(a map[string][]int32) {
		in.mu.Lock()
		in.assigned = a
		in.mu.Unlock()
	}
	engine, err := stream.New(stream.Config{
		Brokers: e.broker.Addrs, Group: e.group, InstanceID: name,
		Inputs: e.inputs, PriceUpdates: e.priceUpdates, DeadLetters: e.deadLetters, Changelog: e.changelog,
		TransactionTimeout: cmp.Or(e.txnTimeout, 10*time.Second), SessionTimeout: 6 * time.Second,
		Policy: e.policy, PolicyTopic: e.policyTopic,
		TracerProvider: e.tracerProvider(),
		Logger:         testLogger(e.t),
		Hooks:          hooks,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	in.engine = engine

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := engine.Run(ctx)
		in.mu.Lock()
		in.exited = true
		in.mu.Unlock()
		done <- err
	}()
	var once sync.Once
	var runErr error
	in.stop = func() error {
		once.Do(func() {
			cancel()
			runErr = <-done
		})
		return runErr
	}
	e.t.Cleanup(func() {
		if err := in.stop(); err != nil && wantClean {
			e.t.Errorf("instance %s: %v", name, err)
		}
	})
	return in
}

// produce writes events to their input topics, keyed by market, with the
// default (murmur2) partitioner.
func (e *e2e) produce(events []inventory.Event) {
	e.t.Helper()
	cl := kafkatest.NewClient(e.t, e.broker, kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	records := make([]*kgo.Record, 0, len(events))
	for _, ev := range events {
		r, err := eventRecord(e.catalog, e.inputs, ev)
		if err != nil {
			e.t.Fatal(err)
		}
		records = append(records, r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, records...).FirstErr(); err != nil {
		e.t.Fatalf("produce %d events: %v", len(events), err)
	}
}

// waitCaughtUp polls until the group's committed offsets reach the end of
// every input topic.
func (e *e2e) waitCaughtUp(timeout time.Duration) {
	e.t.Helper()
	adm := kadm.NewClient(kafkatest.NewClient(e.t, e.broker))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var lag string
	for {
		var err error
		lag, err = groupLag(ctx, adm, e.group, e.inputs.Names())
		if err == nil && lag == "" {
			return
		}
		if err != nil {
			lag = err.Error()
		}
		select {
		case <-ctx.Done():
			e.t.Fatalf("group %s did not catch up within %v: %s", e.group, timeout, lag)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// groupLag describes the partitions whose committed offset is behind the
// end, or returns "" when none is.
func groupLag(ctx context.Context, adm *kadm.Client, group string, topics []string) (string, error) {
	ends, err := adm.ListEndOffsets(ctx, topics...)
	if err != nil {
		return "", err
	}
	committed, err := adm.FetchOffsets(ctx, group)
	if err != nil {
		return "", err
	}
	lag := ""
	ends.Each(func(o kadm.ListedOffset) {
		c, ok := committed.Lookup(o.Topic, o.Partition)
		at := int64(0)
		if ok && c.Err == nil {
			at = c.At
		}
		if at < o.Offset {
			lag += fmt.Sprintf("%s/%d at %d of %d; ", o.Topic, o.Partition, at, o.Offset)
		}
	})
	return lag, nil
}

// readCommitted returns every committed record of topic, in partition
// order, reading up to each partition's last stable offset.
func (e *e2e) readCommitted(topic string) []*kgo.Record {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	adm := kadm.NewClient(kafkatest.NewClient(e.t, e.broker))
	ends, err := adm.ListCommittedOffsets(ctx, topic)
	if err != nil {
		e.t.Fatal(err)
	}
	want := map[int32]int64{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			want[o.Partition] = o.Offset
		}
	})

	cl := kafkatest.NewClient(e.t, e.broker,
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
	)
	byPartition := map[int32][]*kgo.Record{}
	for len(want) > 0 {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			e.t.Fatalf("read %s: timed out with partitions %v unread", topic, want)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			if end, ok := want[r.Partition]; ok && r.Offset+1 >= end {
				delete(want, r.Partition)
			}
			if !r.Attrs.IsControl() {
				byPartition[r.Partition] = append(byPartition[r.Partition], r)
			}
		})
	}
	var out []*kgo.Record
	for p := int32(0); p < int32(len(ends[topic])); p++ {
		out = append(out, byPartition[p]...)
	}
	return out
}

// writeEvents writes events as a JSON-line file for `engine simulate`.
func writeEvents(t *testing.T, events []inventory.Event) string {
	t.Helper()
	var buf bytes.Buffer
	for _, ev := range events {
		b, err := avro.EventJSON(ev)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// simulate runs `engine simulate` and returns its standard output.
func simulate(t *testing.T, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := dispatch(context.Background(), append([]string{"simulate"}, args...), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("engine simulate %v exited %d: %s", args, code, stderr.String())
	}
	return stdout.Bytes()
}

// marketEvents returns n events of a synthetic market spread over several
// market keys.
func marketEvents(seed uint64, n int) []inventory.Event {
	cfg := loadtest.DefaultMarket(seed)
	cfg.Days = 6
	m := loadtest.NewMarket(cfg)
	out := make([]inventory.Event, n)
	for i := range out {
		out[i] = m.Next()
	}
	return out
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// compareWithSimulate checks that the committed price updates equal
// `engine simulate` on events, byte for byte per flight.
func compareWithSimulate(t *testing.T, e *e2e, events []inventory.Event) {
	t.Helper()
	got := map[string][]string{}
	for _, r := range e.readCommitted(e.priceUpdates) {
		d, err := e.catalog.DecodeDecision(r.Value)
		if err != nil {
			t.Fatalf("decode price update at %d/%d: %v", r.Partition, r.Offset, err)
		}
		if key := d.Flight.Key(); string(r.Key) != key {
			t.Errorf("price update key %q, want flight key %q", r.Key, key)
		}
		line, err := avro.DecisionJSON(d)
		if err != nil {
			t.Fatal(err)
		}
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

// tracerProvider returns the engine's tracer provider when the scenario
// traces, or nil.
func (e *e2e) tracerProvider() trace.TracerProvider {
	if !e.tracing {
		return nil
	}
	return newTracerProvider()
}
