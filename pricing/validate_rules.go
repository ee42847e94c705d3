package pricing

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// reservedIDs name the guardrail steps in AppliedRule.RuleID, so no policy
// rule may use them.
var reservedIDs = []string{stepRound, stepPricePoint, stepFloor, stepCeiling, stepMonotone}

// ruleSet compiles rules and checks that their ids are unique across the
// whole policy, so an AppliedRule's id names exactly one rule.
type ruleSet struct {
	paths map[string]string // rule id -> path of its first use
}

func newRuleSet() *ruleSet {
	return &ruleSet{paths: make(map[string]string)}
}

// globalRule is a top-level rule with the routes and cabins it is limited
// to (nil for all).
type globalRule struct {
	rule   *rule
	path   string // "rules[N]"
	routes []routeKey
	cabins []string
	// currencies lists the currencies of the cabins the rule matched, in
	// the order compile met them.
	currencies []string
	// classes holds the booking classes of the ladders the rule matched.
	classes map[string]bool
}

func (g *globalRule) matches(key routeKey, cabin string) bool {
	return (g.routes == nil || slices.Contains(g.routes, key)) && (g.cabins == nil || slices.Contains(g.cabins, cabin))
}

// compile checks one rule; it returns nil when the rule has problems.
func (rs *ruleSet) compile(rd ruleDoc, path string, ps *problems) *rule {
	before := ps.count()
	rs.checkID(rd.ID, path+".id", ps)
	if rd.Priority < 0 {
		ps.add(path+".priority", "%d is negative; use 0 or more, lower numbers apply first", rd.Priority)
	}
	r := &rule{id: rd.ID, priority: rd.Priority}
	for i, class := range rd.Classes {
		if !isClassCode(class) {
			ps.add(fmt.Sprintf("%s.classes[%d]", path, i), "%q is not a booking class; use one capital letter such as Y", class)
		}
	}
	if len(rd.Classes) > 0 {
		r.classes = slices.Clone(rd.Classes)
	}
	r.conditions = parseConditions(rd.When, path+".when", ps)
	r.hasGap = rd.When.CompetitorGap != nil
	r.effect = parseEffect(rd.Effect, path+".effect", ps)
	r.min = parseBound(rd.Min, path+".min", ps)
	r.max = parseBound(rd.Max, path+".max", ps)
	if r.min != nil && r.max != nil && r.min.GreaterThan(*r.max) {
		ps.add(path+".min", "%s is above max %s; min must be at or below max", rd.Min, rd.Max)
	}
	if ps.count() > before {
		return nil
	}
	return r
}

func (rs *ruleSet) checkID(id, path string, ps *problems) {
	valid := id != "" && len(id) <= 64 && strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
	}) < 0
	switch {
	case id == "":
		ps.add(path, "missing; give the rule an id such as late-high-load, unique in the policy")
	case !valid:
		ps.add(path, "%q is not a rule id; use up to 64 letters, digits, dots, dashes and underscores", id)
	case slices.Contains(reservedIDs, id):
		ps.add(path, "%q names a guardrail step in decisions; choose another id", id)
	case rs.paths[id] != "":
		ps.add(path, "%q is already the id of %s; rule ids are unique across the policy", id, rs.paths[id])
	default:
		rs.paths[id] = strings.TrimSuffix(path, ".id")
	}
}

func parseConditions(doc conditionsDoc, path string, ps *problems) []condition {
	var conds []condition
	add := func(m Metric, c *comparisonDoc) {
		if c == nil {
			return
		}
		if cond, ok := parseComparison(m, c, path+"."+string(m), ps); ok {
			conds = append(conds, cond)
		}
	}
	add(MetricLoadFactor, doc.LoadFactor)
	add(MetricDaysToDeparture, doc.DaysToDeparture)
	add(MetricPace, doc.Pace)
	add(MetricSeatsLeft, doc.SeatsLeft)
	add(MetricCompetitorGap, doc.CompetitorGap)
	return conds
}

