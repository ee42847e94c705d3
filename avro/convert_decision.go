package avro

import (
	"github.com/fareflow/fareflow/pricing"
)

func decisionFromNative(v any) (*pricing.Decision, error) {
	r := newNativeReader(v)
	d := &pricing.Decision{
		Flight:        flightFromNative(r.record("flight")),
		Cabin:         r.str("cabin"),
		Sequence:      r.long("sequence"),
		Currency:      r.str("currency"),
		Ladder:        ladderFromNative(r.records("ladder")),
		LoadFactor:    r.amount("load_factor"),
		Rules:         rulesFromNative(r.records("rules")),
		CauseEventID:  r.str("cause_event_id"),
		PolicyVersion: r.str("policy_version"),
		EventTime:     r.time("event_time"),
	}
	offeredFromNative(r, d)
	if quote, ok := r.optional("lowest_competitor"); ok {
		c := competitorFareFromReader(r.nested("lowest_competitor", quote))
		d.LowestCompetitor = &c
	}
	if *r.err != nil {
		return nil, *r.err
	}
	return d, nil
}

// offeredFromNative requires offered_class and offered_price to be both
// null or both set.
func offeredFromNative(r nativeReader, d *pricing.Decision) {
	class := r.optionalString("offered_class")
	price, hasPrice := r.optional("offered_price")
	if class == nil && !hasPrice {
		return
	}
	amount, err := amountFromNative("offered_price", price)
	switch {
	case class == nil:
		r.fail(fieldError("offered_price", amount.String(), "null when offered_class is null"))
		return
	case !hasPrice:
		r.fail(missingField("offered_price"))
		return
	case *class == "":
		r.fail(fieldError("offered_class", *class, "a class code, or null when every class is closed"))
		return
	}
	if err != nil {
		r.fail(err)
	}
	d.OfferedClass, d.OfferedPrice = *class, amount
}

func ladderFromNative(items []nativeReader) []pricing.ClassPrice {
	if items == nil {
		return nil
	}
	out := make([]pricing.ClassPrice, len(items))
	for i, item := range items {
		out[i] = pricing.ClassPrice{
			Class:     item.str("class"),
			BaseFare:  item.amount("base_fare"),
			Price:     item.amount("price"),
			Available: item.int("available"),
			Open:      item.boolean("open"),
		}
	}
	return out
}

func rulesFromNative(items []nativeReader) []pricing.AppliedRule {
	if items == nil {
		return nil
	}
	out := make([]pricing.AppliedRule, len(items))
	for i, item := range items {
		out[i] = pricing.AppliedRule{
			RuleID: item.str("rule_id"),
			Class:  item.str("class"),
			Effect: item.str("effect"),
			Before: item.amount("before"),
			After:  item.amount("after"),
		}
	}
	return out
}
