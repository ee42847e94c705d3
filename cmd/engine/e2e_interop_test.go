package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/internal/kafkatest"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/stream"
	"github.com/shopspring/decimal"
	"github.com/twmb/franz-go/pkg/kadm"
)

const (
	// interopPython is Debian's interpreter, where python3-confluent-kafka
	// and python3-avro install. The python3 on PATH may be another one.
	interopPython  = "/usr/bin/python3"
	interopInstall = "deploy/interop/install.sh"
	interopReader  = "../../deploy/interop/read_price_updates.py"
	interopSchemas = "../../avro"
	kafkaTool      = "../../deploy/kafka-local/kafka.sh"
	interopInputs  = 4 // partitions of the input topic
)

// interopUpdate is the part of a price update that read_price_updates.py
// prints, one JSON object a line.
type interopUpdate struct {
	Flight        string  `json:"flight"`
	Cabin         string  `json:"cabin"`
	Sequence      int64   `json:"sequence"`
	OfferedClass  *string `json:"offered_class"`
	OfferedPrice  *string `json:"offered_price"` // 4 fractional digits, the Avro scale
	Currency      string  `json:"currency"`
	PolicyVersion string  `json:"policy_version"`
	CauseEventID  string  `json:"cause_event_id"`
}

func (u interopUpdate) id() string {
	return fmt.Sprintf("%s %s #%d", u.Flight, u.Cabin, u.Sequence)
}

func (u interopUpdate) String() string {
	b, _ := json.Marshal(u)
	return string(b)
}

// TestIndependentClients runs the engine against clients that share no code
// with Fareflow, on a real Apache Kafka broker. kcat (librdkafka) writes the
// input events, and confluent-kafka with Apache Avro's Python DatumReader
// reads the price updates. Kafka's own console consumer reads the
// dead-letter topic. The price updates must equal those that franz-go and
// the engine's own decoder read, and those of `engine simulate`.
func TestIndependentClients(t *testing.T) {
	kcat := findInteropTools(t)
	if b := kafkatest.Brokers(t); b.Kind == kafkatest.KindEmbedded {
		t.Skip("needs Apache Kafka, because kcat and the Python client against the embedded kfake broker test little; " +
			"set KAFKA_BROKERS or install Java and Maven (see deploy/kafka-local/README.md)")
	}
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Single(kafkatest.NewTopic(t, b, interopInputs, nil))
	})
	addr := strings.Join(e.broker.Addrs, ",")
	topic := e.inputs.Bookings
	events := marketEvents(23, 30)
	e.start("only", nil)

	// Valid events, one kcat call each so that their order is kept. With
	// murmur2_random, librdkafka hashes keys with murmur2 as the Java client
	// does.
	started := time.Now()
	dir := t.TempDir()
	wantCounts := map[int32]int64{}
	for i, ev := range events {
		key := ev.Market().String()
		kcatProduce(t, kcat, addr, topic, key, encodeToFile(t, e, dir, i, ev), "-X", "partitioner=murmur2_random")
		wantCounts[avro.PartitionFor([]byte(key), interopInputs)]++
	}
	if got := endOffsets(t, e, topic); !maps.Equal(got, wantCounts) {
		t.Fatalf("kcat with partitioner=murmur2_random wrote %v records per partition, Kafka's default partitioner gives %v", got, wantCounts)
	}
	t.Logf("kcat wrote %d events in %v", len(events), time.Since(started).Round(time.Millisecond))

	// One more valid event with librdkafka's default partitioner,
	// consistent_random (CRC32 of the key), which puts it in the wrong
	// partition.
	stray, crcPartition := misroutedEvent(t)
	strayKey := stray.Market().String()
	strayFile := encodeToFile(t, e, dir, len(events), stray)
	before := endOffsets(t, e, topic)
	kcatProduce(t, kcat, addr, topic, strayKey, strayFile)
	after := endOffsets(t, e, topic)
	if after[crcPartition] != before[crcPartition]+1 {
		t.Fatalf("kcat with the default partitioner: end offsets went from %v to %v, want one more record in partition %d (CRC32 of %q)",
			before, after, crcPartition, strayKey)
	}

	e.waitCaughtUp(90 * time.Second)

	// The price updates as the engine's own decoder reads them.
	want := map[string]interopUpdate{}
	for _, r := range e.readCommitted(e.priceUpdates) {
		d, err := e.catalog.DecodeDecision(r.Value)
		if err != nil {
			t.Fatalf("decode price update at partition %d offset %d: %v", r.Partition, r.Offset, err)
		}
		u := interopUpdate{
			Flight: d.Flight.Key(), Cabin: d.Cabin, Sequence: d.Sequence,
			Currency: d.Currency, PolicyVersion: d.PolicyVersion, CauseEventID: d.CauseEventID,
		}
		if d.OfferedClass != "" {
			class, price := d.OfferedClass, d.OfferedPrice.StringFixed(4)
			u.OfferedClass, u.OfferedPrice = &class, &price
		}
		if _, dup := want[u.id()]; dup {
			t.Errorf("franz-go read price update %s twice", u.id())
		}
		want[u.id()] = u
	}
	if len(want) == 0 {
		t.Fatalf("the engine published no price updates for %d events", len(events))
	}

	// The same records through confluent-kafka and Apache Avro's decoder.
	checkSpecFingerprints(t, e.catalog)
	got := readPriceUpdates(t, addr, e.priceUpdates, len(want)+1)
	if len(got) != len(want) {
		t.Errorf("read_price_updates.py printed %d price updates, franz-go read %d", len(got), len(want))
	}
	seen := map[string]bool{}
	for _, g := range got {
		w, ok := want[g.id()]
		switch {
		case !ok:
			t.Errorf("read_price_updates.py printed an update that franz-go did not read: %s", g)
		case seen[g.id()]:
			t.Errorf("read_price_updates.py printed %s twice", g.id())
		case g.String() != w.String():
			t.Errorf("price update %s differs:\nPython: %s\n    Go: %s", g.id(), g, w)
		}
		seen[g.id()] = true
	}
	if len(got) > 0 {
		t.Logf("compared %d price updates read by Python with franz-go's; the first: %s", len(got), got[0])
	}

	checkAgainstSimulate(t, events, got)
	checkMisrouted(t, e, addr, crcPartition, strayKey)
}

