// Package kafkatest picks a Kafka broker for tests and creates the topics and
// clients that tests need on it.
//
// Brokers chooses, in this order:
//
//   - "external": the comma-separated addresses in KAFKA_BROKERS.
//   - "local": an Apache Kafka 4.4.0 broker that deploy/kafka-local/kafka.sh
//     starts when java and mvn are on PATH. The broker keeps running after the
//     test process exits, so later runs reuse it and skip its start-up of a
//     few seconds. Stop it with `deploy/kafka-local/kafka.sh down`, which
//     the project's `make test` target is meant to run once all tests finish.
//   - "embedded": an in-process franz-go kfake cluster, when Java or Maven is
//     missing. Under CI=true this is an error, because CI must test against
//     the real broker.
//
// The same test code runs against all three kinds.
package kafkatest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Broker kinds returned in Broker.Kind.
const (
	KindExternal = "external"
	KindLocal    = "local"
	KindEmbedded = "embedded"
)

// Broker is the Kafka cluster that tests of this process use.
type Broker struct {
	// Addrs are the seed broker addresses, host:port.
	Addrs []string
	// Kind is KindExternal, KindLocal or KindEmbedded.
	Kind string
}

const (
	// brokersEnv names the variable with the addresses of a broker that
	// someone else runs.
	brokersEnv = "KAFKA_BROKERS"
	// kafkaScript is the start script, relative to the repository root.
	kafkaScript = "deploy/kafka-local/kafka.sh"
	// startTimeout bounds `kafka.sh up`. A first run downloads about 55 MB
	// of jars with Maven, and start-up itself waits at most 60 s.
	startTimeout = 10 * time.Minute
	// topicTimeout bounds creating a topic and waiting for its leaders, and
	// deleting it.
	topicTimeout = 30 * time.Second
	// pollInterval is the wait between metadata requests while a topic's
	// partitions get leaders.
	pollInterval = 50 * time.Millisecond
)

// The broker is chosen once per test process, so every test of a package
// shares one broker and one embedded cluster. A failed choice is kept too, so
// that every test reports it instead of trying again.
var (
	chooseOnce   sync.Once
	chosen       Broker
	errChoose    error
	embeddedNote string
)

// Brokers returns the broker for this test process, starting it on the first
// call. It blocks until the broker accepts requests and fails tb when no
// broker can be had. See the package documentation for the order of choice.
func Brokers(tb testing.TB) Broker {
	tb.Helper()

	chooseOnce.Do(func() { chosen, errChoose = chooseBroker() })
	if errChoose != nil {
		tb.Fatalf("kafkatest: %v", errChoose)
	}
	if chosen.Kind == KindEmbedded {
		tb.Log(embeddedNote)
	}
	tb.Logf("kafkatest: using the %s broker at %s", chosen.Kind, strings.Join(chosen.Addrs, ","))
	return chosen
}

// chooseBroker runs once per process. It must not call tb.Fatal, because
// sync.Once would then record the call as done with no result.
func chooseBroker() (Broker, error) {
	if list, ok := os.LookupEnv(brokersEnv); ok {
		addrs := parseBrokerList(list)
		if len(addrs) == 0 {
			return Broker{}, fmt.Errorf("%s=%q contains no broker address; set it to host:port[,host:port...] or unset it", brokersEnv, list)
		}
		return Broker{Addrs: addrs, Kind: KindExternal}, nil
	}

	missing := missingTools()
	if len(missing) == 0 {
		addr, err := startLocalBroker()
		if err != nil {
			return Broker{}, err
		}
		return Broker{Addrs: []string{addr}, Kind: KindLocal}, nil
	}

	if os.Getenv("CI") == "true" {
		return Broker{}, fmt.Errorf("the real Kafka broker is required under CI=true, but %s not found on PATH; "+
			"install Java 17 or newer and Maven 3.8 or newer (Debian: apt-get install openjdk-17-jre-headless maven) "+
			"so that %s can start it, or set %s to a running broker",
			strings.Join(missing, " and "), kafkaScript, brokersEnv)
	}
	return startEmbeddedBroker(missing)
}

