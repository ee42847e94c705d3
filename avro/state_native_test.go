package avro

// The goavro encoding of a changelog record, kept as the reference that the
// hand-written encoder in state_binary.go is tested against.

import (
	"fmt"
	"maps"
	"slices"

	"github.com/fareflow/fareflow/inventory"
)

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
