// Package stream runs Fareflow on Kafka: a consumer group over the input
// topics, ordered processing per partition, and exactly-once output. Each
// poll of records becomes one Kafka transaction that carries the price
// updates, the dead-letter records, the changelog records and the input
// offsets together.
package stream

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
	"go.opentelemetry.io/otel/trace"
)

// Topics names the input topics per event type. Give all three the same name
// for one topic carrying every type (one total order per partition), or three
// names for one topic each. The engine requires equal partition counts.
type Topics struct {
	Bookings        string // default "bookings"
	LoadFactors     string // default "load-factors"
	CompetitorFares string // default "competitor-fares"
}

// Single returns Topics with one topic carrying every event type.
func Single(topic string) Topics { return Topics{topic, topic, topic} }

// kinds maps each input topic to the event types it carries.
func (t Topics) kinds() map[string][]inventory.Kind {
	m := make(map[string][]inventory.Kind, 3)
	m[t.Bookings] = append(m[t.Bookings], inventory.KindBooking)
	m[t.LoadFactors] = append(m[t.LoadFactors], inventory.KindLoadFactor)
	m[t.CompetitorFares] = append(m[t.CompetitorFares], inventory.KindCompetitorFare)
	return m
}

// Names returns the distinct input topic names.
func (t Topics) Names() []string {
	var names []string
	for _, n := range []string{t.Bookings, t.LoadFactors, t.CompetitorFares} {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// Config configures an Engine. Zero fields take the documented defaults.
type Config struct {
	Brokers []string // seed brokers, host:port; required
	Group   string   // consumer group id; default "fareflow"
	// InstanceID names this instance in its transactional id
	// ("<Group>-<InstanceID>"): two live instances with one id fence each
	// other. Default: the host name and process id.
	InstanceID string

	Inputs       Topics
	PriceUpdates string // default "price-updates"
	DeadLetters  string // default "dead-letters"
	Changelog    string // compacted; default "<Group>-changelog"

	// TransactionTimeout bounds how long a transaction may stay open
	// (Kafka's transaction.timeout.ms); a crashed instance's partitions
	// wait this long before another instance can read their offsets.
	// Default 20s.
	TransactionTimeout time.Duration
	// SessionTimeout is the group session timeout (session.timeout.ms).
	// Default 10s.
	SessionTimeout time.Duration

	// PublishAlways publishes every decision, not only changed ladders.
	PublishAlways bool

	// Policy is the policy in force at start-up; required.
	// TracerProvider, when set, traces every record. A price update or dead
	// letter continues the W3C trace context (the traceparent header) of
	// the input record that caused it, with a span of its own. An input
	// without a valid one starts a new trace. Nil turns tracing off.
	TracerProvider trace.TracerProvider

	Policy *pricing.Policy
	// PolicyFile, when set, is re-read every PolicyWatchInterval (default
	// 2s), and a changed, valid file replaces the policy in force.
	PolicyFile          string
	PolicyWatchInterval time.Duration
	// PolicyTopic, when set, is a compacted topic of policy versions that
	// every instance reads in full; it is created when missing.
	PolicyTopic string

	Logger *slog.Logger // default: discard
	Stats  *Stats       // default: a new one, see Engine.Stats

	// Hooks let tests watch and disturb the stream; nil fields do nothing.
	Hooks Hooks
}

// Hooks are called from the stream loop and must not block.
type Hooks struct {
	// OnAssigned receives the partitions of each input topic assigned to
	// this instance after each rebalance.
	OnAssigned func(assigned map[string][]int32)
	// AbortTransaction, when it returns true, makes the loop abort the
	// transaction instead of committing it.
	AbortTransaction func(partitions []int32) bool
	// BeforeEnd runs just before a transaction ends; it may block, to
	// stand for slow processing.
	BeforeEnd func()
}

func (c *Config) setDefaults() {
	if c.Group == "" {
		c.Group = "fareflow"
	}
	if c.InstanceID == "" {
		host, _ := os.Hostname()
		c.InstanceID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if c.Inputs.Bookings == "" {
		c.Inputs.Bookings = "bookings"
	}
	if c.Inputs.LoadFactors == "" {
		c.Inputs.LoadFactors = "load-factors"
	}
	if c.Inputs.CompetitorFares == "" {
		c.Inputs.CompetitorFares = "competitor-fares"
	}
	if c.PriceUpdates == "" {
		c.PriceUpdates = "price-updates"
	}
	if c.DeadLetters == "" {
		c.DeadLetters = "dead-letters"
	}
	if c.Changelog == "" {
		c.Changelog = c.Group + "-changelog"
	}
	if c.TransactionTimeout == 0 {
		c.TransactionTimeout = 20 * time.Second
	}
	if c.SessionTimeout == 0 {
		c.SessionTimeout = 10 * time.Second
	}
	if c.PolicyWatchInterval == 0 {
		c.PolicyWatchInterval = 2 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Stats == nil {
		c.Stats = new(Stats)
	}
}

// validate reports every problem of the configuration at once.
func (c *Config) validate() error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, errors.New("no brokers: set at least one host:port"))
	}
	if c.Policy == nil {
		errs = append(errs, errors.New("no pricing policy"))
	}
	inputs := map[string]bool{}
	for _, n := range c.Inputs.Names() {
		inputs[n] = true
	}
	for _, out := range []string{c.PriceUpdates, c.DeadLetters, c.Changelog, c.PolicyTopic} {
		if inputs[out] {
			errs = append(errs, fmt.Errorf("topic %q is both an input and an output topic", out))
		}
	}
	if c.TransactionTimeout < time.Second {
		errs = append(errs, fmt.Errorf("transaction timeout %v: want 1s or more", c.TransactionTimeout))
	}
	return errors.Join(errs...)
}