// parseComparison checks that exactly one of at_or_above, at_or_below and
// between is set, with values the metric can take.
func parseComparison(m Metric, c *comparisonDoc, path string, ps *problems) (condition, bool) {
	set := 0
	for _, isSet := range []bool{c.AtOrAbove != "", c.AtOrBelow != "", c.Between != nil} {
		if isSet {
			set++
		}
	}
	if set != 1 {
		ps.add(path, "set exactly one of at_or_above, at_or_below or between (found %d)", set)
		return condition{}, false
	}

	cond := condition{metric: m, low: -unitBound, high: unitBound}
	places := m.places()
	switch {
	case c.AtOrAbove != "":
		low, ok := parseThreshold(m, c.AtOrAbove, path+".at_or_above", ps)
		cond.low = thresholdUnits(low, places, true)
		return cond, ok
	case c.AtOrBelow != "":
		high, ok := parseThreshold(m, c.AtOrBelow, path+".at_or_below", ps)
		cond.high = thresholdUnits(high, places, false)
		return cond, ok
	}
	if len(c.Between) != 2 {
		ps.add(path+".between", "has %d values; write [low, high]", len(c.Between))
		return cond, false
	}
	low, lowOK := parseThreshold(m, c.Between[0], path+".between[0]", ps)
	high, highOK := parseThreshold(m, c.Between[1], path+".between[1]", ps)
	if lowOK && highOK && low.GreaterThan(high) {
		ps.add(path+".between", "low %s is above high %s; write [low, high]", c.Between[0], c.Between[1])
		return cond, false
	}
	cond.low = thresholdUnits(low, places, true)
	cond.high = thresholdUnits(high, places, false)
	return cond, lowOK && highOK
}

func parseThreshold(m Metric, text, path string, ps *problems) (decimal.Decimal, bool) {
	d, ok := parseDecimal(text, path, ps)
	if !ok {
		return d, false
	}
	switch m {
	case MetricDaysToDeparture, MetricSeatsLeft:
		if !d.IsInteger() {
			ps.add(path, "%s is not a whole number; %s counts whole %s", text, m, map[Metric]string{MetricDaysToDeparture: "days", MetricSeatsLeft: "seats"}[m])
			return d, false
		}
	}
	if m != MetricCompetitorGap && m != MetricDaysToDeparture && d.IsNegative() {
		ps.add(path, "%s is negative; %s is never below 0", text, m)
		return d, false
	}
	return d, true
}

// parseEffect checks that the effect is a percent, an amount, or a
// competitor effect. Match takes no offset, and undercut and premium take
// exactly one of amount and percent.
func parseEffect(doc effectDoc, path string, ps *problems) effect {
	var e effect
	switch doc.Competitor {
	case "":
		switch {
		case doc.Percent != "" && doc.Amount != "":
			ps.add(path, "sets both percent and amount; a rule has one effect, so split it into two rules")
		case doc.Percent != "":
			e = percentEffect(doc.Percent, path+".percent", ps)
		case doc.Amount != "":
			if d, ok := parseDecimal(doc.Amount, path+".amount", ps); ok {
				e = effect{kind: EffectAmount, value: d, label: "amount " + signed(doc.Amount)}
			}
		default:
			ps.add(path, "missing; set percent, amount, or competitor (match, undercut or premium)")
		}
	case string(EffectMatch):
		e = effect{kind: EffectMatch, label: "match"}
		if doc.Percent != "" || doc.Amount != "" {
			ps.add(path, "match takes no offset; use undercut or premium with an amount or percent")
		}
	case string(EffectUndercut), string(EffectPremium):
		e = competitorOffset(EffectKind(doc.Competitor), doc, path, ps)
	default:
		ps.add(path+".competitor", "%q is not a competitor effect; use match, undercut or premium", doc.Competitor)
	}
	return e
}

