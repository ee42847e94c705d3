package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/loadtest"
	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

func loadtestCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("loadtest", "(--brokers HOST:PORT | --embedded) [flags]", stderr)
	var bf brokerFlags
	bf.register(fs)
	events := fs.Int("events", 200_000, "throughput mode: synthetic events to write before the engine starts (`count`)")
	rate := fs.Int("rate", 0, "latency mode when above 0: synthetic events per second (`rate`) written while the engine runs")
	duration := fs.Duration("duration", 30*time.Second, "latency mode: how long to write events (`duration`)")
	days := fs.Int("days", 30, "departure dates per flight in the synthetic market (`count`)")
	cpuProfile := fs.String("cpu-profile", "", "write a CPU profile of the engine's run to this `file`")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up when the engine has not caught up within this `duration`")
	var ef engineFlags
	ef.register(fs)
	ef.metricsAddr = ""
	fs.Lookup("metrics-addr").DefValue = ""
	ef.logLevel = "warn"
	fs.Lookup("log-level").DefValue = "warn"
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := bf.check(fs); err != nil {
		return err
	}
	log, err := newLogger(stderr, ef.logLevel)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	lr, stop, err := prepareLoadRun(ctx, &bf, &ef, *days, log)
	if err != nil {
		return err
	}
	defer stop()
	if *cpuProfile != "" {
		stopProfile, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	if *rate > 0 {
		return lr.latency(ctx, *rate, *duration, stdout)
	}
	return lr.throughput(ctx, *events, stdout)
}

// loadRun is one load test: fresh topics and group on a broker, a synthetic
// market, and an engine configuration.
type loadRun struct {
	client     *kgo.Client
	catalog    *avro.Catalog
	market     *loadtest.Market
	topics     stream.Topics
	group      string
	partitions int
	engineCfg  stream.Config
}

// prepareLoadRun creates fresh topics and names, so runs never see each
// other's records.
func prepareLoadRun(ctx context.Context, bf *brokerFlags, ef *engineFlags, days int, log *slog.Logger) (*loadRun, func(), error) {
	brokers, stopBroker, err := bf.connect()
	if err != nil {
		return nil, nil, err
	}
	run := fmt.Sprintf("loadtest-%d", time.Now().UnixNano())
	if ef.topics.single != "" {
		ef.topics.single = run + "-events"
	} else {
		ef.topics = topicFlags{bookings: run + "-bookings", loadFactors: run + "-load-factors", competitorFares: run + "-competitor-fares"}
	}
	ef.group = run
	ef.priceUpdates, ef.deadLetters = run+"-price-updates", run+"-dead-letters"
	topics := ef.topics.topics()
	if err := createTopics(ctx, brokers, int32(ef.partitions), topics.Names()...); err != nil {
		stopBroker()
		return nil, nil, err
	}

	lr := &loadRun{topics: topics, group: run, partitions: ef.partitions}
	if lr.catalog, err = avro.NewCatalog(); err != nil {
		stopBroker()
		return nil, nil, err
	}
	if lr.engineCfg, err = ef.config(brokers, log); err != nil {
		stopBroker()
		return nil, nil, err
	}
	lr.client, err = kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	if err != nil {
		stopBroker()
		return nil, nil, err
	}
	cfg := loadtest.DefaultMarket(1)
	cfg.Days = days
	lr.market = loadtest.NewMarket(cfg)
	return lr, func() { lr.client.Close(); stopBroker() }, nil
}

func (lr *loadRun) encode(ev inventory.Event) (*kgo.Record, error) {
	return eventRecord(lr.catalog, lr.topics, ev)
}

// startEngine runs the engine until the returned function is called, which
// returns Run's error.
func (lr *loadRun) startEngine(ctx context.Context) (*stream.Engine, func() error, error) {
	engine, err := stream.New(lr.engineCfg)
	if err != nil {
		return nil, nil, err
	}
	engineCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- engine.Run(engineCtx) }()
	return engine, func() error { cancel(); return <-done }, nil
}

// throughput writes events first, then times the engine working through
// them.
func (lr *loadRun) throughput(ctx context.Context, events int, stdout io.Writer) error {
	produced, err := loadtest.Preload(ctx, lr.client, lr.market, events, lr.encode)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d events for %d cabins in %v (%.0f events/s)\n", events, lr.market.Cabins(), produced.Round(time.Millisecond), float64(events)/produced.Seconds())

	start := time.Now()
	engine, stop, err := lr.startEngine(ctx)
	if err != nil {
		return err
	}
	waitErr := loadtest.WaitCaughtUp(ctx, kadm.NewClient(lr.client), lr.group, lr.topics.Names(), 50*time.Millisecond)
	elapsed := time.Since(start)
	if err := stop(); err != nil {
		return err
	}
	if waitErr != nil {
		return waitErr
	}

	s := engine.Stats()
	fmt.Fprintf(stdout, "engine caught up in %v on %d CPUs, %d partitions, exactly-once on\n", elapsed.Round(time.Millisecond), runtime.NumCPU(), lr.partitions)
	fmt.Fprintf(stdout, "  events     %9d  %9.0f /s\n", s.Events.Load(), float64(s.Events.Load())/elapsed.Seconds())
	fmt.Fprintf(stdout, "  decisions  %9d  %9.0f /s\n", s.Decisions.Load(), float64(s.Decisions.Load())/elapsed.Seconds())
	fmt.Fprintf(stdout, "  published  %9d  %9.0f /s\n", s.Published.Load(), float64(s.Published.Load())/elapsed.Seconds())
	fmt.Fprintf(stdout, "  dead       %9d   transactions %d committed, %d aborted\n", s.DeadLettered.Load(), s.Commits.Load(), s.Aborts.Load())
	return nil
}

// startCPUProfile writes a CPU profile to path until the returned function
// is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
