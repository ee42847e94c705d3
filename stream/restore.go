package stream

import (
	"context"
	"fmt"
	"time"

	"github.com/fareflow/fareflow/state"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// restore reads the changelog partitions of the given numbers from their
// start to their last stable offset and returns the rebuilt states. Records
// of aborted transactions are skipped (read_committed), and an open
// transaction of a crashed instance is not waited for: it can only abort.
func (e *Engine) restore(ctx context.Context, partitions []int32) (map[int32]*state.Partition, error) {
	start := time.Now()
	states := make(map[int32]*state.Partition, len(partitions))
	for _, p := range partitions {
		states[p] = state.NewPartition(p)
	}

	ends, err := e.changelogRange(ctx, partitions)
	if err != nil {
		return nil, err
	}
	offsets := make(map[int32]kgo.Offset)
	for p, end := range ends {
		if end.from < end.to {
			offsets[p] = kgo.NewOffset().At(end.from)
		}
	}
	e.log.Info("restore started", "partitions", partitions, "to_read", len(offsets))
	if len(offsets) == 0 {
		return states, nil
	}

	// Control records (transaction markers) are kept so the position is
	// seen to reach the end even when the last records are markers.
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(e.cfg.Brokers...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{e.cfg.Changelog: offsets}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
	)
	if err != nil {
		return nil, fmt.Errorf("create changelog reader: %w", err)
	}
	defer cl.Close()

	records := 0
	lastReport := time.Now()
	for len(offsets) > 0 {
		if time.Since(lastReport) >= restoreReportInterval {
			lastReport = time.Now()
			e.log.Info("restore progress", "partitions_left", len(offsets), "records", records, "elapsed", time.Since(start).Round(time.Millisecond))
		}
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var fetchErr error
		fetches.EachError(func(topic string, p int32, err error) {
			fetchErr = fmt.Errorf("read changelog %s partition %d: %w", topic, p, err)
		})
		if fetchErr != nil {
			return nil, fetchErr
		}
		fetches.EachRecord(func(r *kgo.Record) {
			if r.Offset+1 >= ends[r.Partition].to {
				delete(offsets, r.Partition)
			}
			if r.Attrs.IsControl() || r.Offset >= ends[r.Partition].to {
				return
			}
			rec, decodeErr := e.catalog.DecodeState(r.Value)
			if decodeErr != nil {
				fetchErr = fmt.Errorf("decode changelog record at partition %d offset %d: %w", r.Partition, r.Offset, decodeErr)
				return
			}
			states[r.Partition].Restore(stateChange(string(r.Key), rec))
			records++
		})
		if fetchErr != nil {
			return nil, fetchErr
		}
	}

	cabins := 0
	for _, st := range states {
		cabins += st.Len()
	}
	e.log.Info("restore finished", "partitions", partitions, "records", records, "cabins", cabins, "duration", time.Since(start))
	return states, nil
}

// restoreReportInterval is how often a long restore logs its progress.
const restoreReportInterval = 2 * time.Second

type offsetRange struct{ from, to int64 }

// changelogRange returns, per partition, the first offset and the last
// stable offset of the changelog.
func (e *Engine) changelogRange(ctx context.Context, partitions []int32) (map[int32]offsetRange, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(e.cfg.Brokers...))
	if err != nil {
		return nil, fmt.Errorf("connect to %v: %w", e.cfg.Brokers, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)

	starts, err := adm.ListStartOffsets(ctx, e.cfg.Changelog)
	if err != nil {
		return nil, fmt.Errorf("list changelog start offsets: %w", err)
	}
	ends, err := adm.ListCommittedOffsets(ctx, e.cfg.Changelog)
	if err != nil {
		return nil, fmt.Errorf("list changelog stable offsets: %w", err)
	}

	out := make(map[int32]offsetRange, len(partitions))
	for _, p := range partitions {
		s, okStart := starts.Lookup(e.cfg.Changelog, p)
		t, okEnd := ends.Lookup(e.cfg.Changelog, p)
		if !okStart || !okEnd || s.Err != nil || t.Err != nil {
			return nil, fmt.Errorf("changelog %s partition %d: offsets unavailable (start %v, end %v)", e.cfg.Changelog, p, s.Err, t.Err)
		}
		out[p] = offsetRange{from: s.Offset, to: t.Offset}
	}
	return out, nil
}