// parseBrokerList splits a comma-separated address list and drops blanks.
func parseBrokerList(list string) []string {
	var addrs []string
	for _, addr := range strings.Split(list, ",") {
		if addr = strings.TrimSpace(addr); addr != "" {
			addrs = append(addrs, addr)
		}
	}
	return addrs
}

// missingTools returns which of the tools that kafka.sh needs are not on PATH.
func missingTools() []string {
	var missing []string
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	return missing
}

// startLocalBroker runs `kafka.sh up`, which starts the broker or finds the
// one already running, and returns the address from the last line it prints.
func startLocalBroker() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	script := filepath.Join(root, kafkaScript)

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script, "up")
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	// The broker JVM does not inherit these pipes, so Wait returns when the
	// script does. WaitDelay guards against a child that keeps them open.
	cmd.WaitDelay = 5 * time.Second

	fmt.Fprintf(os.Stderr, "kafkatest: starting the local Kafka broker with %s up\n", kafkaScript)
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s up failed: %w\n%s\nfix the cause above, run the script by hand to check, or set %s to a running broker",
			script, err, strings.TrimSpace(stderr.String()), brokersEnv)
	}

	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	addr := strings.TrimSpace(lines[len(lines)-1])
	if addr == "" {
		return "", fmt.Errorf("%s up printed no broker address\n%s", script, strings.TrimSpace(stderr.String()))
	}
	return addr, nil
}

// repoRoot walks up from the working directory, which go test sets to the
// package directory, to the directory that contains go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("get working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found in the working directory or any parent; run the tests from inside the repository")
		}
		dir = parent
	}
}

// startEmbeddedBroker starts a one-broker kfake cluster on 127.0.0.1. It
// lives until the process exits, because tests share it.
func startEmbeddedBroker(missing []string) (Broker, error) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		return Broker{}, fmt.Errorf("start the embedded kfake broker: %w", err)
	}

	embeddedNote = fmt.Sprintf("kafkatest: using the embedded kfake broker because %s not found on PATH; "+
		"install Java 17+ and Maven 3.8+ to test against Apache Kafka 4.4.0 (%s), or set %s",
		strings.Join(missing, " and "), kafkaScript, brokersEnv)
	fmt.Fprintln(os.Stderr, embeddedNote)
	return Broker{Addrs: cluster.ListenAddrs(), Kind: KindEmbedded}, nil
}

// NewClient returns a client seeded with b's addresses and opts, closed when
// the test ends.
func NewClient(tb testing.TB, b Broker, opts ...kgo.Opt) *kgo.Client {
	tb.Helper()

	all := append([]kgo.Opt{kgo.SeedBrokers(b.Addrs...)}, opts...)
	client, err := kgo.NewClient(all...)
	if err != nil {
		tb.Fatalf("kafkatest: create client for %s: %v", strings.Join(b.Addrs, ","), err)
	}
	tb.Cleanup(client.Close)
	return client
}

