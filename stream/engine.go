package stream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/state"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/plugin/kotel"
	"go.opentelemetry.io/otel/propagation"
)

// Engine consumes the input topics in a consumer group and prices every
// event exactly once. Create it with New and run it with Run.
type Engine struct {
	cfg     Config
	log     *slog.Logger
	catalog *avro.Catalog
	kinds   map[string][]inventory.Kind
	proc    *Processor
	policy  *policyHolder
	// deadLetterLog logs at most one dead-lettered record per reason per
	// second; the metrics count them all.
	deadLetterLog *logLimiter
	tracer        *kotel.Tracer // nil when tracing is off

	partitions int32 // partition count of every input topic

	// mu guards assigned and generation, which the group's rebalance
	// callbacks set while the loop runs.
	mu         sync.Mutex
	assigned   []int32
	generation int

	// Owned by the loop goroutine.
	seenGeneration int
	states         map[int32]*state.Partition
}

// New validates cfg and returns an engine. It does not connect.
func New(cfg Config) (*Engine, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("invalid stream configuration: %w", err)
	}
	catalog, err := avro.NewCatalog()
	if err != nil {
		return nil, err
	}
	var tracer *kotel.Tracer
	if cfg.TracerProvider != nil {
		tracer = kotel.NewTracer(
			kotel.TracerProvider(cfg.TracerProvider),
			kotel.TracerPropagator(propagation.TraceContext{}),
			kotel.ConsumerGroup(cfg.Group),
		)
	}
	return &Engine{
		tracer:  tracer,
		cfg:     cfg,
		log:     cfg.Logger.With("instance", cfg.InstanceID),
		catalog: catalog,
		kinds:   cfg.Inputs.kinds(),
		proc:    NewProcessor(cfg.Policy, cfg.PublishAlways, cfg.Stats, cfg.Logger.With("instance", cfg.InstanceID)),
		states:  make(map[int32]*state.Partition),
		policy:  newPolicyHolder(cfg.Policy, cfg.Logger, cfg.Stats),

		deadLetterLog: newLogLimiter(time.Second),
	}, nil
}

// Stats returns the engine's counters.
func (e *Engine) Stats() *Stats { return e.cfg.Stats }

// Run checks the topics, joins the group and processes records until ctx
// is cancelled or a fatal error occurs. It blocks. On cancellation it aborts
// the open transaction, leaves the group and returns nil.
func (e *Engine) Run(ctx context.Context) error {
	if err := e.prepareTopics(ctx); err != nil {
		return err
	}

	ctx, stopSources := context.WithCancel(ctx)
	var sources sync.WaitGroup
	defer sources.Wait()
	defer stopSources()
	if e.cfg.PolicyFile != "" {
		// NOTE: the hash is taken now, after the caller loaded the file, so
		// a change in between is seen only at its next change.
		last := fileHash(e.cfg.PolicyFile)
		sources.Go(func() { e.policy.watchFile(ctx, e.cfg.PolicyFile, e.cfg.PolicyWatchInterval, last) })
	}
	if e.cfg.PolicyTopic != "" {
		sources.Go(func() {
			if err := e.policy.readTopic(ctx, e.cfg.Brokers, e.cfg.PolicyTopic); err != nil {
				e.log.Error("policy topic reader stopped", "err", err)
			}
		})
	}

	e.log.Info("stream started", "group", e.cfg.Group,
		"inputs", e.cfg.Inputs.Names(), "partitions", e.partitions, "policy_version", e.cfg.Policy.Version())

	// A session that fails, for example when the broker restarts while a
	// transaction ends, is replaced by a new one. Its transactional id
	// fences the old producer and aborts whatever that left open, and the
	// rebalance restores every partition from the changelog. A fenced
	// instance, or one that keeps failing, stops.
	failures := 0
	for {
		started := time.Now()
		err := e.runSession(ctx)
		if err == nil || ctx.Err() != nil {
			e.log.Info("stream stopping")
			return nil
		}
		if isFatal(err) {
			e.log.Error("stream stopped", "err", err)
			return err
		}
		if time.Since(started) > time.Minute {
			failures = 0
		}
		failures++
		if failures > maxSessionFailures {
			return fmt.Errorf("stream failed %d times in a row: %w", failures, err)
		}
		backoff := time.Duration(failures) * time.Second
		e.log.Error("stream session failed; starting a new one", "err", err, "attempt", failures, "backoff", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
	}
}

// maxSessionFailures bounds how many sessions in a row may fail within a
// minute of starting before the engine gives up.
const maxSessionFailures = 5

// isFatal reports whether err means this instance must stop: another
// instance took over its transactional id, or it is not authorized.
func isFatal(err error) bool {
	for _, fatal := range []error{
		kerr.ProducerFenced, kerr.InvalidProducerEpoch, kerr.TransactionalIDAuthorizationFailed,
		kerr.GroupAuthorizationFailed, kerr.TopicAuthorizationFailed, kerr.ClusterAuthorizationFailed,
	} {
		if errors.Is(err, fatal) {
			return true
		}
	}
	return false
}

// runSession joins the group with a new transaction session and processes
// polls until ctx ends (nil) or a transaction fails (the error).
func (e *Engine) runSession(ctx context.Context) error {
	sess, err := kgo.NewGroupTransactSession(e.clientOpts()...)
	if err != nil {
		return fmt.Errorf("create group transaction session: %w", err)
	}
	defer sess.Close()

	// The states belong to the previous session's assignment; the new one
	// restores whatever it is assigned.
	e.mu.Lock()
	e.assigned = nil
	e.generation++
	e.mu.Unlock()
	clear(e.states)

	for {
		// While an owned partition has not applied the policy in force (a
		// new version, or an aborted attempt), transact again at once
		// instead of waiting for records.
		var fetches kgo.Fetches
		if len(e.stalePolicy(e.policy.Current())) == 0 {
			fetches = e.poll(ctx, sess)
		}
		if ctx.Err() != nil {
			return nil
		}
		if fetches.IsClientClosed() {
			return errors.New("kafka client closed")
		}
		if err := e.transact(ctx, sess, fetches); err != nil {
			return err
		}
	}
}

// poll waits for records, or for a new policy version, which needs a
// transaction of its own even when no record arrives.
func (e *Engine) poll(ctx context.Context, sess *kgo.GroupTransactSession) kgo.Fetches {
	pollCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-e.policy.changed:
			cancel()
		case <-pollCtx.Done():
		}
	}()

	fetches := sess.PollFetches(pollCtx)
	fetches.EachError(func(topic string, p int32, err error) {
		if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			e.log.Warn("fetch failed", "topic", topic, "partition", p, "err", err)
		}
	})
	return fetches
}

