package stream

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// ErrNotCopartitioned stops the engine at start-up when the input topics
// have different partition counts: the same market would hash to different
// partition numbers and its state would split.
var ErrNotCopartitioned = errors.New("input topics are not co-partitioned")

// ErrMissingTopic stops the engine when an input topic does not exist.
var ErrMissingTopic = errors.New("input topic does not exist")

// checkInputs returns the partition count shared by every input topic.
func checkInputs(ctx context.Context, adm *kadm.Client, names []string) (int32, error) {
	details, err := adm.ListTopics(ctx, names...)
	if err != nil {
		return 0, fmt.Errorf("list input topics %v: %w", names, err)
	}
	counts := make(map[string]int32, len(names))
	for _, name := range names {
		d, ok := details[name]
		if !ok || errors.Is(d.Err, kerr.UnknownTopicOrPartition) {
			return 0, fmt.Errorf("%w: %s; create it with as many partitions as the other input topics", ErrMissingTopic, name)
		}
		if d.Err != nil {
			return 0, fmt.Errorf("describe input topic %s: %w", name, d.Err)
		}
		counts[name] = int32(len(d.Partitions))
	}

	n := counts[names[0]]
	for _, name := range names[1:] {
		if counts[name] != n {
			return 0, fmt.Errorf("%w: %s", ErrNotCopartitioned, describeCounts(counts))
		}
	}
	return n, nil
}

func describeCounts(counts map[string]int32) string {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s has %d partitions", n, counts[n])
	}
	return s
}

// ensureOutputs creates the output and internal topics that are missing.
// The changelog gets one partition per input partition number and is
// compacted.
func ensureOutputs(ctx context.Context, adm *kadm.Client, cfg *Config, partitions int32) error {
	compacted := "compact"
	want := []struct {
		name    string
		configs map[string]*string
	}{
		{cfg.PriceUpdates, nil},
		{cfg.DeadLetters, nil},
		{cfg.Changelog, map[string]*string{"cleanup.policy": &compacted}},
	}
	details, err := adm.ListTopics(ctx, cfg.PriceUpdates, cfg.DeadLetters, cfg.Changelog)
	if err != nil {
		return fmt.Errorf("list output topics: %w", err)
	}
	for _, t := range want {
		if d, ok := details[t.name]; ok && d.Err == nil {
			if t.name == cfg.Changelog && int32(len(d.Partitions)) != partitions {
				return fmt.Errorf("changelog topic %s has %d partitions, the inputs have %d: delete it or use another group", t.name, len(d.Partitions), partitions)
			}
			continue
		}
		resp, err := adm.CreateTopic(ctx, partitions, -1, t.configs, t.name)
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("create topic %s: %w", t.name, err)
		}
		if resp.Err != nil && !errors.Is(resp.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("create topic %s: %w", t.name, resp.Err)
		}
	}
	return nil
}
