package pricing

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

// compile validates the document and builds the policy, reporting every
// problem to ps. The result is meaningful only when ps stays empty.
func compile(doc *policyDoc, ps *problems) *Policy {
	p := &Policy{routes: make(map[routeKey][]*marketEntry)}
	checkVersion(doc.Version, ps)
	p.version = doc.Version
	if doc.EffectiveAt == "" {
		ps.add("effective_at", "missing; write the event time of the decisions this policy change causes, in RFC 3339, for example 2027-03-01T00:00:00Z")
	} else if t, err := time.Parse(time.RFC3339, doc.EffectiveAt); err != nil {
		ps.add("effective_at", "%q is not an RFC 3339 time; write one such as 2027-03-01T00:00:00Z", doc.EffectiveAt)
	} else {
		p.effectiveAt = t
	}

	defaults := parseSettings(doc.Defaults, "defaults", ps)
	rules := newRuleSet()
	global := make([]*globalRule, 0, len(doc.Rules))
	for i, rd := range doc.Rules {
		path := fmt.Sprintf("rules[%d]", i)
		routes := parseRouteFilter(rd.Routes, path, ps)
		if r := rules.compile(rd, path, ps); r != nil {
			global = append(global, &globalRule{rule: r, path: path, routes: routes, cabins: rd.Cabins})
		}
	}

	switch {
	case doc.Markets == nil:
		ps.add("markets", "missing; add at least one market with a route and a cabin ladder")
	case len(doc.Markets) == 0:
		ps.add("markets", "empty; add at least one market")
	}
	for i, md := range doc.Markets {
		path := fmt.Sprintf("markets[%d]", i)
		key, entry := compileMarket(md, path, defaults, global, rules, ps)
		if entry != nil {
			p.routes[key] = append(p.routes[key], entry)
		}
	}
	sharePointAmounts(p)
	checkOverlaps(doc, ps)
	checkGlobalFilters(doc, ps)
	for _, g := range global {
		checkAmountCurrencies(g, ps)
		checkGlobalClasses(g, ps)
	}
	return p
}

