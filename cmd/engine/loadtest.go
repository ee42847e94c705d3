package main

import (
	"context"
	"fmt"
	"io"
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
	events := fs.Int("events", 200_000, "synthetic events to write before the engine starts (`count`)")
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

	brokers, stop, err := bf.connect()
	if err != nil {
		return err
	}
	defer stop()

	// Fresh topic and group names, so runs never see each other's records.
	run := fmt.Sprintf("loadtest-%d", time.Now().UnixNano())
	if ef.topics.single != "" {
		ef.topics.single = run + "-events"
	} else {
		ef.topics = topicFlags{bookings: run + "-bookings", loadFactors: run + "-load-factors", competitorFares: run + "-competitor-fares"}
	}
	ef.group = run
	topics := ef.topics.topics()
	if err := createTopics(ctx, brokers, int32(ef.partitions), topics.Names()...); err != nil {
		return err
	}

	catalog, err := avro.NewCatalog()
	if err != nil {
		return err
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	if err != nil {
		return err
	}
	defer cl.Close()
	cfg := loadtest.DefaultMarket(1)
	cfg.Days = *days
	market := loadtest.NewMarket(cfg)
	encode := func(ev inventory.Event) (*kgo.Record, error) { return eventRecord(catalog, topics, ev) }
	produced, err := loadtest.Preload(ctx, cl, market, *events, encode)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d events for %d cabins in %v (%.0f events/s)\n", *events, market.Cabins(), produced.Round(time.Millisecond), float64(*events)/produced.Seconds())

	engineCfg, err := ef.config(brokers, log)
	if err != nil {
		return err
	}
	engineCfg.PriceUpdates, engineCfg.DeadLetters = run+"-price-updates", run+"-dead-letters"
	engine, err := stream.New(engineCfg)
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	engineCtx, stopEngine := context.WithCancel(ctx)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- engine.Run(engineCtx) }()

	waitErr := loadtest.WaitCaughtUp(ctx, kadm.NewClient(cl), ef.group, topics.Names(), 50*time.Millisecond)
	elapsed := time.Since(start)
	stopEngine()
	if err := <-done; err != nil {
		return err
	}
	if waitErr != nil {
		return waitErr
	}

	s := engine.Stats()
	fmt.Fprintf(stdout, "engine caught up in %v on %d CPUs, %d partitions, exactly-once on\n", elapsed.Round(time.Millisecond), runtime.NumCPU(), ef.partitions)
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
