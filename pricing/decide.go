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
	var pricesBuf [maxClasses]ladderPrice
	prices := pricesBuf[:len(cp.classes)]
	d.Rules = cp.priceLadder(st.offered, f, prices)
	d.Ladder = make([]ClassPrice, len(cp.classes))
	for j, class := range cp.classes {
		d.Ladder[j] = ClassPrice{
			Class:     class,
			BaseFare:  cp.fares[j],
			Price:     cp.amountOf(&prices[j]),
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
	cabin *cabinPolicy
	// avail is the seats available per class, from class 1 down, in its
	// first len(cabin.classes) entries.
	avail      [maxClasses]int
	offered    int // index of the offered class, -1 when every class is closed
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

	quote, competitor := cp.lowestQuote(in.Quotes, in.Cabin, in.EventTime)
	seatsLeft := SeatsLeft(in.Seats)
	st := situation{
		cabin: cp,
		quote: quote,
		facts: facts{
			loadFactor: loadFactorUnits(in.Seats),
			days:       int64(days),
			seatsLeft:  int64(seatsLeft),
			competitor: competitor,
			hasQuote:   quote != nil,
		},
	}

	// Availability depends only on seats and the policy, never on prices.
	n := len(cp.classes)
	var levels [maxClasses - 1]int
	avail := availabilityInto(st.avail[:n], seatsLeft, cp.protection(in.Seats, levels[:n-1]))
	st.offered = lowestOpen(avail)

	st.loadFactor = fromUnits(st.facts.loadFactor, 2)
	st.facts.pace, st.facts.hasPace = cp.paceAt(st.facts.loadFactor, days)
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

// priceLadder runs steps 1 to 6 for every class, writes the prices into
// prices, from class 1 down, and returns the steps it recorded.
func (cp *cabinPolicy) priceLadder(offered int, f *facts, prices []ladderPrice) []AppliedRule {
	fixed := make([]bool, len(cp.rules)+len(cp.competitorRules))
	cp.holdsFixed(f, fixed)
	applied := make([]AppliedRule, 0, cp.stepCapacity(offered, fixed))
	for j := range cp.classes {
		prices[j] = cp.priceClass(j, j == offered, f, fixed, &applied)
	}
	cp.keepMonotone(prices, &applied)
	return applied
}

// stepCapacity returns how many steps priceLadder records in the usual
// case: per class, each rule that may fire on it, a rounding step when one
// of those is not an amount, and a snap. Rule bounds, floor, ceiling and
// monotone steps can exceed it, and then append grows the slice.
func (cp *cabinPolicy) stepCapacity(offered int, fixed []bool) int {
	steps := 0
	for j, class := range cp.classes {
		fires, rounds := 0, false
		for i, r := range cp.rules {
			if fixed[i] && r.appliesTo(class) {
				fires++
				rounds = rounds || r.effect.kind != EffectAmount
			}
		}
		for i, r := range cp.competitorRules {
			if j == offered && fixed[len(cp.rules)+i] && r.appliesTo(class) {
				fires++
				rounds = true
			}
		}
		steps += fires
		if rounds {
			steps++
		}
		if cp.units.hasPoints {
			steps++
		}
	}
	return steps
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

// priceClass runs steps 1 to 5 for class j and returns its price. fixed is
// what holdsFixed set.
func (cp *cabinPolicy) priceClass(j int, offered bool, f *facts, fixed []bool, applied *[]AppliedRule) ladderPrice {
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
// floor and ceiling.
func (cp *cabinPolicy) guard(class string, running decimal.Decimal, applied *[]AppliedRule) ladderPrice {
	u := &cp.units
	units, ok := roundUnits(running, cp.places, cp.rounding)
	rounded := running
	if !ok {
		rounded = cp.rounding.roundPlaces(running, cp.places)
		units, ok = toUnits(rounded, cp.places)
	}
	p := ladderPrice{units: units}
	switch {
	case !wholeUnits(running, cp.places):
		if ok {
			rounded = cp.amountOf(&p)
		}
		record(applied, stepRound, class, u.roundLabel, running, rounded)
	case running.Exponent() == -cp.places:
		// running already has the form fromUnits would build.
		p.amount, p.hasAmount = running, true
	}
	if !ok {
		// Beyond 10^15 minor units: far past the ceiling, or the floor when
		// negative, so the clamp decides and snapping would not matter.
		if rounded.IsNegative() {
			record(applied, stepFloor, class, u.floorLabel, rounded, cp.floor)
			return u.floorPrice
		}
		record(applied, stepCeiling, class, u.ceilingLabel, rounded, cp.ceiling)
		return u.ceilingPrice
	}

	if u.hasPoints {
		if snapped := u.snapUnits(p.units); snapped != p.units {
			cp.move(applied, stepPricePoint, class, u.snapLabel, &p, ladderPrice{units: snapped})
		}
	}
	if p.units < u.floor {
		cp.move(applied, stepFloor, class, u.floorLabel, &p, u.floorPrice)
	}
	if p.units > u.ceiling {
		cp.move(applied, stepCeiling, class, u.ceilingLabel, &p, u.ceilingPrice)
	}
	return p
}

// keepMonotone lowers, from the top of the ladder down, any class that
// costs more than the class above it to that class's price. Lowering keeps
// the higher class's price, which its own rules and guardrails chose, and
// the result stays within floor and ceiling because the upper price does.
func (cp *cabinPolicy) keepMonotone(prices []ladderPrice, applied *[]AppliedRule) {
	for j := 1; j < len(prices); j++ {
		if prices[j].units > prices[j-1].units {
			// Build the upper amount in place, so both classes share it.
			cp.amountOf(&prices[j-1])
			cp.move(applied, stepMonotone, cp.classes[j], cp.units.cappedLabels[j], &prices[j], prices[j-1])
		}
	}
}

// ladderPrice is a class's price in minor units and, once a step needed
// it, the same amount as a decimal in the form fromUnits builds. The steps
// pass it on, so that they share one decimal instead of building their own.
type ladderPrice struct {
	units     int64
	amount    decimal.Decimal // valid when hasAmount is true
	hasAmount bool
}

// amountOf returns p as a decimal, building it on first use unless it is a
// price point with a prebuilt decimal.
func (cp *cabinPolicy) amountOf(p *ladderPrice) decimal.Decimal {
	if p.hasAmount {
		return p.amount
	}
	if amount, ok := cp.units.pointAmounts.lookup(p.units); ok {
		p.amount = amount
	} else {
		p.amount = fromUnits(p.units, cp.places)
	}
	p.hasAmount = true
	return p.amount
}

// move records a guardrail step that changes p to next, and sets p.
func (cp *cabinPolicy) move(applied *[]AppliedRule, id, class, effect string, p *ladderPrice, next ladderPrice) {
	before := cp.amountOf(p)
	*p = next
	record(applied, id, class, effect, before, cp.amountOf(p))
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