func (e *Engine) prepareTopics(ctx context.Context) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(e.cfg.Brokers...))
	if err != nil {
		return fmt.Errorf("connect to %v: %w", e.cfg.Brokers, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)

	e.partitions, err = checkInputs(ctx, adm, e.cfg.Inputs.Names())
	if err != nil {
		return err
	}
	if e.cfg.PolicyTopic != "" {
		if err := EnsurePolicyTopic(ctx, adm, e.cfg.PolicyTopic); err != nil {
			return err
		}
	}
	return ensureOutputs(ctx, adm, &e.cfg, e.partitions)
}

func (e *Engine) clientOpts() []kgo.Opt {
	opts := []kgo.Opt{
		kgo.SeedBrokers(e.cfg.Brokers...),
		kgo.ConsumerGroup(e.cfg.Group),
		kgo.ConsumeTopics(e.cfg.Inputs.Names()...),
		kgo.TransactionalID(e.cfg.Group + "-" + e.cfg.InstanceID),
		kgo.TransactionTimeout(e.cfg.TransactionTimeout),
		kgo.SessionTimeout(e.cfg.SessionTimeout),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.RequireStableFetchOffsets(),
		kgo.Balancers(copartitionBalancer{}),
		kgo.RecordPartitioner(outputPartitioner(e.cfg.Changelog)),
		kgo.OnPartitionsAssigned(e.onAssigned),
		kgo.OnPartitionsRevoked(e.onRevoked),
		kgo.OnPartitionsLost(e.onRevoked),
		kgo.WithLogger(slogAdapter{e.log}),
	}
	if e.tracer != nil {
		opts = append(opts, kgo.WithHooks(e.tracer))
	}
	return opts
}

// onAssigned records the new assignment. The balancer is eager, so this is
// the whole assignment, and every rebalance revoked the old one first.
func (e *Engine) onAssigned(_ context.Context, _ *kgo.Client, assigned map[string][]int32) {
	var numbers []int32
	for _, ps := range assigned {
		for _, p := range ps {
			if !slices.Contains(numbers, p) {
				numbers = append(numbers, p)
			}
		}
	}
	slices.Sort(numbers)

	e.mu.Lock()
	e.assigned = numbers
	e.generation++
	e.mu.Unlock()
	e.log.Info("partitions assigned", "partitions", numbers)
	if e.cfg.Hooks.OnAssigned != nil {
		e.cfg.Hooks.OnAssigned(assigned)
	}
}

func (e *Engine) onRevoked(_ context.Context, _ *kgo.Client, revoked map[string][]int32) {
	e.mu.Lock()
	e.assigned = nil
	e.generation++
	e.mu.Unlock()
	e.log.Info("partitions revoked", "revoked", revoked)
}

// syncAssignment drops the state of every partition after a rebalance and
// restores the assigned ones from the changelog. Another instance may have
// owned a partition in between, so even a partition this instance kept is
// read again.
func (e *Engine) syncAssignment(ctx context.Context) error {
	e.mu.Lock()
	generation, assigned := e.generation, slices.Clone(e.assigned)
	e.mu.Unlock()
	if generation == e.seenGeneration {
		return nil
	}

	clear(e.states)
	if len(assigned) > 0 {
		restored, err := e.restore(ctx, assigned)
		if err != nil {
			return err
		}
		e.states = restored
	}
	e.seenGeneration = generation
	return nil
}
