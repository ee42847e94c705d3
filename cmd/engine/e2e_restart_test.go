package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/internal/kafkatest"
	"github.com/fareflow/fareflow/stream"
)

// TestBrokerRestartLosesNothing restarts the broker while an engine
// processes records. The engine must ride out the restart, and the
// committed price updates must equal `engine simulate` on the same records.
func TestBrokerRestartLosesNothing(t *testing.T) {
	addr, restart := privateBroker(t)
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Single(kafkatest.NewTopic(t, b, 4, nil))
	}, kafkatest.Broker{Addrs: []string{addr}, Kind: kafkatest.KindLocal})
	events := marketEvents(31, 1200)

	in := e.start("only", nil)
	e.produce(events[:400])
	e.waitCaughtUp(90 * time.Second)

	e.produce(events[400:800])
	restart()
	e.produce(events[800:])
	e.waitCaughtUp(180 * time.Second)
	t.Logf("engine stats: %d commits, %d aborts", in.engine.Stats().Commits.Load(), in.engine.Stats().Aborts.Load())

	compareWithSimulate(t, e, events)
}

// privateBroker starts an Apache Kafka broker of this test's own, which it
// may restart without disturbing other tests, and stops it at the end.
func privateBroker(t *testing.T) (addr string, restart func()) {
	t.Helper()
	if _, err := exec.LookPath("java"); err != nil {
		kafkatest.RequireRealBroker(t, "restarting a broker needs Java and Maven for deploy/kafka-local")
	}
	script, err := filepath.Abs("../../deploy/kafka-local/kafka.sh")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "kafka")
	run := func(args ...string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, script, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("kafka.sh %v: %v\n%s", args, err, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
		return lines[len(lines)-1]
	}
	addr = run("up", dir)
	t.Cleanup(func() { run("down", dir) })
	return addr, func() { run("restart", dir) }
}
