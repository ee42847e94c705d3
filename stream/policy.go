package stream

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/fareflow/fareflow/pricing"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// policyHolder keeps the policy in force. The file watcher and the policy
// topic reader offer new versions; the stream loop applies the current one
// to each partition inside that partition's transaction.
type policyHolder struct {
	log   *slog.Logger
	stats *Stats

	mu      sync.Mutex // guards current
	current *pricing.Policy

	// changed receives a value when the policy changes, so a loop blocked
	// in a poll wakes up and applies it even when no record arrives.
	changed chan struct{}
}

func newPolicyHolder(initial *pricing.Policy, log *slog.Logger, stats *Stats) *policyHolder {
	return &policyHolder{log: log, stats: stats, current: initial, changed: make(chan struct{}, 1)}
}

// Current returns the policy in force.
func (h *policyHolder) Current() *pricing.Policy {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.current
}

// offer makes p the policy in force when its version differs from the
// current one: the latest version to arrive wins, from either source.
// effective_at orders nothing; it is the event time of the decisions the
// change causes.
func (h *policyHolder) offer(p *pricing.Policy, source string) bool {
	h.mu.Lock()
	cur := h.current
	if p.Version() == cur.Version() {
		h.mu.Unlock()
		if p.Digest() != cur.Digest() {
			h.stats.PoliciesRejected.Add(1)
			h.log.Warn("policy ignored: its version is in force already with another text; give every change a new version",
				"source", source, "version", p.Version())
		}
		return false
	}
	h.current = p
	h.mu.Unlock()

	h.log.Info("policy changed", "source", source, "version", p.Version(), "effective_at", p.EffectiveAt(), "previous_version", cur.Version())
	select {
	case h.changed <- struct{}{}:
	default:
	}
	return true
}

// watchFile reloads the policy file when its content changes, checking
// every interval until ctx ends. Polling, rather than file-system events,
// also detects a Kubernetes ConfigMap update, which swaps a symbolic link. A
// file that fails validation is logged with every problem and the policy in
// force stays.
//
// last is the hash of the content already in force (see fileHash), so the
// file does not take over again from a newer version the policy topic
// brought in meanwhile.
func (h *policyHolder) watchFile(ctx context.Context, path string, interval time.Duration, last [sha256.Size]byte) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		data, err := os.ReadFile(path)
		if err != nil {
			h.log.Error("policy file unreadable; the policy in force stays", "path", path, "err", err)
			continue
		}
		sum := sha256.Sum256(data)
		if bytes.Equal(sum[:], last[:]) {
			continue
		}
		last = sum
		p, err := pricing.ParsePolicy(data)
		if err != nil {
			h.stats.PoliciesRejected.Add(1)
			h.log.Error("policy file rejected; the policy in force stays", "path", path, "err", err)
			continue
		}
		h.offer(p, "file "+path)
	}
}

// readTopic reads the compacted policy topic in full from its start and
// then follows it until ctx ends. Every instance reads it, outside the
// consumer group, so each has the newest version whichever partitions it
// owns.
func (h *policyHolder) readTopic(ctx context.Context, brokers []string, topic string) error {
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)
	if err != nil {
		return fmt.Errorf("create policy topic reader: %w", err)
	}
	defer cl.Close()
	for {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		fetches.EachError(func(t string, p int32, err error) {
			h.log.Warn("policy topic fetch failed", "topic", t, "partition", p, "err", err)
		})
		fetches.EachRecord(func(r *kgo.Record) {
			p, err := pricing.ParsePolicy(r.Value)
			if err != nil {
				h.stats.PoliciesRejected.Add(1)
				h.log.Error("policy record rejected; the policy in force stays",
					"topic", r.Topic, "partition", r.Partition, "offset", r.Offset, "err", err)
				return
			}
			h.offer(p, fmt.Sprintf("topic %s offset %d", r.Topic, r.Offset))
		})
	}
}

// EnsurePolicyTopic creates the compacted one-partition policy topic when
// it is missing.
func EnsurePolicyTopic(ctx context.Context, adm *kadm.Client, topic string) error {
	compact := "compact"
	resp, err := adm.CreateTopic(ctx, 1, -1, map[string]*string{"cleanup.policy": &compact}, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return fmt.Errorf("create policy topic %s: %w", topic, err)
	}
	return nil
}

// PolicyKey is the key of every record in the policy topic: compaction
// keeps only the newest version.
const PolicyKey = "policy"

// fileHash returns the hash of the file's content, or zero when it cannot
// be read.
func fileHash(path string) [sha256.Size]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		return [sha256.Size]byte{}
	}
	return sha256.Sum256(data)
}
