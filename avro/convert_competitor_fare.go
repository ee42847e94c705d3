package avro

import (
	"github.com/fareflow/fareflow/inventory"
)

// competitorFareToNative converts a quote for the CompetitorFare record,
// which the event, the price update and the quote board share. path prefixes
// the field names in errors.
func competitorFareToNative(path string, c *inventory.CompetitorFare) (map[string]any, error) {
	var w nativeWriter
	m := map[string]any{
		"event_id":    c.EventID,
		"market":      marketToNative(c.Route),
		"cabin":       c.Cabin,
		"carrier":     c.Carrier,
		"fare":        w.amount(path+"fare", c.Fare),
		"currency":    c.Currency,
		"observed_at": c.ObservedAt,
		"source":      c.Source,
	}
	return m, w.err
}

func competitorFareFromNative(v any) (*inventory.CompetitorFare, error) {
	r := newNativeReader(v)
	c := competitorFareFromReader(r)
	if *r.err != nil {
		return nil, *r.err
	}
	return &c, nil
}

func competitorFareFromReader(r nativeReader) inventory.CompetitorFare {
	return inventory.CompetitorFare{
		EventID:    r.str("event_id"),
		Route:      marketFromNative(r.record("market")),
		Cabin:      r.str("cabin"),
		Carrier:    r.str("carrier"),
		Fare:       r.amount("fare"),
		Currency:   r.str("currency"),
		ObservedAt: r.time("observed_at"),
		Source:     r.str("source"),
	}
}
