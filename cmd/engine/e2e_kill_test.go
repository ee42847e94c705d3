package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fareflow/fareflow/internal/kafkatest"
	"github.com/fareflow/fareflow/stream"
)

// TestKilledInstanceLosesNothing runs two engine processes and kills one
// with SIGKILL while it processes records. The survivor takes over its
// partitions once the group and the broker notice. Then the survivor stops
// on SIGTERM and a successor takes over. The committed price updates must
// still equal `engine simulate` on the same records, byte for byte per
// flight: nothing lost, nothing duplicated.
func TestKilledInstanceLosesNothing(t *testing.T) {
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Single(kafkatest.NewTopic(t, b, 4, nil))
	})
	bin := buildEngine(t)
	events := marketEvents(23, 1800)

	survivor := e.startProcess(t, bin, "survivor")
	victim := e.startProcess(t, bin, "victim")
	e.produce(events[:500])
	e.waitCaughtUp(90 * time.Second)

	// Kill the victim while it works through the next batch.
	e.produce(events[500:1000])
	if err := victim.Process.Kill(); err != nil {
		t.Fatalf("kill victim: %v", err)
	}
	victim.Wait()
	e.produce(events[1000:1500])
	e.waitCaughtUp(120 * time.Second)
	if survivor.ProcessState != nil {
		t.Fatalf("survivor exited: %v", survivor.ProcessState)
	}

	// A graceful stop and a restart must repeat nothing: the offsets
	// only move forward, inside the transactions.
	if err := survivor.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := survivor.Wait(); err != nil {
		t.Fatalf("survivor after SIGTERM: %v", err)
	}
	e.startProcess(t, bin, "successor")
	e.produce(events[1500:])
	e.waitCaughtUp(120 * time.Second)

	compareWithSimulate(t, e, events)
}

// buildEngine compiles the engine command into a temporary folder.
func buildEngine(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "engine")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startProcess runs `engine run` as its own process, logging to the test,
// and kills it when the test ends.
func (e *e2e) startProcess(t *testing.T, bin, name string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "run",
		"--brokers", strings.Join(e.broker.Addrs, ","),
		"--topic", e.inputs.Bookings,
		"--group", e.group, "--instance-id", name,
		"--price-updates-topic", e.priceUpdates,
		"--dead-letters-topic", e.deadLetters,
		"--changelog-topic", e.changelog,
		"--policy", examplePolicy, "--policy-topic", "",
		"--metrics-addr", "",
		"--transaction-timeout", "5s", "--session-timeout", "6s",
	)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Signal(os.Interrupt)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		}
		t.Logf("%s output:\n%s", name, logs.String())
	})
	return cmd
}

// lockedBuffer collects a process's output from its copying goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
