package avro

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/fareflow/fareflow/inventory"
)

// StateRecord is one record of the state changelog. Exactly one field is
// set.
type StateRecord struct {
	Cabin  *inventory.Cabin
	Quotes *inventory.QuoteBoard
	Meta   *PartitionMeta
}

// PartitionMeta is the metadata of one state partition: the policy version
// its state was last priced with.
type PartitionMeta struct {
	PolicyVersion     string
	PolicyEffectiveAt time.Time
}

func stateToNative(s StateRecord) (map[string]any, error) {
	set := 0
	for _, isSet := range []bool{s.Cabin != nil, s.Quotes != nil, s.Meta != nil} {
		if isSet {
			set++
		}
	}
	if set != 1 {
		return nil, fmt.Errorf("invalid state record with %d fields set: set exactly one of Cabin, Quotes and Meta", set)
	}

	var value map[string]any
	var err error
	switch {
	case s.Cabin != nil:
		value = union(recordName("CabinState"), cabinToNative(s.Cabin))
	case s.Quotes != nil:
		var board map[string]any
		board, err = quoteBoardToNative(s.Quotes)
		value = union(recordName("QuoteBoard"), board)
	default:
		value = union(recordName("PartitionMeta"), map[string]any{
			"policy_version":      s.Meta.PolicyVersion,
			"policy_effective_at": s.Meta.PolicyEffectiveAt,
		})
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"value": value}, nil
}

// cabinToNative writes the cabin's maps as arrays sorted by key, so the same
// state always gives the same bytes.
func cabinToNative(c *inventory.Cabin) map[string]any {
	var snapshot any
	if s := c.Snapshot; s != nil {
		snapshot = union(recordName("Snapshot"), map[string]any{
			"event_id":            s.EventID,
			"as_of":               s.AsOf,
			"physical_capacity":   int32(s.PhysicalCapacity),
			"authorized_capacity": int32(s.AuthorizedCapacity),
			"seats_sold":          int32(s.SeatsSold),
			"sold_by_class":       soldByClassToNative(s.SoldByClass),
			"forecast":            forecastToNative(s.Forecast),
		})
	}

	holdings := make([]any, 0, len(c.Holdings))
	for _, id := range slices.Sorted(maps.Keys(c.Holdings)) {
		h := c.Holdings[id]
		holdings = append(holdings, map[string]any{"booking_id": id, "class": h.Class, "seats": int32(h.Seats)})
	}
	settled := make([]inventory.ClassSeats, 0, len(c.Settled))
	for _, class := range slices.Sorted(maps.Keys(c.Settled)) {
		settled = append(settled, inventory.ClassSeats{Class: class, Seats: c.Settled[class]})
	}
	pending := make([]any, len(c.Pending))
	for i, d := range c.Pending {
		pending[i] = map[string]any{"event_time": d.EventTime, "class": d.Class, "seats": int32(d.Seats)}
	}
	seen := make([]any, 0, len(c.Seen))
	for _, id := range slices.Sorted(maps.Keys(c.Seen)) {
		seen = append(seen, id)
	}

	return map[string]any{
		"flight":      flightToNative(c.Flight),
		"name":        c.Name,
		"snapshot":    snapshot,
		"holdings":    holdings,
		"settled":     classSeatsToNative(settled),
		"pending":     pending,
		"seen":        seen,
		"sequence":    c.Sequence,
		"last_ladder": int64(c.LastLadder),
	}
}

func quoteBoardToNative(q *inventory.QuoteBoard) (map[string]any, error) {
	quotes := make([]any, len(q.Quotes))
	for i := range q.Quotes {
		quote, err := competitorFareToNative(fmt.Sprintf("quotes[%d].", i), &q.Quotes[i])
		if err != nil {
			return nil, err
		}
		quotes[i] = quote
	}
	return map[string]any{"market": marketToNative(q.Route), "cabin": q.Cabin, "quotes": quotes}, nil
}

func stateFromNative(v any) (StateRecord, error) {
	r := newNativeReader(v)
	branch, value := r.union("value")
	if *r.err != nil {
		return StateRecord{}, *r.err
	}

	var s StateRecord
	switch branch {
	case recordName("CabinState"):
		s.Cabin = cabinFromNative(r.nested("value", value))
	case recordName("QuoteBoard"):
		s.Quotes = quoteBoardFromNative(r.nested("value", value))
	case recordName("PartitionMeta"):
		meta := r.nested("value", value)
		s.Meta = &PartitionMeta{PolicyVersion: meta.str("policy_version"), PolicyEffectiveAt: meta.time("policy_effective_at")}
	default:
		r.fail(fieldError("value", branch, "a CabinState, QuoteBoard or PartitionMeta record"))
	}
	if *r.err != nil {
		return StateRecord{}, *r.err
	}
	return s, nil
}

// cabinFromNative always returns writable, non-nil maps, even when empty.
func cabinFromNative(r nativeReader) *inventory.Cabin {
	c := inventory.NewCabin(flightFromNative(r.record("flight")), r.str("name"))
	if snapshot, ok := r.optional("snapshot"); ok {
		s := r.nested("snapshot", snapshot)
		c.Snapshot = &inventory.Snapshot{
			EventID:            s.str("event_id"),
			AsOf:               s.time("as_of"),
			PhysicalCapacity:   s.int("physical_capacity"),
			AuthorizedCapacity: s.int("authorized_capacity"),
			SeatsSold:          s.int("seats_sold"),
			SoldByClass:        soldByClassFromNative(s, "sold_by_class"),
			Forecast:           forecastFromNative(s, "forecast"),
		}
	}
	for _, h := range r.records("holdings") {
		c.Holdings[h.str("booking_id")] = inventory.Holding{Class: h.str("class"), Seats: h.int("seats")}
	}
	for _, cs := range classSeatsFromNative(r.records("settled")) {
		c.Settled[cs.Class] = cs.Seats
	}
	for _, d := range r.records("pending") {
		c.Pending = append(c.Pending, inventory.Delta{EventTime: d.time("event_time"), Class: d.str("class"), Seats: d.int("seats")})
	}
	for i, id := range typed[[]any](r, "seen") {
		s, ok := id.(string)
		if !ok {
			r.fail(typeError(fmt.Sprintf("%s[%d]", r.name("seen"), i), id, "a string"))
		}
		c.Seen[s] = struct{}{}
	}
	c.Sequence = r.long("sequence")
	c.LastLadder = uint64(r.long("last_ladder"))
	return c
}

func quoteBoardFromNative(r nativeReader) *inventory.QuoteBoard {
	q := &inventory.QuoteBoard{Route: marketFromNative(r.record("market")), Cabin: r.str("cabin")}
	for _, quote := range r.records("quotes") {
		q.Quotes = append(q.Quotes, competitorFareFromReader(quote))
	}
	return q
}
