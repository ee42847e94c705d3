package avro

import (
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
)

// appendDecision writes the body of a price update in the field order of
// price_update.avsc. Keep the two in step: TestDecisionBinaryMatchesGoavro
// compares it with goavro's encoding of the same decision.
func appendDecision(buf []byte, d *pricing.Decision) ([]byte, error) {
	w := binaryWriter{buf: buf}
	appendFlight(&w, d.Flight)
	w.string(d.Cabin)
	w.long(d.Sequence)
	if d.OfferedClass == "" {
		if !d.OfferedPrice.IsZero() {
			return nil, fieldError("offered_price", d.OfferedPrice.String(), "zero when offered_class is empty")
		}
		w.long(0) // offered_class: null
		w.long(0) // offered_price: null
	} else {
		w.long(1)
		w.string(d.OfferedClass)
		w.long(1)
		w.amount("offered_price", d.OfferedPrice)
	}
	w.string(d.Currency)

	w.arrayStart(len(d.Ladder))
	for i := range d.Ladder {
		p := &d.Ladder[i]
		w.string(p.Class)
		w.amountItem("ladder", i, "base_fare", p.BaseFare)
		w.amountItem("ladder", i, "price", p.Price)
		w.int(int32(p.Available))
		w.boolean(p.Open)
	}
	w.arrayEnd()

	w.amount("load_factor", d.LoadFactor)
	if c := d.LowestCompetitor; c == nil {
		w.long(0)
	} else {
		w.long(1)
		appendCompetitorFare(&w, "lowest_competitor.fare", c)
	}

	w.arrayStart(len(d.Rules))
	for i := range d.Rules {
		r := &d.Rules[i]
		w.string(r.RuleID)
		w.string(r.Class)
		w.string(r.Effect)
		w.amountItem("rules", i, "before", r.Before)
		w.amountItem("rules", i, "after", r.After)
	}
	w.arrayEnd()

	w.string(d.CauseEventID)
	w.string(d.PolicyVersion)
	w.timestamp(d.EventTime)
	return w.buf, w.err
}

func appendFlight(w *binaryWriter, f inventory.Flight) {
	w.string(f.Carrier)
	w.string(f.Number)
	w.string(f.Origin)
	w.string(f.Destination)
	w.date(f.Date)
	w.string(f.OriginTimeZone)
}

// appendCompetitorFare writes a quote; fareField names its fare in errors.
func appendCompetitorFare(w *binaryWriter, fareField string, c *inventory.CompetitorFare) {
	w.string(c.EventID)
	appendMarket(w, c.Route)
	w.string(c.Cabin)
	w.string(c.Carrier)
	w.amount(fareField, c.Fare)
	w.string(c.Currency)
	w.timestamp(c.ObservedAt)
	w.string(c.Source)
}