func checkVersion(version string, ps *problems) {
	switch {
	case version == "":
		ps.add("version", "missing; give the policy a version such as 2027-03-01.1, new for every change")
	case len(version) > 64:
		ps.add("version", "%q is longer than 64 characters", version)
	case strings.IndexFunc(version, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0:
		ps.add("version", "%q contains spaces or control characters; use letters, digits, dots and dashes", version)
	}
}

// compileMarket builds one market entry. It returns a nil entry when the
// route is invalid.
func compileMarket(md marketDoc, path string, defaults partialSettings, global []*globalRule, rules *ruleSet, ps *problems) (routeKey, *marketEntry) {
	key, routeOK := parseRoute(md.Route, path+".route", ps)
	entry := &marketEntry{cabins: make(map[string]*cabinPolicy)}
	if md.Dates != nil {
		entry.dated = true
		entry.from, entry.to = parseDates(md.Dates, path+".dates", ps)
	}
	marketSettings := parseSettings(md.settingsDoc, path, ps)

	switch {
	case md.Cabins == nil:
		ps.add(path+".cabins", "missing; add at least one cabin, for example Y, with its fare ladder")
	case len(md.Cabins) == 0:
		ps.add(path+".cabins", "empty; add at least one cabin, for example Y, with its fare ladder")
	}
	for _, name := range sortedKeys(md.Cabins) {
		cabinPath := path + ".cabins." + name
		if !isCabinCode(name) {
			ps.add(cabinPath, "%q is not a cabin code; use one or two capital letters such as Y or J", name)
			continue
		}
		cd := md.Cabins[name]
		s, ok := resolve(cabinPath, ps, defaults, marketSettings, parseSettings(cd.settingsDoc, cabinPath, ps))
		cp := compileCabin(cd, cabinPath, s, ps)
		var own []*rule
		for i, rd := range cd.Rules {
			rulePath := fmt.Sprintf("%s.rules[%d]", cabinPath, i)
			if r := rules.compile(rd, rulePath, ps); r != nil {
				checkClassFilter(r, rd.Classes, cp.classes, rulePath, ps)
				own = append(own, r)
			}
			if len(rd.Routes) > 0 || len(rd.Cabins) > 0 {
				ps.add(rulePath, "routes and cabins filters belong to top-level rules; a cabin's own rules apply to that cabin only, so remove them")
			}
		}
		if !ok {
			continue
		}
		cp.settings = s
		cp.units = guardrailUnits(cp)
		cp.addRules(key, name, own, global)
		checkPaceRules(cp, cabinPath, ps)
		entry.cabins[name] = cp
	}
	if !routeOK {
		return key, nil
	}
	return key, entry
}

// parseRoute parses "JFK-LHR".
func parseRoute(route, path string, ps *problems) (routeKey, bool) {
	origin, destination, found := strings.Cut(route, "-")
	m := inventory.Market{Origin: origin, Destination: destination, Date: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if !found || m.Validate() != nil {
		if route == "" {
			ps.add(path, "missing; write the route as ORIGIN-DESTINATION with IATA airport codes, for example JFK-LHR")
		} else {
			ps.add(path, "%q is not a route; write ORIGIN-DESTINATION with two different three-letter IATA airport codes, for example JFK-LHR", route)
		}
		return routeKey{}, false
	}
	return routeKey{origin, destination}, true
}

// parseDates returns the inclusive departure-date range. An open end is the
// zero time (from) or the far future (to).
func parseDates(d *datesDoc, path string, ps *problems) (from, to time.Time) {
	to = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	if d.From == "" && d.To == "" {
		ps.add(path, "empty; set from, to or both as YYYY-MM-DD departure dates, or remove dates to cover every date")
	}
	if d.From != "" {
		t, err := inventory.ParseDate(d.From)
		if err != nil {
			ps.add(path+".from", "%q is not a date; write YYYY-MM-DD", d.From)
		}
		from = t
	}
	if d.To != "" {
		t, err := inventory.ParseDate(d.To)
		if err != nil {
			ps.add(path+".to", "%q is not a date; write YYYY-MM-DD", d.To)
		} else {
			to = t
		}
	}
	if to.Before(from) {
		ps.add(path, "from %s is after to %s; swap them", d.From, d.To)
	}
	return from, to
}

// compileCabin checks and builds the ladder, protection and guardrails of a
// cabin. s may be incomplete (no currency) when resolve failed, and then only
// the checks that need no currency run.
func compileCabin(cd cabinDoc, path string, s settings, ps *problems) *cabinPolicy {
	cp := &cabinPolicy{}
	switch {
	case cd.Ladder == nil:
		ps.add(path+".ladder", "missing; list the booking classes from the highest base fare down, each with class and fare")
	case len(cd.Ladder) == 0:
		ps.add(path+".ladder", "empty; list the booking classes from the highest base fare down, each with class and fare")
	}
	prevProtect := 0
	for i, rd := range cd.Ladder {
		at := fmt.Sprintf("%s.ladder[%d]", path, i)
		if !isClassCode(rd.Class) {
			ps.add(at+".class", "%q is not a booking class; use one capital letter such as Y", rd.Class)
		} else if containsString(cp.classes, rd.Class) {
			ps.add(at+".class", "%q appears twice in the ladder; list each class once", rd.Class)
		}
		fare, ok := parseDecimal(rd.Fare, at+".fare", ps)
		switch {
		case !ok:
		case !fare.IsPositive():
			ps.add(at+".fare", "%s must be above 0", rd.Fare)
		case s.currency != "" && !checkMoney(fare, s.currency, at+".fare", ps):
		case len(cp.fares) > 0 && !fare.LessThan(cp.fares[len(cp.fares)-1]):
			ps.add(at+".fare", "%s is not below the fare of class %s above it (%s); list classes from the highest base fare down, each strictly lower",
				rd.Fare, cp.classes[len(cp.classes)-1], cp.fares[len(cp.fares)-1])
		}
		checkProtect(rd.Protect, prevProtect, i == len(cd.Ladder)-1, at+".protect", ps)
		prevProtect = max(prevProtect, rd.Protect)

		cp.classes = append(cp.classes, rd.Class)
		cp.fares = append(cp.fares, fare)
		cp.fareFloats = append(cp.fareFloats, fare.InexactFloat64())
		if i < len(cd.Ladder)-1 {
			cp.static = append(cp.static, rd.Protect)
		}
	}
	cp.floor, cp.ceiling = parseGuardrails(cd, path, s, ps)
	return cp
}

func checkProtect(protect, prev int, last bool, path string, ps *problems) {
	switch {
	case protect < 0:
		ps.add(path, "%d is negative; protect 0 or more seats", protect)
	case last:
		if protect != 0 {
			ps.add(path, "%d on the lowest class protects nothing, because no class is below it; remove it", protect)
		}
	case protect < prev:
		ps.add(path, "%d is below the %d protected for the classes above; protection counts classes 1..j together, so it never decreases down the ladder", protect, prev)
	}
}

// parseGuardrails checks the cabin's floor and ceiling: both required,
// above zero, in whole minor units, floor <= ceiling, and price points when
// the cabin has them.
func parseGuardrails(cd cabinDoc, path string, s settings, ps *problems) (floor, ceiling decimal.Decimal) {
	floorOK, ceilingOK := false, false
	if cd.Floor == "" {
		ps.add(path+".floor", "missing; set the lowest price this cabin may show")
	} else {
		floor, floorOK = parseGuardrail(cd.Floor, path+".floor", s, ps)
	}
	if cd.Ceiling == "" {
		ps.add(path+".ceiling", "missing; set the highest price this cabin may show")
	} else {
		ceiling, ceilingOK = parseGuardrail(cd.Ceiling, path+".ceiling", s, ps)
	}
	if floorOK && ceilingOK && floor.GreaterThan(ceiling) {
		ps.add(path+".floor", "%s is above the ceiling %s; the floor must be at or below the ceiling", cd.Floor, cd.Ceiling)
	}
	return floor, ceiling
}

func parseGuardrail(text, path string, s settings, ps *problems) (decimal.Decimal, bool) {
	d, ok := parseDecimal(text, path, ps)
	switch {
	case !ok:
		return d, false
	case !d.IsPositive():
		ps.add(path, "%s must be above 0", text)
		return d, false
	case s.currency != "" && !checkMoney(d, s.currency, path, ps):
		return d, false
	case s.points != nil && !s.points.contains(d):
		ps.add(path, "%s is not a price point (price points are %s); use %s", text, s.points.describe(), s.points.neighbours(d))
		return d, false
	}
	return d, true
}

// guardrailUnits converts the validated floor, ceiling and price points to
// minor units. Validation keeps them whole in minor units and below
// maxAmount, so they fit.
func guardrailUnits(cp *cabinPolicy) cabinUnits {
	u := cabinUnits{
		roundLabel:   "round " + string(cp.rounding),
		floorLabel:   "floor " + cp.show(cp.floor),
		ceilingLabel: "ceiling " + cp.show(cp.ceiling),
	}
	u.floor, _ = toUnits(cp.floor, cp.places)
	u.ceiling, _ = toUnits(cp.ceiling, cp.places)
	u.floorPrice = ladderPrice{units: u.floor, amount: fromUnits(u.floor, cp.places), hasAmount: true}
	u.ceilingPrice = ladderPrice{units: u.ceiling, amount: fromUnits(u.ceiling, cp.places), hasAmount: true}
	u.cappedLabels = make([]string, len(cp.classes))
	for j := 1; j < len(cp.classes); j++ {
		u.cappedLabels[j] = "capped at class " + cp.classes[j-1]
	}
	if pp := cp.points; pp != nil {
		u.hasPoints = true
		u.step, _ = toUnits(pp.step, cp.places)
		u.offset, _ = toUnits(pp.offset, cp.places)
		u.lowest, _ = toUnits(pp.lowest(), cp.places)
		u.snap = pp.snap
		u.snapLabel = "snap " + string(pp.snap)
	}
	return u
}

// checkOverlaps reports a route and cabin covered twice on the same date:
// two entries for all dates, or two date ranges that overlap.
func checkOverlaps(doc *policyDoc, ps *problems) {
	type span struct {
		index    int
		dated    bool
		from, to time.Time
	}
	seen := make(map[string][]span) // "JFK-LHR Y" -> entries covering it
	for i, md := range doc.Markets {
		s := span{index: i, dated: md.Dates != nil}
		if s.dated {
			s.from, s.to = parseDates(md.Dates, "", &problems{})
		}
		for _, cabin := range sortedKeys(md.Cabins) {
			key := md.Route + " " + cabin
			for _, o := range seen[key] {
				if o.dated != s.dated {
					continue // a dated entry wins over an all-dates one
				}
				if !s.dated || (!s.from.After(o.to) && !o.from.After(s.to)) {
					ps.add(fmt.Sprintf("markets[%d].cabins.%s", i, cabin),
						"route %s cabin %s is already priced by markets[%d] for some of the same dates; merge the entries or make their date ranges disjoint", md.Route, cabin, o.index)
				}
			}
			seen[key] = append(seen[key], s)
		}
	}
}

func isCabinCode(s string) bool {
	return len(s) >= 1 && len(s) <= 2 && strings.IndexFunc(s, func(r rune) bool { return r < 'A' || r > 'Z' }) < 0
}

func isClassCode(s string) bool {
	return len(s) == 1 && s[0] >= 'A' && s[0] <= 'Z'
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
