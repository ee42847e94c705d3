package pricing

import (
	"math"

	"github.com/shopspring/decimal"
)

// rule is one compiled policy rule.
type rule struct {
	id       string
	priority int
	hasGap   bool // some condition is on competitor_gap
	// classes limits the rule to these booking classes. Nil means every
	// class of the cabins it applies to.
	classes    []string
	conditions []condition
	effect     effect
	min, max   *decimal.Decimal // per-rule bounds, nil when unset
}

// appliesTo reports whether the rule's class filter admits class.
func (r *rule) appliesTo(class string) bool {
	if r.classes == nil {
		return true
	}
	for _, c := range r.classes {
		if c == class {
			return true
		}
	}
	return false
}

// holdsFixed reports whether the rule's conditions on metrics other than
// competitor_gap hold. Those metrics are fixed for the whole decision.
func (r *rule) holdsFixed(f *facts) bool {
	for i := range r.conditions {
		c := &r.conditions[i]
		if c.metric == MetricCompetitorGap {
			continue
		}
		value, ok := f.value(c.metric)
		if !ok || !c.holds(value) {
			return false
		}
	}
	return true
}

// holdsGap reports whether the rule's competitor_gap conditions hold for
// the running price of the class being priced. It is false without a valid
// competitor fare.
func (r *rule) holdsGap(f *facts, running decimal.Decimal) bool {
	if !r.hasGap {
		return true
	}
	if !f.hasQuote {
		return false
	}
	gap := competitorGap(running, f.competitor)
	for i := range r.conditions {
		c := &r.conditions[i]
		if c.metric == MetricCompetitorGap && !c.holds(gap) {
			return false
		}
	}
	return true
}

// competitorGap returns (running − competitor) / competitor × 100 in
// hundredths of a percent, rounded half away from zero. competitor is above
// zero.
func competitorGap(running, competitor decimal.Decimal) int64 {
	// Fast path: both amounts as integers of one scale, divided in 128 bits.
	exp := min(running.Exponent(), competitor.Exponent())
	r, rOK := coefficient(running, exp)
	c, cOK := coefficient(competitor, exp)
	if rOK && cOK && c > 0 && abs(r) < math.MaxInt64/2 && c < math.MaxInt64/2 {
		if units, ok := ratioUnits(r-c, c, 4); ok {
			return units
		}
	}

	gap := running.Sub(competitor).Mul(hundred).DivRound(competitor, 2)
	if units, ok := toUnits(gap, 2); ok {
		return units
	}
	if gap.IsNegative() {
		return -unitBound
	}
	return unitBound
}

// bound clamps price to the rule's own min and max, returning the bound
// that applied ("min" or "max", "" when none did).
func (r *rule) bound(price decimal.Decimal) (decimal.Decimal, string) {
	if r.min != nil && compareAmounts(price, *r.min) < 0 {
		return *r.min, "min"
	}
	if r.max != nil && compareAmounts(price, *r.max) > 0 {
		return *r.max, "max"
	}
	return price, ""
}

// Metric names what a rule condition compares.
type Metric string

const (
	// MetricLoadFactor is seats sold over physical capacity in percent,
	// rounded to 2 places half up (the decision's LoadFactor).
	MetricLoadFactor Metric = "load_factor"
	// MetricDaysToDeparture is calendar days from the event's date to the
	// departure date, both in the origin's time zone.
	MetricDaysToDeparture Metric = "days_to_departure"
	// MetricPace is the load factor divided by the expected load factor at
	// this many days to departure, read off the policy's pace curve; 1 is on
	// plan. Rounded to 4 places half up.
	MetricPace Metric = "pace"
	// MetricSeatsLeft is R, authorized capacity minus seats sold, not below 0.
	MetricSeatsLeft Metric = "seats_left"
	// MetricCompetitorGap is how far the running price of the class being
	// priced lies above the lowest valid competitor fare, in percent of that
	// fare: (running − competitor) / competitor × 100, rounded to 2 places
	// with halves away from zero. Negative when the class is cheaper. A
	// condition on it is false when there is no valid competitor fare.
	MetricCompetitorGap Metric = "competitor_gap"
)

// condition compares one metric, in the metric's units (see Metric.places),
// with inclusive bounds: at_or_above sets only low, at_or_below only high.
type condition struct {
	metric    Metric
	low, high int64
}

func (c *condition) holds(value int64) bool {
	return value >= c.low && value <= c.high
}

// places returns the decimal places a metric's value has: it is compared
// as a whole number of 10^-places units.
func (m Metric) places() int32 {
	switch m {
	case MetricLoadFactor, MetricCompetitorGap:
		return 2
	case MetricPace:
		return 4
	}
	return 0
}

// facts are the metric values of one decision, in their units, and the
// lowest valid competitor fare.
type facts struct {
	loadFactor int64 // hundredths of a percent
	days       int64
	pace       int64 // ten-thousandths
	hasPace    bool
	seatsLeft  int64
	competitor decimal.Decimal // lowest valid competitor fare in the cabin's currency
	hasQuote   bool
}

var hundred = decimal.NewFromInt(100)

func (f *facts) value(m Metric) (int64, bool) {
	switch m {
	case MetricLoadFactor:
		return f.loadFactor, true
	case MetricDaysToDeparture:
		return f.days, true
	case MetricPace:
		return f.pace, f.hasPace
	case MetricSeatsLeft:
		return f.seatsLeft, true
	}
	return 0, false
}

// EffectKind names what a rule does to the price.
type EffectKind string

const (
	// EffectPercent multiplies the running price by 1 + percent/100.
	EffectPercent EffectKind = "percent"
	// EffectAmount adds an amount (negative to lower) to the running price.
	EffectAmount EffectKind = "amount"
	// EffectMatch sets the offered class to the lowest competitor fare.
	EffectMatch EffectKind = "match"
	// EffectUndercut sets the offered class below the lowest competitor
	// fare by an amount or a percent of that fare.
	EffectUndercut EffectKind = "undercut"
	// EffectPremium sets the offered class above the lowest competitor fare
	// by an amount or a percent of that fare.
	EffectPremium EffectKind = "premium"
)

type effect struct {
	kind EffectKind
	// value is the percent or amount as written; for match it is zero.
	value decimal.Decimal
	// inPercent is true when an undercut or premium offset is a percent of
	// the competitor fare rather than an amount.
	inPercent bool
	// factor is 1 + value/100 for percent, 1 − value/100 for an undercut in
	// percent, 1 + value/100 for a premium in percent.
	factor decimal.Decimal
	// label describes the effect in AppliedRule.Effect, for example
	// "percent +10" or "undercut 5%".
	label string
}

func (e *effect) competitive() bool {
	return e.kind == EffectMatch || e.kind == EffectUndercut || e.kind == EffectPremium
}

// apply returns the new running price. competitor is used only by the
// competitor effects, and only when a valid quote exists.
func (e *effect) apply(running, competitor decimal.Decimal) decimal.Decimal {
	switch e.kind {
	case EffectPercent:
		if product, ok := mulAmounts(running, e.factor); ok {
			return product
		}
		return running.Mul(e.factor)
	case EffectAmount:
		if sum, ok := addAmounts(running, e.value); ok {
			return sum
		}
		return running.Add(e.value)
	case EffectMatch:
		return competitor
	case EffectUndercut:
		if e.inPercent {
			return competitor.Mul(e.factor)
		}
		return competitor.Sub(e.value)
	case EffectPremium:
		if e.inPercent {
			return competitor.Mul(e.factor)
		}
		return competitor.Add(e.value)
	}
	return running
}
