package avro

import (
	"encoding/json"
	"fmt"

	"github.com/fareflow/fareflow/pricing"
	"github.com/shopspring/decimal"
)

// decisionJSON is the canonical JSON of a price update. Its field order is
// the struct's, so the same decision always gives the same bytes.
type decisionJSON struct {
	Flight           *flightJSON         `json:"flight"`
	Cabin            *string             `json:"cabin"`
	Sequence         *int64              `json:"sequence"`
	OfferedClass     *string             `json:"offered_class"` // null when every class is closed
	OfferedPrice     json.RawMessage     `json:"offered_price"` // null when every class is closed
	Currency         *string             `json:"currency"`
	Ladder           *[]classPriceJSON   `json:"ladder"`
	LoadFactor       json.RawMessage     `json:"load_factor"`
	LowestCompetitor *competitorFareJSON `json:"lowest_competitor"` // null when no valid quote
	Rules            *[]appliedRuleJSON  `json:"rules"`
	CauseEventID     *string             `json:"cause_event_id"`
	PolicyVersion    *string             `json:"policy_version"`
	EventTime        *string             `json:"event_time"`
}

type classPriceJSON struct {
	Class     *string         `json:"class"`
	BaseFare  json.RawMessage `json:"base_fare"`
	Price     json.RawMessage `json:"price"`
	Available *int            `json:"available"`
	Open      *bool           `json:"open"`
}

