package stream

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/state"
)

// Processor applies events to a partition's state and prices the cabins
// they change. It uses no Kafka client, so `engine simulate` replays an
// event file through exactly the code the stream runs. Apply and
// ApplyPolicy may run concurrently on different partitions' states, as long
// as nothing calls SetPolicy meanwhile.
type Processor struct {
	policy        *pricing.Policy
	publishAlways bool
	stats         *Stats
	log           *slog.Logger
	// observe, when set, receives every published decision with the
	// input it was decided from.
	observe func(d *pricing.Decision, in pricing.Input)
}

// NewProcessor returns a processor pricing with policy. With publishAlways,
// every decision is published; otherwise only those whose ladder changed.
func NewProcessor(policy *pricing.Policy, publishAlways bool, stats *Stats, log *slog.Logger) *Processor {
	if stats == nil {
		stats = new(Stats)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Processor{policy: policy, publishAlways: publishAlways, stats: stats, log: log}
}

// Observe makes fn see every published decision with its input, for
// explanations. fn must not keep d or in past its return.
func (pr *Processor) Observe(fn func(d *pricing.Decision, in pricing.Input)) { pr.observe = fn }

// SetPolicy makes policy the one the processor prices with, without
// recording it in any partition; see ApplyPolicy.
func (pr *Processor) SetPolicy(policy *pricing.Policy) { pr.policy = policy }

// Policy returns the policy in force.
func (pr *Processor) Policy() *pricing.Policy { return pr.policy }

// Apply applies one event to the partition's open transaction and returns
// the price updates to publish, in order. An error means the event was
// rejected and changed nothing; the caller dead-letters it with the error.
func (pr *Processor) Apply(p *state.Partition, e inventory.Event) ([]pricing.Decision, error) {
	switch e := e.(type) {
	case *inventory.Booking:
		return pr.applyBooking(p, e)
	case *inventory.LoadFactor:
		return pr.applyLoadFactor(p, e)
	case *inventory.CompetitorFare:
		return pr.applyCompetitorFare(p, e)
	}
	return nil, fmt.Errorf("unsupported event type %T", e)
}

func (pr *Processor) applyBooking(p *state.Partition, b *inventory.Booking) ([]pricing.Decision, error) {
	// Judge before editing: a rejected event must leave no trace, not even
	// an empty cabin, and a duplicate need not copy the cabin. What is
	// left for ApplyBooking to reject needs a holding, so a cabin exists.
	if err := b.Check(); err != nil {
		return nil, err
	}
	key := state.CabinKey(b.Flight, b.Cabin)
	c := p.Cabin(key)
	if c == nil && b.Action == inventory.ActionCancel {
		return nil, fmt.Errorf("%w: booking %s on %s", inventory.ErrUnknownBooking, b.BookingID, key)
	}
	if c != nil {
		if _, seen := c.Seen[b.EventID]; seen {
			pr.stats.count(inventory.Duplicate)
			return nil, nil
		}
	}

	outcome, err := p.EditCabin(b.Flight, b.Cabin).ApplyBooking(b)
	if err != nil {
		return nil, err
	}
	pr.stats.count(outcome)
	if outcome != inventory.Applied {
		return nil, nil
	}
	return pr.priceCabins(p, []string{key}, b)
}

func (pr *Processor) applyLoadFactor(p *state.Partition, l *inventory.LoadFactor) ([]pricing.Decision, error) {
	if err := l.Check(); err != nil {
		return nil, err
	}
	key := state.CabinKey(l.Flight, l.Cabin)
	c := p.EditCabin(l.Flight, l.Cabin)
	outcome, err := c.ApplyLoadFactor(l)
	if err != nil {
		return nil, err
	}
	pr.stats.count(outcome)
	if outcome != inventory.Applied {
		return nil, nil
	}
	return pr.priceCabins(p, []string{key}, l)
}

func (pr *Processor) applyCompetitorFare(p *state.Partition, q *inventory.CompetitorFare) ([]pricing.Decision, error) {
	if err := pr.policy.CheckQuote(q); err != nil {
		return nil, err
	}
	outcome := p.EditBoard(q.Route, q.Cabin).Apply(q)
	pr.stats.count(outcome)
	if outcome != inventory.Applied {
		return nil, nil
	}
	return pr.priceCabins(p, p.CabinsOf(q.Route, q.Cabin), q)
}

// priceCabins decides every cabin in keys, in order, and returns the
// decisions to publish.
func (pr *Processor) priceCabins(p *state.Partition, keys []string, e inventory.Event) ([]pricing.Decision, error) {
	var out []pricing.Decision
	for _, key := range keys {
		d, ok := pr.decide(p, key, e.ID(), e.Time())
		if ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// decide prices one cabin and reports whether the decision is to be
// published, numbering it when it is.
func (pr *Processor) decide(p *state.Partition, key, causeID string, at time.Time) (pricing.Decision, bool) {
	c := p.Cabin(key)
	market := c.Flight.Market()
	if !pr.policy.Covers(market, c.Name) {
		pr.stats.NotCovered.Add(1)
		return pricing.Decision{}, false
	}
	seats, ok := c.Seats(pr.policy.Classes(market, c.Name))
	if !ok {
		pr.stats.Unpriced.Add(1)
		return pricing.Decision{}, false
	}
	if seats.SoldTotal > seats.AuthorizedCapacity {
		pr.stats.Oversold.Add(1)
		pr.log.Debug("cabin oversold", "cabin", key, "sold", seats.SoldTotal, "authorized", seats.AuthorizedCapacity)
	}

	var quotes []inventory.CompetitorFare
	if b := p.Board(market, c.Name); b != nil {
		quotes = b.Quotes
	}
	in := pricing.Input{
		Flight:       c.Flight,
		Cabin:        c.Name,
		Seats:        seats,
		Quotes:       quotes,
		EventTime:    at,
		CauseEventID: causeID,
	}
	d, err := pricing.Decide(pr.policy, in)
	if err != nil {
		// The event itself was valid and is applied; only its pricing
		// failed, so it is counted and logged rather than dead-lettered.
		pr.stats.PricingErrors.Add(1)
		pr.log.Warn("pricing failed", "cabin", key, "cause", causeID, "err", err)
		return pricing.Decision{}, false
	}
	pr.stats.Decisions.Add(1)

	fingerprint := d.LadderFingerprint()
	if !pr.publishAlways && fingerprint == c.LastLadder {
		return pricing.Decision{}, false
	}
	c = p.EditCabin(c.Flight, c.Name)
	c.Sequence++
	c.LastLadder = fingerprint
	d.Sequence = c.Sequence
	pr.stats.Published.Add(1)
	if pr.observe != nil {
		pr.observe(&d, in)
	}
	return d, true
}

// ApplyPolicy makes policy the one in force and, when the partition has not
// applied its version yet, records it in the partition's state and reprices
// every cabin it covers. Decisions caused by a policy carry its effective
// time and the cause id "policy/VERSION".
func (pr *Processor) ApplyPolicy(p *state.Partition, policy *pricing.Policy) []pricing.Decision {
	// Workers of one transaction share the processor; the engine sets the
	// policy before they start, so this write happens only offline.
	if pr.policy != policy {
		pr.policy = policy
	}
	if p.Meta().PolicyVersion == policy.Version() {
		return nil
	}
	p.SetMeta(state.Meta{PolicyVersion: policy.Version(), PolicyEffectiveAt: policy.EffectiveAt()})

	var out []pricing.Decision
	causeID := "policy/" + policy.Version()
	for _, key := range p.CabinKeys() {
		if d, ok := pr.decide(p, key, causeID, policy.EffectiveAt()); ok {
			out = append(out, d)
		}
	}
	return out
}
