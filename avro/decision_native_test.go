package avro

// The goavro encoding of a price update, kept as the reference that the
// hand-written encoder in decision_binary.go is tested against.

import (
	"fmt"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
)

func decisionToNative(d *pricing.Decision) (map[string]any, error) {
	var w nativeWriter
	offeredClass, offeredPrice, err := offeredToNative(&w, d)
	if err != nil {
		return nil, err
	}
	lowest, err := lowestCompetitorToNative(d.LowestCompetitor)
	if err != nil {
		return nil, err
	}
	m := map[string]any{
		"flight":            flightToNative(d.Flight),
		"cabin":             d.Cabin,
		"sequence":          d.Sequence,
		"offered_class":     offeredClass,
		"offered_price":     offeredPrice,
		"currency":          d.Currency,
		"ladder":            ladderToNative(&w, d.Ladder),
		"load_factor":       w.amount("load_factor", d.LoadFactor),
		"lowest_competitor": lowest,
		"rules":             rulesToNative(&w, d.Rules),
		"cause_event_id":    d.CauseEventID,
		"policy_version":    d.PolicyVersion,
		"event_time":        d.EventTime,
	}
	return m, w.err
}

// offeredToNative encodes an empty offered class as null and then requires
// a zero price, which is null too. A set class keeps its price even when
// that is zero.
func offeredToNative(w *nativeWriter, d *pricing.Decision) (class, price any, err error) {
	if d.OfferedClass == "" {
		if !d.OfferedPrice.IsZero() {
			return nil, nil, fieldError("offered_price", d.OfferedPrice.String(), "zero when offered_class is empty")
		}
		return nil, nil, nil
	}
	return union(unionString, d.OfferedClass), union(unionDecimal, w.amount("offered_price", d.OfferedPrice)), nil
}

func lowestCompetitorToNative(c *inventory.CompetitorFare) (any, error) {
	if c == nil {
		return nil, nil
	}
	m, err := competitorFareToNative("lowest_competitor.", c)
	if err != nil {
		return nil, err
	}
	return union(recordName("CompetitorFare"), m), nil
}

func ladderToNative(w *nativeWriter, ladder []pricing.ClassPrice) []any {
	items := make([]any, len(ladder))
	for i, p := range ladder {
		path := fmt.Sprintf("ladder[%d].", i)
		items[i] = map[string]any{
			"class":     p.Class,
			"base_fare": w.amount(path+"base_fare", p.BaseFare),
			"price":     w.amount(path+"price", p.Price),
			"available": int32(p.Available),
			"open":      p.Open,
		}
	}
	return items
}

func rulesToNative(w *nativeWriter, rules []pricing.AppliedRule) []any {
	items := make([]any, len(rules))
	for i, rule := range rules {
		path := fmt.Sprintf("rules[%d].", i)
		items[i] = map[string]any{
			"rule_id": rule.RuleID,
			"class":   rule.Class,
			"effect":  rule.Effect,
			"before":  w.amount(path+"before", rule.Before),
			"after":   w.amount(path+"after", rule.After),
		}
	}
	return items
}