type appliedRuleJSON struct {
	RuleID *string         `json:"rule_id"`
	Class  *string         `json:"class"`
	Effect *string         `json:"effect"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// loadFactorPlaces is the number of fractional digits of the load factor
// percentage in JSON.
const loadFactorPlaces = 2

// DecisionJSON writes the canonical JSON of a price update: fixed field
// order, prices as strings with exactly the currency's minor digits (by
// pricing.FormatAmount), the load factor with two decimal places and the
// event time in RFC 3339 UTC. The same decision always gives the same bytes.
//
// The amounts before and after each rule step keep any digits beyond the
// currency's minor unit, because the steps before the final rounding have
// them: a rounding step reads "487.4375" to "487.44".
func DecisionJSON(d *pricing.Decision) ([]byte, error) {
	if d == nil {
		return nil, invalidJSON(fmt.Errorf("nil decision"))
	}
	if err := validateDecision(d); err != nil {
		return nil, invalidJSON(err)
	}
	out := decisionJSON{
		Flight:        flightToJSON(d.Flight),
		Cabin:         ptr(d.Cabin),
		Sequence:      ptr(d.Sequence),
		Currency:      ptr(d.Currency),
		Ladder:        ptr(ladderToJSON(d)),
		LoadFactor:    quoteAmount(d.LoadFactor.StringFixed(loadFactorPlaces)),
		Rules:         ptr(rulesToJSON(d)),
		CauseEventID:  ptr(d.CauseEventID),
		PolicyVersion: ptr(d.PolicyVersion),
		EventTime:     ptr(formatTime(d.EventTime)),
	}
	if d.OfferedClass != "" {
		out.OfferedClass = ptr(d.OfferedClass)
		out.OfferedPrice = quoteAmount(pricing.FormatAmount(d.OfferedPrice, d.Currency))
	}
	if c := d.LowestCompetitor; c != nil {
		out.LowestCompetitor = competitorFareToJSON(c)
		out.LowestCompetitor.Fare = quoteAmount(pricing.FormatAmount(c.Fare, c.Currency))
	}
	return json.Marshal(&out)
}

// ladderToJSON never returns nil, so an empty ladder is written as [].
func ladderToJSON(d *pricing.Decision) []classPriceJSON {
	out := make([]classPriceJSON, len(d.Ladder))
	for i, p := range d.Ladder {
		out[i] = classPriceJSON{
			Class:     ptr(p.Class),
			BaseFare:  quoteAmount(pricing.FormatAmount(p.BaseFare, d.Currency)),
			Price:     quoteAmount(pricing.FormatAmount(p.Price, d.Currency)),
			Available: ptr(p.Available),
			Open:      ptr(p.Open),
		}
	}
	return out
}

// rulesToJSON never returns nil, so an empty list is written as [].
func rulesToJSON(d *pricing.Decision) []appliedRuleJSON {
	out := make([]appliedRuleJSON, len(d.Rules))
	for i, rule := range d.Rules {
		out[i] = appliedRuleJSON{
			RuleID: ptr(rule.RuleID),
			Class:  ptr(rule.Class),
			Effect: ptr(rule.Effect),
			Before: quoteAmount(formatEventAmount(rule.Before, d.Currency)),
			After:  quoteAmount(formatEventAmount(rule.After, d.Currency)),
		}
	}
	return out
}

// ParseDecisionJSON parses the JSON of a price update as DecisionJSON writes
// it. An empty ladder or rule list gives nil. Failures wrap ErrInvalidJSON.
func ParseDecisionJSON(data []byte) (*pricing.Decision, error) {
	var in decisionJSON
	if err := decodeStrict(data, &in); err != nil {
		return nil, invalidJSON(err)
	}

	var r jsonReader
	d := &pricing.Decision{
		Flight:        r.flight("flight", in.Flight),
		Cabin:         r.str("cabin", in.Cabin),
		Currency:      r.str("currency", in.Currency),
		LoadFactor:    r.amount("load_factor", in.LoadFactor),
		CauseEventID:  r.str("cause_event_id", in.CauseEventID),
		PolicyVersion: r.str("policy_version", in.PolicyVersion),
		EventTime:     r.time("event_time", in.EventTime),
	}
	if in.Sequence == nil {
		r.fail(missingField("sequence"))
	} else {
		d.Sequence = *in.Sequence
	}

	d.OfferedClass, d.OfferedPrice = r.offered(in.OfferedClass, in.OfferedPrice)
	d.Ladder = r.ladder(in.Ladder)
	d.Rules = r.rules(in.Rules)
	if in.LowestCompetitor != nil {
		c := r.competitorFare("lowest_competitor.", in.LowestCompetitor)
		d.LowestCompetitor = &c
	}

	if r.err == nil {
		r.err = validateDecision(d)
	}
	if r.err != nil {
		return nil, invalidJSON(r.err)
	}
	return d, nil
}

// offered requires offered_class and offered_price to be both null or both
// set.
func (r *jsonReader) offered(class *string, price json.RawMessage) (string, decimal.Decimal) {
	hasPrice := len(price) != 0 && string(price) != "null"
	switch {
	case class == nil && !hasPrice:
		return "", decimal.Decimal{}
	case class == nil:
		r.fail(fieldError("offered_price", string(price), "null when offered_class is null"))
		return "", decimal.Decimal{}
	}
	return *class, r.amount("offered_price", price)
}

func (r *jsonReader) ladder(in *[]classPriceJSON) []pricing.ClassPrice {
	if in == nil {
		r.fail(missingField("ladder"))
		return nil
	}
	if len(*in) == 0 {
		return nil
	}
	out := make([]pricing.ClassPrice, len(*in))
	for i, p := range *in {
		path := fmt.Sprintf("ladder[%d].", i)
		out[i] = pricing.ClassPrice{
			Class:     r.str(path+"class", p.Class),
			BaseFare:  r.amount(path+"base_fare", p.BaseFare),
			Price:     r.amount(path+"price", p.Price),
			Available: r.int(path+"available", p.Available),
		}
		if p.Open == nil {
			r.fail(missingField(path + "open"))
		} else {
			out[i].Open = *p.Open
		}
	}
	return out
}

func (r *jsonReader) rules(in *[]appliedRuleJSON) []pricing.AppliedRule {
	if in == nil {
		r.fail(missingField("rules"))
		return nil
	}
	if len(*in) == 0 {
		return nil
	}
	out := make([]pricing.AppliedRule, len(*in))
	for i, rule := range *in {
		path := fmt.Sprintf("rules[%d].", i)
		out[i] = pricing.AppliedRule{
			RuleID: r.str(path+"rule_id", rule.RuleID),
			Class:  r.str(path+"class", rule.Class),
			Effect: r.str(path+"effect", rule.Effect),
			Before: r.amount(path+"before", rule.Before),
			After:  r.amount(path+"after", rule.After),
		}
	}
	return out
}