func percentEffect(text, path string, ps *problems) effect {
	d, ok := parseDecimal(text, path, ps)
	if !ok {
		return effect{}
	}
	if d.LessThanOrEqual(hundred.Neg()) {
		ps.add(path, "%s would take the price to zero or below; use a percent above -100", text)
		return effect{}
	}
	return effect{kind: EffectPercent, value: d, factor: decimal.NewFromInt(1).Add(d.Shift(-2)), label: "percent " + signed(text)}
}

func competitorOffset(kind EffectKind, doc effectDoc, path string, ps *problems) effect {
	e := effect{kind: kind}
	switch {
	case (doc.Percent == "") == (doc.Amount == ""):
		ps.add(path, "%s needs exactly one offset: amount (for example 5.00) or percent (for example 3)", kind)
	case doc.Amount != "":
		d, ok := parseDecimal(doc.Amount, path+".amount", ps)
		if ok && d.IsNegative() {
			ps.add(path+".amount", "%s is negative; give the distance from the competitor fare, and choose undercut or premium for the direction", doc.Amount)
		}
		e.value, e.label = d, fmt.Sprintf("%s %s", kind, doc.Amount)
	default:
		d, ok := parseDecimal(doc.Percent, path+".percent", ps)
		if ok && (d.IsNegative() || (kind == EffectUndercut && d.GreaterThanOrEqual(hundred))) {
			ps.add(path+".percent", "%s is out of range; give a percent from 0 (below 100 for undercut), and choose undercut or premium for the direction", doc.Percent)
		}
		e.value, e.inPercent, e.label = d, true, fmt.Sprintf("%s %s%%", kind, doc.Percent)
		if kind == EffectUndercut {
			e.factor = decimal.NewFromInt(1).Sub(d.Shift(-2))
		} else {
			e.factor = decimal.NewFromInt(1).Add(d.Shift(-2))
		}
	}
	return e
}

func parseBound(text, path string, ps *problems) *decimal.Decimal {
	if text == "" {
		return nil
	}
	d, ok := parseDecimal(text, path, ps)
	if !ok {
		return nil
	}
	if !d.IsPositive() {
		ps.add(path, "%s must be above 0", text)
		return nil
	}
	return &d
}

// parseRouteFilter parses a top-level rule's routes; nil means every route.
func parseRouteFilter(routes []string, path string, ps *problems) []routeKey {
	if len(routes) == 0 {
		return nil
	}
	keys := make([]routeKey, 0, len(routes))
	for i, route := range routes {
		if key, ok := parseRoute(route, fmt.Sprintf("%s.routes[%d]", path, i), ps); ok {
			keys = append(keys, key)
		}
	}
	return keys
}

// checkClassFilter reports classes in a cabin rule's filter that the
// cabin's ladder lacks: such a filter would silently never match.
func checkClassFilter(r *rule, classes, ladder []string, path string, ps *problems) {
	for i, class := range classes {
		if isClassCode(class) && !slices.Contains(ladder, class) {
			ps.add(fmt.Sprintf("%s.classes[%d]", path, i), "%q is not in this cabin's ladder (%s)", class, strings.Join(ladder, " "))
		}
	}
}

// checkGlobalFilters reports routes and cabins in top-level rule filters
// that no market has: most likely a typo that would make the rule dead.
// Routes that are not even well formed were reported by parseRouteFilter.
// Without markets every filter would be reported, so compile reports only
// the missing markets.
func checkGlobalFilters(doc *policyDoc, ps *problems) {
	if len(doc.Markets) == 0 {
		return
	}
	routes := make(map[string]bool)
	cabins := make(map[string]bool)
	for _, md := range doc.Markets {
		routes[md.Route] = true
		for name := range md.Cabins {
			cabins[name] = true
		}
	}
	for i, rd := range doc.Rules {
		for j, route := range rd.Routes {
			if _, ok := parseRoute(route, "", &problems{}); ok && !routes[route] {
				ps.add(fmt.Sprintf("rules[%d].routes[%d]", i, j), "%q is not the route of any market in this policy", route)
			}
		}
		for j, cabin := range rd.Cabins {
			if !cabins[cabin] {
				ps.add(fmt.Sprintf("rules[%d].cabins[%d]", i, j), "%q is not a cabin of any market in this policy", cabin)
			}
		}
	}
}