// findInteropTools returns the path of kcat, and checks that Debian's
// Python has the confluent_kafka and avro modules and that java can run
// Kafka's console consumer. A missing tool fails the test under CI=true and
// skips it otherwise.
func findInteropTools(t *testing.T) string {
	t.Helper()
	var missing []string
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		missing = append(missing, "kcat not found on PATH")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	probe := exec.CommandContext(ctx, interopPython, "-c", "import confluent_kafka, avro.io, avro.schema")
	if out, err := probe.CombinedOutput(); err != nil {
		missing = append(missing, fmt.Sprintf("%s cannot import confluent_kafka and avro (%v: %s)",
			interopPython, err, strings.TrimSpace(string(out))))
	}
	if _, err := exec.LookPath("java"); err != nil {
		missing = append(missing, "java not found on PATH (needed for Kafka's console consumer; Debian: apt-get install openjdk-17-jre-headless)")
	}
	if len(missing) == 0 {
		return kcat
	}

	msg := fmt.Sprintf("independent Kafka clients missing: %s; run %s (as root, or with sudo) to install kcat, python3-confluent-kafka and python3-avro",
		strings.Join(missing, "; "), interopInstall)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// encodeToFile writes the Avro record of ev to its own file, because kcat
// sends each file argument as one message and binary Avro may contain any
// delimiter byte.
func encodeToFile(t *testing.T, e *e2e, dir string, i int, ev inventory.Event) string {
	t.Helper()
	value, err := e.catalog.EncodeEvent(ev)
	if err != nil {
		t.Fatalf("encode event %s: %v", ev.ID(), err)
	}
	path := filepath.Join(dir, fmt.Sprintf("event-%03d.avro", i))
	if err := os.WriteFile(path, value, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// kcatProduce writes the file as one record with the key, and returns once
// kcat has exited, which it does after the broker acknowledged the record or
// the delivery failed.
func kcatProduce(t *testing.T, kcat, addr, topic, key, file string, extra ...string) {
	t.Helper()
	args := append([]string{"-P", "-b", addr, "-t", topic, "-k", key, "-m", "15"}, extra...)
	runTool(t, 60*time.Second, kcat, append(args, file)...)
}

// runTool runs a command with a deadline and returns its standard output.
// It fails the test when the command fails or times out.
func runTool(t *testing.T, timeout time.Duration, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("timed out after %v: %w", timeout, err)
		}
		t.Fatalf("%s %s: %v\nstderr:\n%s\nstdout:\n%s", name, strings.Join(args, " "), err, stderr.Bytes(), stdout.Bytes())
	}
	return stdout.Bytes()
}

// endOffsets returns the end offset of each partition of topic.
func endOffsets(t *testing.T, e *e2e, topic string) map[int32]int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	listed, err := kadm.NewClient(kafkatest.NewClient(t, e.broker)).ListEndOffsets(ctx, topic)
	if err == nil {
		err = listed.Error()
	}
	if err != nil {
		t.Fatalf("list end offsets of %s: %v", topic, err)
	}
	out := map[int32]int64{}
	listed.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			out[o.Partition] = o.Offset
		}
	})
	return out
}

