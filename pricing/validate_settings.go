package pricing

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Defaults for settings that no level of the policy sets.
const (
	defaultRounding    = RoundHalfUp
	defaultMaxQuoteAge = 24 * time.Hour
	defaultMethod      = ProtectEMSRb
)

// partialSettings are the settings one level (defaults, market or cabin)
// sets; zero values inherit from the level above.
type partialSettings struct {
	currency string
	// currencyInvalid and paceInvalid are true when the level wrote the
	// setting but it failed validation. resolve then reports no "missing"
	// problem for it, because the invalid value was already reported.
	currencyInvalid bool
	paceInvalid     bool
	rounding        RoundingMode
	maxQuoteAge     time.Duration
	pace            []pacePoint
	points          *pricePoints
	rates           map[string]decimal.Decimal // keyed by pair, "EUR/USD"
	method          ProtectionMethod
}

// parseSettings checks the settings written at path and returns the valid
// ones; invalid ones are reported and left unset.
func parseSettings(doc settingsDoc, path string, ps *problems) partialSettings {
	var s partialSettings
	if doc.Currency != "" {
		if _, ok := MinorUnits(doc.Currency); ok {
			s.currency = doc.Currency
		} else {
			ps.add(path+".currency", "%q is not an ISO 4217 currency code this engine knows; use one such as USD, EUR or JPY", doc.Currency)
			s.currencyInvalid = true
		}
	}
	// A misspelt currency key or a list in its place was reported by the
	// structure check.
	if ps.follows(path + ".currency") {
		s.currencyInvalid = true
	}

	if doc.Rounding != "" {
		if mode := RoundingMode(doc.Rounding); mode.valid() {
			s.rounding = mode
		} else {
			ps.add(path+".rounding", "%q is not a rounding mode; use half_up, half_even, down, up, ceiling or floor", doc.Rounding)
		}
	}
	if doc.MaxQuoteAge != "" {
		age, err := time.ParseDuration(doc.MaxQuoteAge)
		if err != nil || age <= 0 {
			ps.add(path+".max_quote_age", "%q is not a positive duration; write one such as 24h or 90m", doc.MaxQuoteAge)
		} else {
			s.maxQuoteAge = age
		}
	}
	if doc.ProtectionMethod != "" {
		switch m := ProtectionMethod(doc.ProtectionMethod); m {
		case ProtectEMSRb, ProtectEMSRa, ProtectStatic:
			s.method = m
		default:
			ps.add(path+".protection_method", "%q is not a protection method; use emsr_b, emsr_a or static", doc.ProtectionMethod)
		}
	}

	before := ps.count()
	s.pace = parsePaceCurve(doc.PaceCurve, path+".pace_curve", ps)
	s.paceInvalid = ps.count() > before || ps.follows(path+".pace_curve")
	s.points = parsePricePoints(doc.PricePoints, path+".price_points", ps)
	s.rates = parseRates(doc.ExchangeRates, path+".exchange_rates", ps)
	return s
}

// parsePaceCurve returns the curve sorted by days, ascending.
func parsePaceCurve(doc []pacePointDoc, path string, ps *problems) []pacePoint {
	if len(doc) == 0 {
		return nil
	}
	curve := make([]pacePoint, 0, len(doc))
	for i, pt := range doc {
		at := fmt.Sprintf("%s[%d]", path, i)
		if pt.Days < 0 {
			ps.add(at+".days", "%d is negative; use days to departure, 0 or more", pt.Days)
			continue
		}
		lf, ok := parseDecimal(pt.LoadFactor, at+".load_factor", ps)
		if !ok {
			continue
		}
		if !lf.IsPositive() {
			ps.add(at+".load_factor", "%s must be above 0, because pace divides by it", pt.LoadFactor)
			continue
		}
		if slices.ContainsFunc(curve, func(p pacePoint) bool { return p.days == pt.Days }) {
			ps.add(at+".days", "%d appears twice in the curve; keep one point per day", pt.Days)
			continue
		}
		units, fits := toUnits(lf, paceScale)
		curve = append(curve, pacePoint{days: pt.Days, loadFactor: lf, units: units, fits: fits})
	}
	if len(curve) == 0 {
		return nil
	}
	slices.SortFunc(curve, func(a, b pacePoint) int { return cmp.Compare(a.days, b.days) })
	return curve
}

func parsePricePoints(doc *pricePointsDoc, path string, ps *problems) *pricePoints {
	if doc == nil {
		return nil
	}
	pp := &pricePoints{snap: SnapNearest, path: path}
	ok := true
	if doc.Step == "" {
		ps.add(path+".step", "missing; set the distance between price points, for example 5.00")
		ok = false
	} else if step, valid := parseDecimal(doc.Step, path+".step", ps); !valid {
		ok = false
	} else if !step.IsPositive() {
		ps.add(path+".step", "%s must be above 0", doc.Step)
		ok = false
	} else {
		pp.step = step
	}
	if doc.Offset != "" {
		offset, valid := parseDecimal(doc.Offset, path+".offset", ps)
		switch {
		case !valid:
			ok = false
		case offset.IsNegative() || (pp.step.IsPositive() && offset.GreaterThanOrEqual(pp.step)):
			ps.add(path+".offset", "%s must be at least 0 and below the step %s", doc.Offset, doc.Step)
			ok = false
		default:
			pp.offset = offset
		}
	}
	switch snap := SnapDirection(doc.Snap); snap {
	case "":
	case SnapNearest, SnapDown, SnapUp:
		pp.snap = snap
	default:
		ps.add(path+".snap", "%q is not a snap direction; use nearest, down or up", doc.Snap)
		ok = false
	}
	if !ok {
		return nil
	}
	return pp
}