// addRules gives the cabin its own rules and the top-level rules that match
// its route and cabin, split by kind and sorted by priority, then id.
func (cp *cabinPolicy) addRules(key routeKey, cabin string, own []*rule, global []*globalRule) {
	all := slices.Clone(own)
	for _, g := range global {
		if g.matches(key, cabin) {
			all = append(all, g.rule)
			if !slices.Contains(g.currencies, cp.currency) {
				g.currencies = append(g.currencies, cp.currency)
			}
			if g.classes == nil {
				g.classes = make(map[string]bool)
			}
			for _, class := range cp.classes {
				g.classes[class] = true
			}
		}
	}
	slices.SortFunc(all, func(a, b *rule) int {
		return cmp.Or(cmp.Compare(a.priority, b.priority), strings.Compare(a.id, b.id))
	})
	for _, r := range all {
		if r.effect.competitive() {
			cp.competitorRules = append(cp.competitorRules, r)
		} else {
			cp.rules = append(cp.rules, r)
		}
	}
}

// checkGlobalClasses reports classes in a top-level rule's filter that no
// ladder the rule covers has: the rule would never fire for them. A rule
// that covers no cabin at all was reported by checkGlobalFilters.
func checkGlobalClasses(g *globalRule, ps *problems) {
	if len(g.classes) == 0 {
		return
	}
	for i, class := range g.rule.classes {
		if !g.classes[class] {
			known := slices.Sorted(maps.Keys(g.classes))
			ps.add(fmt.Sprintf("%s.classes[%d]", g.path, i), "%q is not in the ladder of any cabin this rule covers (%s)", class, strings.Join(known, " "))
		}
	}
}

// checkAmountCurrencies reports the amounts of a top-level rule that covers
// cabins priced in more than one currency. An amount is a plain number, so
// 25 would add 25.00 USD, 25 JPY and 25.000 KWD alike. Amounts are an
// amount effect, an undercut or premium amount, and the rule's min and max.
func checkAmountCurrencies(g *globalRule, ps *problems) {
	if len(g.currencies) < 2 {
		return
	}
	currencies := strings.Join(g.currencies, ", ")
	r := g.rule
	switch {
	case r.effect.kind == EffectAmount:
		ps.add(g.path, "an amount effect applies in every currency of the markets it covers (%s); limit it with routes or use percent", currencies)
	case r.effect.kind == EffectUndercut && !r.effect.inPercent:
		ps.add(g.path, "an undercut amount applies in every currency of the markets it covers (%s); limit it with routes or use percent", currencies)
	case r.effect.kind == EffectPremium && !r.effect.inPercent:
		ps.add(g.path, "a premium amount applies in every currency of the markets it covers (%s); limit it with routes or use percent", currencies)
	}
	for _, b := range []struct {
		name  string
		bound *decimal.Decimal
	}{{"min", r.min}, {"max", r.max}} {
		if b.bound != nil {
			ps.add(g.path+"."+b.name, "%s is an amount, so it bounds prices in every currency of the markets the rule covers (%s); limit the rule with routes, or remove the bound", b.bound, currencies)
		}
	}
}

// checkPaceRules reports rules with a pace condition in a cabin without a
// pace curve, where pace is undefined.
func checkPaceRules(cp *cabinPolicy, path string, ps *problems) {
	if len(cp.pace) > 0 || cp.paceInvalid {
		return
	}
	for _, r := range slices.Concat(cp.rules, cp.competitorRules) {
		for _, c := range r.conditions {
			if c.metric == MetricPace {
				ps.add(path, "rule %s has a pace condition but this cabin has no pace_curve; set defaults.pace_curve or one on the market or cabin", r.id)
			}
		}
	}
}

// signed writes a number as the policy wrote it, with an explicit sign, for
// effect labels.
func signed(text string) string {
	if strings.HasPrefix(text, "-") || strings.HasPrefix(text, "+") {
		return text
	}
	return "+" + text
}
