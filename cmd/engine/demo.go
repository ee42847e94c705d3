package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/loadtest"
	"github.com/fareflow/fareflow/pricing"
	"github.com/twmb/franz-go/pkg/kgo"
	"golang.org/x/sync/errgroup"
)

func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", "[flags]", stderr)
	duration := fs.Duration("duration", 0, "stop after this `duration`; 0 to run until Ctrl-C")
	rate := fs.Int("rate", 20, "synthetic events per second (`rate`)")
	seed := fs.Uint64("seed", 1, "`seed` of the synthetic market; the same seed gives the same events")
	var ef engineFlags
	ef.register(fs)
	ef.metricsAddr = ""
	fs.Lookup("metrics-addr").DefValue = ""
	ef.logLevel = "warn"
	fs.Lookup("log-level").DefValue = "warn"
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *rate <= 0 {
		return fmt.Errorf("invalid --rate %d: want 1 or more events per second", *rate)
	}
	log, err := newLogger(stderr, ef.logLevel)
	if err != nil {
		return err
	}
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}

	// Check the policy before starting anything, so a bad path fails fast.
	if _, err := loadPolicy(ef.policy); err != nil {
		return err
	}
	cluster, brokers, err := startEmbedded()
	if err != nil {
		return err
	}
	defer cluster.Close()
	topics := ef.topics.topics()
	if err := createTopics(ctx, brokers, int32(ef.partitions), topics.Names()...); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Fareflow demo: embedded broker %v, %d events/s; Ctrl-C to stop.\n", brokers, *rate)

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return runEngine(gctx, &ef, brokers, log) })
	g.Go(func() error { return feedMarket(gctx, brokers, *seed, *rate) })
	g.Go(func() error { return showPrices(gctx, brokers, ef.priceUpdates, stdout) })
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// feedMarket produces synthetic events at rate per second until ctx ends.
func feedMarket(ctx context.Context, brokers []string, seed uint64, rate int) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return err
	}
	defer cl.Close()
	catalog, err := avro.NewCatalog()
	if err != nil {
		return err
	}
	var tf topicFlags
	tf.bookings, tf.loadFactors, tf.competitorFares = "bookings", "load-factors", "competitor-fares"
	market := loadtest.NewMarket(loadtest.DefaultMarket(seed))

	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		r, err := eventRecord(catalog, tf.topics(), market.Next())
		if err != nil {
			return err
		}
		cl.Produce(ctx, r, nil)
	}
}

// showPrices prints each committed price update as one line.
func showPrices(ctx context.Context, brokers []string, topic string, w io.Writer) error {
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ConsumeTopics(topic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)
	if err != nil {
		return err
	}
	defer cl.Close()
	catalog, err := avro.NewCatalog()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-22s %-5s %-7s %12s %-4s %8s %5s  %s\n", "FLIGHT", "CABIN", "OFFERED", "PRICE", "CUR", "LOAD", "SEQ", "CAUSE")
	for {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		for _, r := range fetches.Records() {
			d, err := catalog.DecodeDecision(r.Value)
			if err != nil {
				return fmt.Errorf("decode price update at offset %d: %w", r.Offset, err)
			}
			offered, price := d.OfferedClass, pricing.FormatAmount(d.OfferedPrice, d.Currency)
			if offered == "" {
				offered, price = "closed", "-"
			}
			fmt.Fprintf(w, "%-22s %-5s %-7s %12s %-4s %7s%% %5d  %s\n",
				d.Flight.Key(), d.Cabin, offered, price, d.Currency, d.LoadFactor.StringFixed(2), d.Sequence, d.CauseEventID)
		}
	}
}