// NewTopic creates a topic with a unique name derived from tb.Name(), with
// the given partition count, the broker's default replication factor and the
// given topic configs (nil for none). It blocks until every partition has a
// leader, up to 30 s, and deletes the topic when the test ends.
func NewTopic(tb testing.TB, b Broker, partitions int32, configs map[string]*string) string {
	tb.Helper()

	topic, err := uniqueTopicName(tb.Name())
	if err != nil {
		tb.Fatalf("kafkatest: %v", err)
	}
	admin := kadm.NewClient(NewClient(tb, b))

	ctx, cancel := context.WithTimeout(context.Background(), topicTimeout)
	defer cancel()
	// Replication factor -1 takes default.replication.factor from the broker,
	// which is 1 on the local broker and may be higher on an external one.
	resp, err := admin.CreateTopic(ctx, partitions, -1, configs, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil {
		tb.Fatalf("kafkatest: create topic %s with %d partitions: %v", topic, partitions, err)
	}

	// Registered before the wait, so a topic whose leaders never appear is
	// still deleted.
	tb.Cleanup(func() { deleteTopic(tb, admin, topic) })

	if err := waitForLeaders(ctx, admin, topic, int(partitions)); err != nil {
		tb.Fatalf("kafkatest: %v", err)
	}
	return topic
}

// waitForLeaders polls until topic has want partitions whose leaders serve
// requests, or until ctx ends.
func waitForLeaders(ctx context.Context, admin *kadm.Client, topic string, want int) error {
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()

	var last string
	for {
		ready, state := topicReady(ctx, admin, topic, want)
		if ready {
			return nil
		}
		last = state

		select {
		case <-ctx.Done():
			return fmt.Errorf("topic %s: timed out waiting for %d partitions with leaders; last metadata: %s", topic, want, last)
		case <-ticker.C:
		}
	}
}

// topicReady reports whether topic has want partitions whose leaders serve
// requests, and otherwise describes what the broker returned.
func topicReady(ctx context.Context, admin *kadm.Client, topic string, want int) (bool, string) {
	md, err := admin.Metadata(ctx, topic)
	if err != nil {
		return false, fmt.Sprintf("metadata request failed: %v", err)
	}
	detail, ok := md.Topics[topic]
	if !ok {
		return false, "topic not in the response"
	}
	if detail.Err != nil {
		return false, fmt.Sprintf("topic error: %v", detail.Err)
	}
	if len(detail.Partitions) != want {
		return false, fmt.Sprintf("%d of %d partitions", len(detail.Partitions), want)
	}
	for _, p := range detail.Partitions {
		if p.Err != nil || p.Leader < 0 {
			return false, fmt.Sprintf("partition %d: leader %d, error %v", p.Partition, p.Leader, p.Err)
		}
	}

	// Metadata can name a leader before that broker serves the partition.
	// Kafka 4.4.0 rejected the first Produce to a new topic with
	// NOT_LEADER_OR_FOLLOWER right after metadata showed every leader, and
	// the producer then waited out franz-go's metadata min age (5 s by
	// default) before it retried. ListOffsets gets the same error, but kgo
	// retries it within this call after a short backoff, so a response
	// without errors shows that every leader serves its partition.
	offsets, err := admin.ListEndOffsets(ctx, topic)
	if err != nil {
		return false, fmt.Sprintf("list offsets request failed: %v", err)
	}
	if got := len(offsets[topic]); got != want {
		return false, fmt.Sprintf("list offsets returned %d of %d partitions", got, want)
	}
	for _, o := range offsets[topic] {
		if o.Err != nil {
			return false, fmt.Sprintf("partition %d: list offsets error %v", o.Partition, o.Err)
		}
	}
	return true, ""
}

func deleteTopic(tb testing.TB, admin *kadm.Client, topic string) {
	tb.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), topicTimeout)
	defer cancel()
	resp, err := admin.DeleteTopic(ctx, topic)
	if err == nil {
		err = resp.Err
	}
	// A leftover topic costs disk on a long-lived broker but does not make the
	// test wrong, so the failure is logged and does not fail the test.
	if err != nil {
		tb.Logf("kafkatest: delete topic %s: %v", topic, err)
	}
}

// maxTopicPrefix keeps names well below Kafka's limit of 249 characters
// after the random suffix is appended.
const maxTopicPrefix = 200

// uniqueTopicName returns the test name reduced to characters that Kafka
// allows in topic names, followed by a random suffix.
func uniqueTopicName(testName string) (string, error) {
	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		return "", fmt.Errorf("read random topic suffix: %w", err)
	}
	return topicPrefix(testName) + "-" + hex.EncodeToString(suffix), nil
}

// topicPrefix maps every character outside [a-zA-Z0-9_-] to '-'. Kafka
// also allows '.', but its metric names treat '.' and '_' alike, so two topics
// that differ only there collide. Mapping dots too rules that out.
func topicPrefix(testName string) string {
	prefix := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			return r
		default:
			return '-'
		}
	}, testName)
	if len(prefix) > maxTopicPrefix {
		prefix = prefix[:maxTopicPrefix]
	}
	if prefix == "" {
		prefix = "test"
	}
	return prefix
}

// RequireRealBroker stops a test that cannot run without Apache Kafka: it
// fails under CI=true, where the real broker is required, and skips
// elsewhere, saying why.
func RequireRealBroker(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("kafkatest: %s, and CI requires it; install Java 17+ and Maven 3.8+", why)
	}
	tb.Skipf("kafkatest: %s; install Java 17+ and Maven 3.8+ to run this test", why)
}
