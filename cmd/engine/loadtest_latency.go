package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/fareflow/fareflow/loadtest"
	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// latency writes events at a steady rate while the engine runs, and
// measures the time from handing each event to the producer until a
// read_committed consumer receives a price update it caused.
func (lr *loadRun) latency(ctx context.Context, rate int, duration time.Duration, stdout io.Writer) error {
	engine, stop, err := lr.startEngine(ctx)
	if err != nil {
		return err
	}
	defer stop()
	if err := lr.waitForMembers(ctx); err != nil {
		return err
	}

	lat := loadtest.NewLatencies()
	var seen atomic.Int64
	readCtx, stopReading := context.WithCancel(ctx)
	readDone := make(chan error, 1)
	go func() { readDone <- lr.readUpdates(readCtx, lat, &seen) }()

	written, err := lr.writeAtRate(ctx, lat, rate, duration)
	if err != nil {
		stopReading()
		return err
	}
	if err := loadtest.WaitCaughtUp(ctx, kadm.NewClient(lr.client), lr.group, lr.topics.Names(), 50*time.Millisecond); err != nil {
		stopReading()
		return err
	}
	// The engine has committed everything; wait until the reader stops
	// receiving what it committed last.
	for last := int64(-1); last != seen.Load(); {
		last = seen.Load()
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
	stopReading()
	if err := <-readDone; err != nil {
		return err
	}

	s, sum := engine.Stats(), lat.Summary()
	fmt.Fprintf(stdout, "wrote %d events at %d/s for %v on %d CPUs, %d partitions, exactly-once on\n", written, rate, duration, runtime.NumCPU(), lr.partitions)
	fmt.Fprintf(stdout, "  decisions %d, price updates %d, seen by a read_committed consumer %d\n", s.Decisions.Load(), s.Published.Load(), sum.Count)
	fmt.Fprintf(stdout, "  event to committed price update: p50 %v  p90 %v  p99 %v  max %v\n",
		sum.P50.Round(time.Microsecond*100), sum.P90.Round(time.Microsecond*100), sum.P99.Round(time.Microsecond*100), sum.Max.Round(time.Microsecond*100))
	return nil
}

// writeAtRate produces rate events per second for duration, in small
// batches every few milliseconds, and records when each was handed over.
func (lr *loadRun) writeAtRate(ctx context.Context, lat *loadtest.Latencies, rate int, duration time.Duration) (int, error) {
	const tick = 5 * time.Millisecond
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	start := time.Now()
	written := 0
	for time.Since(start) < duration {
		select {
		case <-ctx.Done():
			return written, ctx.Err()
		case <-ticker.C:
		}
		// Catch up to the count the rate calls for by now, so a late
		// tick does not lower the rate.
		due := int(time.Since(start).Seconds() * float64(rate))
		for ; written < due; written++ {
			ev := lr.market.Next()
			r, err := lr.encode(ev)
			if err != nil {
				return written, err
			}
			lat.Sent(ev.ID(), time.Now())
			lr.client.Produce(ctx, r, nil)
		}
	}
	return written, lr.client.Flush(ctx)
}

// readUpdates reads the committed price updates and records each one's
// latency against its cause, until ctx ends.
func (lr *loadRun) readUpdates(ctx context.Context, lat *loadtest.Latencies, seen *atomic.Int64) error {
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(lr.engineCfg.Brokers...),
		kgo.ConsumeTopics(lr.engineCfg.PriceUpdates),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.FetchMaxWait(50*time.Millisecond),
	)
	if err != nil {
		return err
	}
	defer cl.Close()
	for {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		now := time.Now()
		for _, r := range fetches.Records() {
			// The cause header spares this reader decoding every update,
			// which would compete with the engine for the same cores.
			for _, h := range r.Headers {
				if h.Key == stream.CauseHeader {
					lat.Seen(string(h.Value), now)
				}
			}
			seen.Add(1)
		}
	}
}

// waitForMembers polls until the engine has joined its group and the group
// is stable, so the measurement does not count the first join.
func (lr *loadRun) waitForMembers(ctx context.Context) error {
	adm := kadm.NewClient(lr.client)
	for {
		groups, err := adm.DescribeGroups(ctx, lr.group)
		if err == nil {
			if g, ok := groups[lr.group]; ok && g.State == "Stable" && len(g.Members) > 0 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("engine did not join group %s: %w", lr.group, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
