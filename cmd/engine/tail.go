package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/twmb/franz-go/pkg/kgo"
)

func tailCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tail", "--brokers HOST:PORT[,...] [--topic TOPIC] [flags]", stderr)
	brokerList := fs.String("brokers", "", "Kafka bootstrap `brokers`, comma-separated host:port (required)")
	topic := fs.String("topic", "price-updates", "`topic` to read: price updates, an input topic or the dead-letter topic")
	max := fs.Int("max", 0, "stop after this many `records`; 0 for no limit")
	idle := fs.Duration("idle", 0, "stop when no record arrives for this `duration`; 0 to wait until interrupted")
	fromEnd := fs.Bool("from-end", false, "start at the end of the topic instead of its beginning")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	brokers := splitBrokers(*brokerList)
	if len(brokers) == 0 {
		fmt.Fprintln(stderr, "--brokers is required")
		fs.Usage()
		return errUsage
	}

	start := kgo.NewOffset().AtStart()
	if *fromEnd {
		start = kgo.NewOffset().AtEnd()
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ConsumeTopics(*topic),
		kgo.ConsumeResetOffset(start),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)
	if err != nil {
		return fmt.Errorf("connect to %v: %w", brokers, err)
	}
	defer cl.Close()
	catalog, err := avro.NewCatalog()
	if err != nil {
		return err
	}

	seen := 0
	defer func() { fmt.Fprintf(stderr, "%d records\n", seen) }()
	for *max == 0 || seen < *max {
		fetches, idled := pollIdle(ctx, cl, *idle)
		if ctx.Err() != nil || idled {
			return nil
		}
		fetches.EachError(func(t string, p int32, err error) {
			fmt.Fprintf(stderr, "fetch %s partition %d: %v\n", t, p, err)
		})
		for _, r := range fetches.Records() {
			fmt.Fprintln(stdout, string(recordJSON(catalog, r)))
			seen++
			if *max > 0 && seen >= *max {
				break
			}
		}
	}
	return nil
}

// recordJSON returns a price update or event in its JSON form, or, for a
// record with headers or of no known schema, such as a dead letter, an
// envelope with its headers, its event if it decodes, and its value in
// base64.
func recordJSON(catalog *avro.Catalog, r *kgo.Record) []byte {
	if d, err := catalog.DecodeDecision(r.Value); err == nil {
		if b, err := avro.DecisionJSON(d); err == nil {
			return b
		}
	}
	if ev, err := catalog.DecodeEvent(r.Value); err == nil && len(r.Headers) == 0 {
		if b, err := avro.EventJSON(ev); err == nil {
			return b
		}
	}
	headers := make(map[string]string, len(r.Headers))
	for _, h := range r.Headers {
		headers[h.Key] = string(h.Value)
	}
	// A dead letter whose value is a valid event shows it decoded too.
	var event json.RawMessage
	if ev, err := catalog.DecodeEvent(r.Value); err == nil {
		event, _ = avro.EventJSON(ev)
	}
	b, _ := json.Marshal(struct {
		Topic     string            `json:"topic"`
		Partition int32             `json:"partition"`
		Offset    int64             `json:"offset"`
		Timestamp time.Time         `json:"timestamp"`
		Key       string            `json:"key"`
		Headers   map[string]string `json:"headers"`
		Event     json.RawMessage   `json:"event,omitempty"`
		Value     string            `json:"value_base64"`
	}{r.Topic, r.Partition, r.Offset, r.Timestamp.UTC(), string(r.Key), headers, event, base64.StdEncoding.EncodeToString(r.Value)})
	return b
}

// pollIdle polls cl and reports whether no record arrived within idle (zero
// waits without limit).
func pollIdle(ctx context.Context, cl *kgo.Client, idle time.Duration) (kgo.Fetches, bool) {
	if idle <= 0 {
		return cl.PollFetches(ctx), false
	}
	pollCtx, cancel := context.WithTimeout(ctx, idle)
	defer cancel()
	fetches := cl.PollFetches(pollCtx)
	return fetches, fetches.NumRecords() == 0 && pollCtx.Err() != nil
}
