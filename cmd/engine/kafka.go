package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// topicFlags are the input topic flags shared by run, produce and demo.
type topicFlags struct {
	single          string
	bookings        string
	loadFactors     string
	competitorFares string
}

func (t *topicFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.single, "topic", "", "one input `topic` for every event type (overrides the three per-type topics)")
	fs.StringVar(&t.bookings, "bookings-topic", "bookings", "input `topic` of booking events")
	fs.StringVar(&t.loadFactors, "load-factors-topic", "load-factors", "input `topic` of load-factor events")
	fs.StringVar(&t.competitorFares, "competitor-fares-topic", "competitor-fares", "input `topic` of competitor-fare events")
}

func (t *topicFlags) topics() stream.Topics {
	if t.single != "" {
		return stream.Single(t.single)
	}
	return stream.Topics{Bookings: t.bookings, LoadFactors: t.loadFactors, CompetitorFares: t.competitorFares}
}

// splitBrokers parses a comma-separated broker list.
func splitBrokers(s string) []string {
	var out []string
	for _, b := range strings.Split(s, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// startEmbedded starts an in-process kfake broker on 127.0.0.1.
func startEmbedded() (*kfake.Cluster, []string, error) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		return nil, nil, fmt.Errorf("start embedded broker: %w", err)
	}
	return c, c.ListenAddrs(), nil
}

// createTopics creates the topics that do not exist yet.
func createTopics(ctx context.Context, brokers []string, partitions int32, names ...string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return fmt.Errorf("connect to %v: %w", brokers, err)
	}
	defer cl.Close()
	resps, err := kadm.NewClient(cl).CreateTopics(ctx, partitions, -1, nil, names...)
	if err != nil {
		return fmt.Errorf("create topics %v: %w", names, err)
	}
	for _, r := range resps.Sorted() {
		if r.Err != nil && !errors.Is(r.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("create topic %s: %w", r.Topic, r.Err)
		}
	}
	return nil
}

// brokerFlags choose between a Kafka cluster and the embedded broker.
type brokerFlags struct {
	list     string
	embedded bool
}

func (b *brokerFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.list, "brokers", "", "Kafka bootstrap `brokers`, comma-separated host:port")
	fs.BoolVar(&b.embedded, "embedded", false, "run an in-process broker (franz-go kfake) on 127.0.0.1 instead of connecting to --brokers")
}

// check reports a usage error unless exactly one of the flags is set.
func (b *brokerFlags) check(fs *flag.FlagSet) error {
	if (b.list == "") == !b.embedded {
		fmt.Fprintln(fs.Output(), "give exactly one of --brokers and --embedded")
		fs.Usage()
		return errUsage
	}
	return nil
}

// connect returns the broker addresses, starting the embedded broker when
// asked; stop shuts it down.
func (b *brokerFlags) connect() (addrs []string, stop func(), err error) {
	if !b.embedded {
		return splitBrokers(b.list), func() {}, nil
	}
	cluster, addrs, err := startEmbedded()
	if err != nil {
		return nil, nil, err
	}
	return addrs, cluster.Close, nil
}
