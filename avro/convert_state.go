package avro

import (
	"fmt"
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
