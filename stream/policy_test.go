package stream

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/pricing"
)

func loadExamplePolicy(t *testing.T) (*pricing.Policy, string) {
	t.Helper()
	data, err := os.ReadFile("../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := pricing.ParsePolicy(data)
	if err != nil {
		t.Fatal(err)
	}
	return p, string(data)
}

// TestPolicyFileReload changes the watched file to an invalid policy, which
// must be ignored, and then to a new valid version, which must take over and
// signal the stream loop.
func TestPolicyFileReload(t *testing.T) {
	initial, text := loadExamplePolicy(t)
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newPolicyHolder(initial, slog.New(slog.DiscardHandler), new(Stats))
	last := fileHash(path)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		h.watchFile(ctx, path, 10*time.Millisecond, last)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()

	invalid := strings.Replace(text, `floor: "149.00"`, `floor: "9000.00"`, 1)
	invalid = strings.Replace(invalid, `version: "2026-10-01.1"`, `version: "broken"`, 1)
	if err := os.WriteFile(path, []byte(invalid), 0o644); err != nil {
		t.Fatal(err)
	}
	next := strings.NewReplacer(`version: "2026-10-01.1"`, `version: "2027-03-05.1"`,
		`effective_at: 2026-10-01T00:00:00Z`, `effective_at: 2027-03-05T00:00:00Z`).Replace(text)
	deadline := time.Now().Add(5 * time.Second)
	for h.stats.PoliciesRejected.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the invalid policy file was not rejected within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := h.Current().Version(); got != initial.Version() {
		t.Fatalf("after an invalid file the version is %q, want %q kept", got, initial.Version())
	}
	if err := os.WriteFile(path, []byte(next), 0o644); err != nil {
		t.Fatal(err)
	}

	select {
	case <-h.changed:
	case <-time.After(5 * time.Second):
		t.Fatal("no change signalled within 5s of writing a new version")
	}
	if got := h.Current().Version(); got != "2027-03-05.1" {
		t.Errorf("version after reload = %q, want 2027-03-05.1", got)
	}
}

// TestPolicyOfferLatestWins makes the latest version to arrive the policy in
// force, whatever its effective time, and ignores a repeat of the current
// version.
func TestPolicyOfferLatestWins(t *testing.T) {
	initial, text := loadExamplePolicy(t)
	h := newPolicyHolder(initial, slog.New(slog.DiscardHandler), new(Stats))
	older, err := pricing.ParsePolicy([]byte(strings.NewReplacer(`version: "2026-10-01.1"`, `version: "2027-02-01.1"`,
		`effective_at: 2026-10-01T00:00:00Z`, `effective_at: 2027-02-01T00:00:00Z`).Replace(text)))
	if err != nil {
		t.Fatal(err)
	}
	if h.offer(initial, "test") {
		t.Error("offer of the current version returned true, want false")
	}
	if !h.offer(older, "test") {
		t.Error("offer of another version returned false, want true")
	}
	if got := h.Current().Version(); got != older.Version() {
		t.Errorf("version = %q, want %q", got, older.Version())
	}
}