// parseRates checks exchange rates written as "EUR/USD": "1.0850", meaning
// one EUR is worth 1.0850 USD.
func parseRates(doc map[string]string, path string, ps *problems) map[string]decimal.Decimal {
	if len(doc) == 0 {
		return nil
	}
	rates := make(map[string]decimal.Decimal, len(doc))
	for _, pair := range sortedKeys(doc) {
		at := path + "." + pair
		from, to, found := strings.Cut(pair, "/")
		_, fromOK := MinorUnits(from)
		_, toOK := MinorUnits(to)
		if !found || !fromOK || !toOK || from == to {
			ps.add(at, "%q is not a currency pair; write QUOTE/CABIN with two different ISO 4217 codes, for example EUR/USD: 1.0850 for 1 EUR = 1.0850 USD", pair)
			continue
		}
		rate, ok := parseDecimal(doc[pair], at, ps)
		if !ok {
			continue
		}
		if !rate.IsPositive() {
			ps.add(at, "%s must be above 0", doc[pair])
			continue
		}
		rates[pair] = rate
	}
	return rates
}

// resolve merges the levels, later ones overriding earlier ones, and fills
// in the defaults. It reports a missing currency at path, and price points
// finer than the currency's minor unit where they were set. An invalid
// currency or pace curve overrides the levels above it as unset, and is not
// reported again.
func resolve(path string, ps *problems, levels ...partialSettings) (settings, bool) {
	var merged partialSettings
	for _, l := range levels {
		switch {
		case l.currencyInvalid:
			merged.currency, merged.currencyInvalid = "", true
		case l.currency != "":
			merged.currency, merged.currencyInvalid = l.currency, false
		}
		merged.rounding = cmp.Or(l.rounding, merged.rounding)
		merged.maxQuoteAge = cmp.Or(l.maxQuoteAge, merged.maxQuoteAge)
		merged.method = cmp.Or(l.method, merged.method)
		switch {
		case l.pace != nil:
			merged.pace, merged.paceInvalid = l.pace, false
		case l.paceInvalid:
			merged.pace, merged.paceInvalid = nil, true
		}
		if l.points != nil {
			merged.points = l.points
		}
		for pair, rate := range l.rates {
			if merged.rates == nil {
				merged.rates = make(map[string]decimal.Decimal)
			}
			merged.rates[pair] = rate
		}
	}

	if merged.currency == "" {
		if !merged.currencyInvalid {
			ps.add(path+".currency", "missing; set defaults.currency, or currency on the market or cabin")
		}
		return settings{}, false
	}
	places, _ := MinorUnits(merged.currency)
	s := settings{
		currency:    merged.currency,
		places:      places,
		rounding:    cmp.Or(merged.rounding, defaultRounding),
		maxQuoteAge: cmp.Or(merged.maxQuoteAge, defaultMaxQuoteAge),
		pace:        merged.pace,
		paceInvalid: merged.paceInvalid,
		points:      merged.points,
		method:      cmp.Or(merged.method, defaultMethod),
	}
	for pair, rate := range merged.rates {
		if from, to, _ := strings.Cut(pair, "/"); to == s.currency {
			if s.rates == nil {
				s.rates = make(map[string]decimal.Decimal)
			}
			s.rates[from] = rate
		}
	}
	if pp := s.points; pp != nil {
		checkMoney(pp.step, s.currency, pp.path+".step", ps)
		checkMoney(pp.offset, s.currency, pp.path+".offset", ps)
	}
	return s, true
}

// parseDecimal parses text as a decimal number, reporting text that is
// missing or not a number.
func parseDecimal(text, path string, ps *problems) (decimal.Decimal, bool) {
	if text == "" {
		ps.add(path, "missing; write a decimal number such as 120.50")
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		ps.add(path, "%q is not a decimal number; write one such as 120.50, without thousands separators or currency", text)
		return decimal.Decimal{}, false
	}
	return d, true
}

// checkMoney reports an amount with more fractional digits than the
// currency's minor unit, or too large for a price.
func checkMoney(d decimal.Decimal, currency, path string, ps *problems) bool {
	places, _ := MinorUnits(currency)
	if d.Abs().GreaterThanOrEqual(maxAmount) {
		ps.add(path, "%s is too large for a price; write less than 1000000000000", d)
		return false
	}
	if !d.Equal(d.Truncate(places)) {
		ps.add(path, "%s has more decimal places than %s allows (%d); write %s", d, currency, places, FormatAmount(d.Round(places), currency))
		return false
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