// misroutedEvent returns a valid competitor fare whose market key librdkafka's
// default partitioner, consistent_random, puts in another partition than
// Kafka's default partitioner, and that partition. consistent_random takes
// the CRC32 (IEEE) of the key modulo the partition count.
func misroutedEvent(t *testing.T) (*inventory.CompetitorFare, int32) {
	t.Helper()
	first := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for day := range 60 {
		market := inventory.Market{Origin: "SFO", Destination: "NRT", Date: first.AddDate(0, 0, day)}
		key := []byte(market.String())
		crcPartition := int32(crc32.ChecksumIEEE(key) % interopInputs)
		if crcPartition == avro.PartitionFor(key, interopInputs) {
			continue
		}
		return &inventory.CompetitorFare{
			EventID: "interop-misrouted-1", Route: market, Cabin: "Y", Carrier: "ZZ",
			Fare: decimal.RequireFromString("321.00"), Currency: "USD",
			ObservedAt: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), Source: "kcat",
		}, crcPartition
	}
	t.Fatal("no SFO-NRT market key in 60 days where CRC32 and murmur2 pick different partitions")
	return nil, 0
}

// checkSpecFingerprints checks, for every schema, that the fingerprint in
// Fareflow's records equals the CRC-64-AVRO fingerprint of the Parsing
// Canonical Form that the Python script computes from the Avro
// specification; otherwise other Avro clients reject Fareflow's records as
// written with an unknown schema.
func checkSpecFingerprints(t *testing.T, catalog *avro.Catalog) {
	t.Helper()
	for _, s := range catalog.Schemas() {
		schemaFile := filepath.Join(interopSchemas, s.File())
		out := runTool(t, 30*time.Second, interopPython, interopReader, "--schema", schemaFile, "--print-fingerprint")
		spec, canonical, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		if written := fmt.Sprintf("%016x", s.Fingerprint()); spec != written {
			t.Errorf("%s: Fareflow writes fingerprint %s, the Avro specification's canonical form gives %s; the forms differ at %s",
				s.File(), written, spec, textDiff(s.Canonical(), canonical))
		}
	}
}

// textDiff shows where two strings first differ, with some context.
func textDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-40)
	return fmt.Sprintf("byte %d:\n Fareflow: ...%s\n     spec: ...%s", i, got[from:min(len(got), i+60)], want[from:min(len(want), i+60)])
}

// readPriceUpdates runs read_price_updates.py on topic.
func readPriceUpdates(t *testing.T, addr, topic string, maxRecords int) []interopUpdate {
	t.Helper()
	args := []string{interopReader, "--brokers", addr, "--topic", topic,
		"--schema", filepath.Join(interopSchemas, "price_update.avsc"),
		"--max", strconv.Itoa(maxRecords), "--idle", "5"}
	started := time.Now()
	out := runTool(t, 120*time.Second, interopPython, args...)
	t.Logf("read_price_updates.py ran for %v", time.Since(started).Round(time.Millisecond))

	var updates []interopUpdate
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var u interopUpdate
		if err := dec.Decode(&u); err != nil {
			t.Fatalf("read_price_updates.py printed %q: %v", line, err)
		}
		updates = append(updates, u)
	}
	return updates
}

