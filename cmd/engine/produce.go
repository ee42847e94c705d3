package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kgo"
)

func produceCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("produce", "--brokers HOST:PORT[,...] [--events FILE] [flags]", stderr)
	brokerList := fs.String("brokers", "", "Kafka bootstrap `brokers`, comma-separated host:port (required)")
	eventsPath := fs.String("events", "-", "JSON-line event `file` (- for standard input)")
	var tf topicFlags
	tf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	brokers := splitBrokers(*brokerList)
	if len(brokers) == 0 {
		fmt.Fprintln(stderr, "--brokers is required")
		fs.Usage()
		return errUsage
	}

	in, err := openInput(*eventsPath)
	if err != nil {
		return err
	}
	defer in.Close()
	catalog, err := avro.NewCatalog()
	if err != nil {
		return err
	}
	// The default partitioner hashes keys with murmur2, as the engine
	// expects; librdkafka clients need partitioner=murmur2_random.
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	if err != nil {
		return fmt.Errorf("connect to %v: %w", brokers, err)
	}
	defer cl.Close()

	n, err := produceLines(ctx, cl, catalog, tf.topics(), in)
	fmt.Fprintf(stderr, "produced %d events\n", n)
	return err
}

// produceLines encodes each JSON line and writes it keyed by its market.
// It stops at the first invalid line, after the records before it are
// written, and names the line.
func produceLines(ctx context.Context, cl *kgo.Client, catalog *avro.Catalog, topics stream.Topics, in io.Reader) (int, error) {
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var records []*kgo.Record
	line := 0
	for scanner.Scan() {
		line++
		text := bytes.TrimSpace(scanner.Bytes())
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		ev, err := avro.ParseEventJSON(text)
		if err != nil {
			n, _ := flush(ctx, cl, records)
			return n, fmt.Errorf("line %d: %w", line, err)
		}
		r, err := eventRecord(catalog, topics, ev)
		if err != nil {
			n, _ := flush(ctx, cl, records)
			return n, fmt.Errorf("line %d: %w", line, err)
		}
		records = append(records, r)
	}
	if err := scanner.Err(); err != nil {
		return 0, fmt.Errorf("read events: %w", err)
	}
	return flush(ctx, cl, records)
}

// eventRecord encodes an event as a record of its type's topic.
func eventRecord(catalog *avro.Catalog, topics stream.Topics, ev inventory.Event) (*kgo.Record, error) {
	value, err := catalog.EncodeEvent(ev)
	if err != nil {
		return nil, err
	}
	topic := topics.Bookings
	switch ev.Kind() {
	case inventory.KindLoadFactor:
		topic = topics.LoadFactors
	case inventory.KindCompetitorFare:
		topic = topics.CompetitorFares
	}
	return &kgo.Record{Topic: topic, Key: []byte(ev.Market().String()), Value: value}, nil
}

func flush(ctx context.Context, cl *kgo.Client, records []*kgo.Record) (int, error) {
	if len(records) == 0 {
		return 0, nil
	}
	if err := cl.ProduceSync(ctx, records...).FirstErr(); err != nil {
		return 0, fmt.Errorf("produce: %w", err)
	}
	return len(records), nil
}
