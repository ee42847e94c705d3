package pricing

import (
	"errors"
	"fmt"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

// RuleIDs of the guardrail steps in Decision.Rules. The validator rejects
// policy rules with these ids.
const (
	stepRound      = "round"
	stepPricePoint = "price_point"
	stepFloor      = "floor"
	stepCeiling    = "ceiling"
	stepMonotone   = "monotone"
)

// explainScale is the decimal places of Before and After in AppliedRule: the
// scale of amounts in the price-update schema. Only the recorded values are
// rounded (half to even). The computation keeps every digit until the one
// rounding to the currency's minor unit.
const explainScale = 4

// Decide prices one cabin of one flight. It is a pure function of p and in:
// the same inputs always give the same decision, and nothing is read from
// the clock or the environment. It returns an error wrapping ErrNotCovered
// when p has no ladder for the flight's market and cabin, and an error for
// negative seat counts or an unknown origin time zone.
//
// Availability comes from nesting (see Availability). When in.Seats has a
// forecast and protection_method is emsr_b (the default) or emsr_a, the
// protection levels come from EMSR on the base fares. Otherwise they are
// the policy's static levels less the seats sold in the classes they
// protect. The offered class is the lowest open one.
//
// Each class is then priced in this order:
//  1. start at the class's base fare;
//  2. apply the percent and amount rules whose conditions hold, by priority
//     then id, compounding; each rule's min and max clamp the running price
//     right after it, even a price that earlier rules took past them;
//  3. on the offered class only, apply the competitor rules (match,
//     undercut, premium) against the lowest valid competitor fare, then
//     each rule's min and max;
//  4. round once to the currency's minor unit with the policy's rounding
//     mode, then snap to a price point when the cabin has them;
//  5. clamp to the cabin's floor and ceiling;
//  6. going down the ladder, lower any class that costs more than the class
//     above it to that class's price, so the ladder is monotone.
//
// Every step that changes or bounds a price, and every rule that fires even
// when it leaves the price unchanged, is recorded in Decision.Rules in the
// order it applied.
func Decide(p *Policy, in Input) (Decision, error) {
	st, err := p.situate(in)
	if err != nil {
		return Decision{}, err
	}
	cp, f := st.cabin, &st.facts

	d := Decision{
		Flight:           in.Flight,
		Cabin:            in.Cabin,
		Currency:         cp.currency,
		LoadFactor:       st.loadFactor,
		LowestCompetitor: st.quote,
		CauseEventID:     in.CauseEventID,
		PolicyVersion:    p.version,
		EventTime:        in.EventTime,
	}
	// Most decisions record a rule or a guardrail step or two per class.
	d.Rules = make([]AppliedRule, 0, 2*len(cp.classes))
	prices := cp.priceLadder(st.offered, f, &d.Rules)
	d.Ladder = make([]ClassPrice, len(cp.classes))
	for j, class := range cp.classes {
		d.Ladder[j] = ClassPrice{
			Class:     class,
			BaseFare:  cp.fares[j],
			Price:     fromUnits(prices[j], cp.places),
			Available: st.avail[j],
			Open:      st.avail[j] > 0,
		}
	}
	if st.offered >= 0 {
		d.OfferedClass = d.Ladder[st.offered].Class
		d.OfferedPrice = d.Ladder[st.offered].Price
	}
	return d, nil
}

// situation is the availability, lowest quote and metric values that Decide
// and Conditions derive from an input before any price is computed.
type situation struct {
	cabin      *cabinPolicy
	avail      []int // seats available per class, from class 1 down
	offered    int   // index of the offered class, -1 when every class is closed
	quote      *inventory.CompetitorFare
	facts      facts
	loadFactor decimal.Decimal // percent, 2 places
}

// situate checks the input and computes availability, the lowest valid
// quote and the metric values. Its errors are Decide's.
func (p *Policy) situate(in Input) (situation, error) {
	if p == nil {
		return situation{}, errors.New("invalid policy: nil; pass one from ParsePolicy or LoadPolicyFile")
	}
	market := in.Flight.Market()
	cp := p.cabin(market, in.Cabin)
	if cp == nil {
		return situation{}, fmt.Errorf("%w: market=%s cabin=%s policy=%s", ErrNotCovered, market, in.Cabin, p.version)
	}
	if err := checkSeats(in.Seats); err != nil {
		return situation{}, fmt.Errorf("flight=%s cabin=%s: %w", in.Flight.Key(), in.Cabin, err)
	}
	days, err := in.Flight.DaysToDeparture(in.EventTime)
	if err != nil {
		return situation{}, fmt.Errorf("flight=%s: %w", in.Flight.Key(), err)
	}

	// Availability depends only on seats and the policy, never on prices.
	seatsLeft := SeatsLeft(in.Seats)
	avail := Availability(seatsLeft, cp.protection(in.Seats))

	quote, competitor := cp.lowestQuote(in.Quotes, in.Cabin, in.EventTime)
	st := situation{
		cabin:   cp,
		avail:   avail,
		offered: lowestOpen(avail),
		quote:   quote,
		facts: facts{
			loadFactor: loadFactorUnits(in.Seats),
			days:       int64(days),
			seatsLeft:  int64(seatsLeft),
			competitor: competitor,
			hasQuote:   quote != nil,
		},
	}
	st.loadFactor = fromUnits(st.facts.loadFactor, 2)
	st.facts.pace, st.facts.hasPace = cp.paceAt(st.loadFactor, days)
	return st, nil
}

func checkSeats(s inventory.Seats) error {
	switch {
	case s.PhysicalCapacity < 0:
		return fmt.Errorf("invalid physical capacity %d: want 0 or more", s.PhysicalCapacity)
	case s.AuthorizedCapacity < 0:
		return fmt.Errorf("invalid authorized capacity %d: want 0 or more", s.AuthorizedCapacity)
	case s.SoldTotal < 0:
		return fmt.Errorf("invalid seats sold %d: want 0 or more", s.SoldTotal)
	}
	return nil
}

// loadFactorUnits returns seats sold over physical capacity in hundredths
// of a percent, rounded half up. A cabin without physical capacity has 0,
// and an over-sale gives more than 100 %.
func loadFactorUnits(s inventory.Seats) int64 {
	if s.PhysicalCapacity <= 0 {
		return 0
	}
	sold, physical := int64(s.SoldTotal), int64(s.PhysicalCapacity)
	// round(sold × 10000 / physical) half up, in integers.
	return (2*sold*10000 + physical) / (2 * physical)
}

// lowestOpen returns the index of the lowest class with seats available, or
// -1 when every class is closed.
func lowestOpen(avail []int) int {
	for j := len(avail) - 1; j >= 0; j-- {
		if avail[j] > 0 {
			return j
		}
	}
	return -1
}

// priceLadder runs steps 1 to 6 for every class and returns the prices in
// minor units, from class 1 down.
func (cp *cabinPolicy) priceLadder(offered int, f *facts, applied *[]AppliedRule) []int64 {
	fixed := make([]bool, len(cp.rules)+len(cp.competitorRules))
	cp.holdsFixed(f, fixed)
	prices := make([]int64, len(cp.classes))
	for j := range cp.classes {
		prices[j] = cp.priceClass(j, j == offered, f, fixed, applied)
	}
	cp.keepMonotone(prices, applied)
	return prices
}

// holdsFixed sets fixed[i] to whether rule i's conditions other than
// competitor_gap hold, counting the percent and amount rules first and the
// competitor rules after them. Those conditions are the same for every
// class, so they are checked once per decision. The caller allocates fixed,
// which lets a small one stay on the stack.
func (cp *cabinPolicy) holdsFixed(f *facts, fixed []bool) {
	for i, r := range cp.rules {
		fixed[i] = r.holdsFixed(f)
	}
	for i, r := range cp.competitorRules {
		fixed[len(cp.rules)+i] = f.hasQuote && r.holdsFixed(f)
	}
}

// priceClass runs steps 1 to 5 for class j and returns its price in minor
// units. fixed is what holdsFixed set.
func (cp *cabinPolicy) priceClass(j int, offered bool, f *facts, fixed []bool, applied *[]AppliedRule) int64 {
	class := cp.classes[j]
	running := cp.adjust(j, f, fixed, applied)
	if offered {
		for i, r := range cp.competitorRules {
			if fixed[len(cp.rules)+i] && r.appliesTo(class) && r.holdsGap(f, running) {
				running = cp.applyRule(r, class, running, f, applied)
			}
		}
	}
	return cp.guard(class, running, applied)
}

// adjust runs steps 1 and 2 for class j: the base fare with the percent and
// amount rules applied. It returns the running price with every digit.
func (cp *cabinPolicy) adjust(j int, f *facts, fixed []bool, applied *[]AppliedRule) decimal.Decimal {
	class := cp.classes[j]
	running := cp.fares[j]
	for i, r := range cp.rules {
		if fixed[i] && r.appliesTo(class) && r.holdsGap(f, running) {
			running = cp.applyRule(r, class, running, f, applied)
		}
	}
	return running
}

// applyRule applies one rule's effect and then its own bounds.
func (cp *cabinPolicy) applyRule(r *rule, class string, running decimal.Decimal, f *facts, applied *[]AppliedRule) decimal.Decimal {
	after := r.effect.apply(running, f.competitor)
	label := r.effect.label
	if r.effect.competitive() {
		label += " vs " + cp.show(f.competitor)
	}
	record(applied, r.id, class, label, running, after)

	bounded, which := r.bound(after)
	if which != "" {
		record(applied, r.id, class, which+" "+cp.show(bounded), after, bounded)
	}
	return bounded
}

// show writes an amount for an effect label (see showAmount).
func (cp *cabinPolicy) show(d decimal.Decimal) string {
	return showAmount(d, cp.places)
}

// showAmount writes an amount computed with extra digits, such as a fare
// converted at an exchange rate: with places digits when its value has no
// more, else rounded like AppliedRule amounts.
func showAmount(d decimal.Decimal, places int32) string {
	if d.Equal(d.Truncate(places)) {
		return d.StringFixed(places)
	}
	return explainAmount(d).String()
}

// guard runs steps 4 and 5: round once, snap to a price point, clamp to the
// floor and ceiling. It returns the price in minor units.
func (cp *cabinPolicy) guard(class string, running decimal.Decimal, applied *[]AppliedRule) int64 {
	u := &cp.units
	units, ok := roundUnits(running, cp.places, cp.rounding)
	price := running
	if !ok {
		price = cp.rounding.roundPlaces(running, cp.places)
		units, ok = toUnits(price, cp.places)
	}
	if !wholeUnits(running, cp.places) {
		if ok {
			price = fromUnits(units, cp.places)
		}
		record(applied, stepRound, class, u.roundLabel, running, price)
	}
	if !ok {
		// Beyond 10^15 minor units: far past the ceiling, or the floor when
		// negative, so the clamp decides and snapping would not matter.
		if price.IsNegative() {
			record(applied, stepFloor, class, u.floorLabel, price, cp.floor)
			return u.floor
		}
		record(applied, stepCeiling, class, u.ceilingLabel, price, cp.ceiling)
		return u.ceiling
	}
	if u.hasPoints {
		if snapped := u.snapUnits(units); snapped != units {
			cp.recordUnits(applied, stepPricePoint, class, u.snapLabel, units, snapped)
			units = snapped
		}
	}
	if units < u.floor {
		cp.recordUnits(applied, stepFloor, class, u.floorLabel, units, u.floor)
		units = u.floor
	}
	if units > u.ceiling {
		cp.recordUnits(applied, stepCeiling, class, u.ceilingLabel, units, u.ceiling)
		units = u.ceiling
	}
	return units
}

// keepMonotone lowers, from the top of the ladder down, any class that
// costs more than the class above it to that class's price. Lowering keeps
// the higher class's price, which its own rules and guardrails chose, and
// the result stays within floor and ceiling because the upper price does.
func (cp *cabinPolicy) keepMonotone(prices []int64, applied *[]AppliedRule) {
	for j := 1; j < len(prices); j++ {
		if prices[j] > prices[j-1] {
			cp.recordUnits(applied, stepMonotone, cp.classes[j], "capped at class "+cp.classes[j-1], prices[j], prices[j-1])
			prices[j] = prices[j-1]
		}
	}
}

func (cp *cabinPolicy) recordUnits(applied *[]AppliedRule, id, class, effect string, before, after int64) {
	record(applied, id, class, effect, fromUnits(before, cp.places), fromUnits(after, cp.places))
}

func record(applied *[]AppliedRule, id, class, effect string, before, after decimal.Decimal) {
	*applied = append(*applied, AppliedRule{
		RuleID: id,
		Class:  class,
		Effect: effect,
		Before: explainAmount(before),
		After:  explainAmount(after),
	})
}

func explainAmount(d decimal.Decimal) decimal.Decimal {
	if d.Exponent() >= -explainScale {
		return d
	}
	if units, ok := roundUnits(d, explainScale, RoundHalfEven); ok {
		return fromUnits(units, explainScale)
	}
	return d.RoundBank(explainScale)
}