// checkAgainstSimulate compares the updates read by Python with `engine
// simulate` on the same events: per flight, in order, the cabin, sequence,
// offered class and price.
func checkAgainstSimulate(t *testing.T, events []inventory.Event, got []interopUpdate) {
	t.Helper()
	gotByFlight := map[string][]string{}
	for _, u := range got {
		class, price := "closed", ""
		if u.OfferedClass != nil && u.OfferedPrice != nil {
			p, err := decimal.NewFromString(*u.OfferedPrice)
			if err != nil {
				t.Fatalf("price update %s: offered_price %q: %v", u.id(), *u.OfferedPrice, err)
			}
			class, price = *u.OfferedClass, p.StringFixed(4)
		}
		gotByFlight[u.Flight] = append(gotByFlight[u.Flight], fmt.Sprintf("%s #%d %s %s", u.Cabin, u.Sequence, class, price))
	}

	wantByFlight := map[string][]string{}
	out := simulate(t, "--policy", examplePolicy, "--events", writeEvents(t, events))
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		d, err := avro.ParseDecisionJSON(line)
		if err != nil {
			t.Fatalf("parse simulate output %s: %v", line, err)
		}
		class, price := "closed", ""
		if d.OfferedClass != "" {
			class, price = d.OfferedClass, d.OfferedPrice.StringFixed(4)
		}
		key := d.Flight.Key()
		wantByFlight[key] = append(wantByFlight[key], fmt.Sprintf("%s #%d %s %s", d.Cabin, d.Sequence, class, price))
	}

	for flight, want := range wantByFlight {
		if !slices.Equal(gotByFlight[flight], want) {
			t.Errorf("flight %s: Python read %d updates, simulate printed %d; first difference:\n%s",
				flight, len(gotByFlight[flight]), len(want), firstDiff(gotByFlight[flight], want))
		}
	}
	for flight := range gotByFlight {
		if _, ok := wantByFlight[flight]; !ok {
			t.Errorf("Python read updates for %s, simulate printed none", flight)
		}
	}
}

// checkMisrouted checks that the dead-letter topic contains the misrouted
// record, once with franz-go and once with Kafka's console consumer.
func checkMisrouted(t *testing.T, e *e2e, addr string, partition int32, key string) {
	t.Helper()
	dead := e.readCommitted(e.deadLetters)
	misrouted := 0
	for _, r := range dead {
		h := headers(r)
		if h[stream.ReasonHeader] != stream.ReasonMisrouted {
			t.Errorf("dead letter with key %q: reason %q, want only %q records (error %s)",
				r.Key, h[stream.ReasonHeader], stream.ReasonMisrouted, h[stream.ErrorHeader])
			continue
		}
		misrouted++
		if string(r.Key) != key || h[stream.SourcePartitionHeader] != strconv.Itoa(int(partition)) {
			t.Errorf("misrouted dead letter has key %q from partition %s, want key %q from partition %d",
				r.Key, h[stream.SourcePartitionHeader], key, partition)
		}
	}
	if misrouted != 1 {
		t.Fatalf("dead-letter topic contains %d misrouted records, want 1", misrouted)
	}

	// Kafka 4.4.0 deprecates --property in favour of --formatter-property.
	// That takes one NAME=VALUE per flag and silently ignores further pairs
	// after the same flag.
	started := time.Now()
	out := runTool(t, 120*time.Second, "bash", kafkaTool, "tool", "org.apache.kafka.tools.consumer.ConsoleConsumer",
		"--bootstrap-server", addr, "--topic", e.deadLetters, "--from-beginning",
		"--max-messages", strconv.Itoa(len(dead)), "--isolation-level", "read_committed",
		"--formatter-property", "print.headers=true", "--formatter-property", "print.key=true",
		"--formatter-property", "print.value=false", "--timeout-ms", "30000")
	t.Logf("Kafka's console consumer ran for %v", time.Since(started).Round(time.Millisecond))
	// It prints "NAME:VALUE,..." headers, a tab and the key, and exits 0
	// even when --timeout-ms ends it before --max-messages.
	wantLine := stream.ReasonHeader + ":" + stream.ReasonMisrouted
	found := false
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.Contains(line, wantLine) && strings.HasSuffix(line, "\t"+key) {
			found = true
		}
	}
	if !found {
		t.Errorf("Kafka's console consumer printed no line with header %q and key %q; output:\n%s", wantLine, key, out)
	}
}
