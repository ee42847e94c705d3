package pricing

import "github.com/shopspring/decimal"

// ConditionValues are the values that rule conditions compare for one
// decision, computed from the input as Decide computes them. They are not
// part of Decision, so an explanation that shows them needs the input too
// (see ExplainWith).
type ConditionValues struct {
	// DaysToDeparture is calendar days from the event's date to the
	// departure date, both in the origin's time zone.
	DaysToDeparture int
	// LoadFactor is seats sold over physical capacity in percent, rounded
	// half up to 2 places, as in Decision.LoadFactor.
	LoadFactor decimal.Decimal
	// HasPace is false when the cabin has no pace curve, and Pace and
	// ExpectedLoadFactor are zero then.
	HasPace bool
	// Pace is the load factor over ExpectedLoadFactor, rounded half up to 4
	// places from the unrounded expected value.
	Pace decimal.Decimal
	// ExpectedLoadFactor is the load factor in percent read off the pace
	// curve at DaysToDeparture, rounded half up to 2 places for display.
	ExpectedLoadFactor decimal.Decimal
	// SeatsLeft is authorized capacity minus seats sold, never below 0.
	SeatsLeft int
	// HasCompetitor is true when a valid competitor quote exists.
	HasCompetitor bool
	// CompetitorFare is the lowest valid competitor fare converted into the
	// cabin's currency with the policy's exchange rate, with every digit of
	// the product.
	CompetitorFare decimal.Decimal
	// HasCompetitorGap is true when a valid quote exists and a class is
	// open.
	HasCompetitorGap bool
	// CompetitorGap is competitor_gap for the offered class in percent, 2
	// places. It is measured on the running price after the percent and
	// amount rules, which is the price the first competitor rule compares.
	// A percent or amount rule with a competitor_gap condition compares the
	// running price at its own step instead.
	CompetitorGap decimal.Decimal
}

// Conditions returns the values that the rule conditions of Decide(p, in)
// compare. It returns the errors Decide returns for the same input, and it
// is a pure function of p and in too.
func Conditions(p *Policy, in Input) (ConditionValues, error) {
	st, err := p.situate(in)
	if err != nil {
		return ConditionValues{}, err
	}
	cp, f := st.cabin, &st.facts

	c := ConditionValues{
		DaysToDeparture: int(f.days),
		LoadFactor:      st.loadFactor,
		SeatsLeft:       int(f.seatsLeft),
		HasCompetitor:   f.hasQuote,
		CompetitorFare:  f.competitor,
	}
	if f.hasPace {
		c.HasPace = true
		c.Pace = fromUnits(f.pace, MetricPace.places())
		c.ExpectedLoadFactor, _ = cp.expectedAt(int(f.days))
	}

	// The gap depends on the running price, so run steps 1 and 2 for the
	// offered class as priceClass does, and discard the recorded steps.
	if f.hasQuote && st.offered >= 0 {
		fixed := make([]bool, len(cp.rules)+len(cp.competitorRules))
		cp.holdsFixed(f, fixed)
		var discarded []AppliedRule
		running := cp.adjust(st.offered, f, fixed, &discarded)
		c.HasCompetitorGap = true
		c.CompetitorGap = fromUnits(competitorGap(running, f.competitor), MetricCompetitorGap.places())
	}
	return c, nil
}
