package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/stream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// engineFlags are the flags of every command that runs the engine.
type engineFlags struct {
	policy        string
	policyTopic   string
	policyWatch   time.Duration
	group         string
	instanceID    string
	partitions    int
	publishAlways bool
	metricsAddr   string
	logLevel      string
	txnTimeout    time.Duration
	sessTimeout   time.Duration
	topics        topicFlags
	priceUpdates  string
	deadLetters   string
	changelog     string
	tracing       bool
}

func (f *engineFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.policy, "policy", "examples/policy.yaml", "pricing policy YAML `file`; re-read when it changes")
	fs.DurationVar(&f.policyWatch, "policy-watch", 2*time.Second, "how often to check the policy file for changes (`duration`)")
	fs.StringVar(&f.policyTopic, "policy-topic", "fareflow-policy", "compacted `topic` of policy versions that every instance reads in full, created when missing; a version there replaces the file's; empty to use only the file")
	fs.StringVar(&f.group, "group", "fareflow", "consumer group `id`; instances with one group share the partitions")
	fs.StringVar(&f.instanceID, "instance-id", "", "this instance's `name` in its transactional id; two live instances must differ (default: host name and process id)")
	fs.IntVar(&f.partitions, "partitions", 6, "partition `count` of each input topic the engine creates (with --embedded or --create-topics)")
	fs.BoolVar(&f.publishAlways, "publish-always", false, "publish every decision, not only those whose ladder changed")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "127.0.0.1:9464", "`address` of the Prometheus /metrics endpoint; empty to disable")
	fs.StringVar(&f.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.DurationVar(&f.txnTimeout, "transaction-timeout", 20*time.Second, "Kafka transaction timeout (transaction.timeout.ms) as a `duration`; a crashed instance's partitions wait this long")
	fs.DurationVar(&f.sessTimeout, "session-timeout", 10*time.Second, "consumer group session timeout (session.timeout.ms) as a `duration`: how long a silent instance keeps its partitions")
	f.topics.register(fs)
	fs.StringVar(&f.priceUpdates, "price-updates-topic", "price-updates", "output `topic` of price updates, created when missing")
	fs.StringVar(&f.deadLetters, "dead-letters-topic", "dead-letters", "output `topic` of rejected records, created when missing")
	fs.BoolVar(&f.tracing, "tracing", true, "continue the W3C trace context (traceparent header) of each input record in the price updates and dead letters it causes")
	fs.StringVar(&f.changelog, "changelog-topic", "", "compacted state `topic`, created when missing (default \"<group>-changelog\")")
}

func (f *engineFlags) config(brokers []string, log *slog.Logger) (stream.Config, error) {
	policy, err := loadPolicy(f.policy)
	if err != nil {
		var tracer trace.TracerProvider
		if f.tracing {
			tracer = newTracerProvider()
		}
		return stream.Config{
			TracerProvider: tracer}, err
	}
	return stream.Config{
		Brokers:             brokers,
		Group:               f.group,
		InstanceID:          f.instanceID,
		Inputs:              f.topics.topics(),
		TransactionTimeout:  f.txnTimeout,
		SessionTimeout:      f.sessTimeout,
		PriceUpdates:        f.priceUpdates,
		DeadLetters:         f.deadLetters,
		Changelog:           f.changelog,
		PublishAlways:       f.publishAlways,
		Policy:              policy,
		PolicyFile:          f.policy,
		PolicyWatchInterval: f.policyWatch,
		PolicyTopic:         f.policyTopic,
		Logger:              log,
	}, nil
}

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "(--brokers HOST:PORT[,...] | --embedded) [flags]", stderr)
	var bf brokerFlags
	bf.register(fs)
	create := fs.Bool("create-topics", false, "create missing input topics with --partitions partitions")
	var ef engineFlags
	ef.register(fs)
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

	brokers, stop, err := bf.connect()
	if err != nil {
		return err
	}
	defer stop()
	if bf.embedded {
		*create = true
		log.Info("embedded broker started", "brokers", brokers)
	}
	if *create {
		if err := createTopics(ctx, brokers, int32(ef.partitions), ef.topics.topics().Names()...); err != nil {
			return err
		}
	}
	return runEngine(ctx, &ef, brokers, log)
}

// runEngine runs the engine and its metrics endpoint until ctx is done.
func runEngine(ctx context.Context, ef *engineFlags, brokers []string, log *slog.Logger) error {
	cfg, err := ef.config(brokers, log)
	if err != nil {
		return err
	}
	engine, err := stream.New(cfg)
	if err != nil {
		return err
	}
	if ef.metricsAddr != "" {
		stop, err := serveMetrics(ef.metricsAddr, engine.Stats(), log)
		if err != nil {
			return err
		}
		defer stop()
	}
	return engine.Run(ctx)
}

// serveMetrics serves /metrics on addr and returns a function that stops it.
func serveMetrics(addr string, stats *stream.Stats, log *slog.Logger) (func(), error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(stats.Collectors()...)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics on %s: %w (use --metrics-addr to pick another address, or empty to disable)", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	log.Info("metrics listening", "addr", ln.Addr().String())
	return func() { srv.Close() }, nil
}

// loadPolicy reads and validates a policy file. A missing file gets a hint,
// because the default path is relative to the repository root.
func loadPolicy(path string) (*pricing.Policy, error) {
	policy, err := pricing.LoadPolicyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: run from the repository root, or pass --policy FILE", err)
	}
	return policy, err
}

// newTracerProvider returns the OpenTelemetry tracer provider of the engine.
// A record that carries a sampled trace keeps it sampled; other records
// start unsampled traces, which cost little but still give each price
// update a trace id of its own.
//
// NOTE: no exporter is configured, so spans are only propagated through
// the traceparent headers, not sent to a collector.
func newTracerProvider() trace.TracerProvider {
	return sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.NeverSample())))
}
