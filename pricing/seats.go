package pricing

import (
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

// protection returns y_1..y_{n-1} in whole seats for the cabin's ladder:
// from EMSR on the forecast when there is one and the method allows it,
// otherwise from the static levels less the seats sold above. It writes
// them into levels, which has one entry fewer than the ladder has classes.
func (cp *cabinPolicy) protection(s inventory.Seats, levels []int) []int {
	if len(s.Forecast) == 0 || cp.method == ProtectStatic {
		return staticProtectionInto(levels, cp.static, cp.classes, s.SoldByClass)
	}

	// Align the forecast with the ladder. A class without one has zero demand.
	n := len(cp.classes)
	var alignedBuf [maxClasses]inventory.ClassForecast
	aligned := alignedBuf[:n]
	for _, fc := range s.Forecast {
		for j, class := range cp.classes {
			if fc.Class == class {
				aligned[j] = fc
				break
			}
		}
	}
	if n < 2 {
		return levels
	}
	var yBuf [maxClasses - 1]float64
	y := yBuf[:n-1]
	if cp.method == ProtectEMSRa {
		emsraInto(y, cp.fareFloats, aligned)
	} else {
		emsrbInto(y, cp.fareFloats, aligned)
	}
	return wholeSeatsInto(levels, y)
}

// lowestQuote returns the lowest valid competitor quote and its fare in the
// cabin's currency, or nil. A quote is valid when it is for this cabin, its
// fare is above zero, its currency is the cabin's or has an exchange rate,
// and it was observed at most maxQuoteAge before eventTime. A quote observed
// after eventTime is the freshest information there is, so it counts as
// valid. Ties go to the carrier code first in order, then the event id.
func (cp *cabinPolicy) lowestQuote(quotes []inventory.CompetitorFare, cabin string, eventTime time.Time) (*inventory.CompetitorFare, decimal.Decimal) {
	best := -1
	var bestFare quoteFare
	for i := range quotes {
		q := &quotes[i]
		if q.Cabin != cabin || !q.Fare.IsPositive() || eventTime.Sub(q.ObservedAt) > cp.maxQuoteAge {
			continue
		}
		fare, ok := cp.convert(q)
		if !ok {
			continue
		}
		if best >= 0 {
			c := fare.cmp(&bestFare)
			if c > 0 || (c == 0 && !quoteBefore(q, &quotes[best])) {
				continue
			}
		}
		best, bestFare = i, fare
	}
	if best < 0 {
		return nil, decimal.Decimal{}
	}
	chosen := quotes[best]
	return &chosen, bestFare.decimal()
}

// quoteFare is a quote's fare in the cabin's currency: the fare times the
// exchange rate, or the fare alone in the cabin's currency. Quotes are
// compared on the int64 product while it fits, so that ranking them
// allocates nothing, and only the chosen fare becomes a decimal.
type quoteFare struct {
	fare      decimal.Decimal
	rate      decimal.Decimal // valid when converted is true
	converted bool
	product   scaled // fare × rate, valid when fits is true
	fits      bool
}

// convert returns q's fare in the cabin's currency, and false when the
// policy has no exchange rate for its currency.
func (cp *cabinPolicy) convert(q *inventory.CompetitorFare) (quoteFare, bool) {
	f := quoteFare{fare: q.Fare}
	f.product, f.fits = scaledOf(q.Fare)
	if q.Currency == cp.currency {
		return f, true
	}
	rate, ok := cp.rates[q.Currency]
	if !ok {
		return quoteFare{}, false
	}
	f.rate, f.converted = rate, true
	if f.fits {
		r, rateFits := scaledOf(rate)
		f.product, f.fits = f.product.mul(r)
		f.fits = f.fits && rateFits
	}
	return f, true
}

// decimal returns the fare in the cabin's currency with every digit of the
// product.
func (f *quoteFare) decimal() decimal.Decimal {
	if f.converted {
		return f.fare.Mul(f.rate)
	}
	return f.fare
}

// cmp compares two fares like decimal.Decimal.Cmp.
func (f *quoteFare) cmp(other *quoteFare) int {
	if f.fits && other.fits {
		if c, ok := f.product.cmp(other.product); ok {
			return c
		}
	}
	return f.decimal().Cmp(other.decimal())
}

func quoteBefore(a, b *inventory.CompetitorFare) bool {
	if a.Carrier != b.Carrier {
		return a.Carrier < b.Carrier
	}
	return a.EventID < b.EventID
}

// paceAt returns the load factor (in hundredths of a percent) over the
// expected load factor at days to departure, in ten-thousandths rounded
// half up, and false when the cabin has no pace curve.
func (cp *cabinPolicy) paceAt(loadFactor int64, days int) (int64, bool) {
	lo, hi, ok := cp.paceSegment(days)
	if !ok {
		return 0, false
	}
	if units, ok := paceFromUnits(loadFactor, days, lo, hi); ok {
		return units, true
	}
	return paceFromDecimals(fromUnits(loadFactor, 2), days, lo, hi), true
}

// paceFromUnits computes paceFromDecimals' result in int64 arithmetic,
// which allocates nothing, and returns false when a curve value has no
// exact units or a product does not fit in an int64.
func paceFromUnits(loadFactor int64, days int, lo, hi pacePoint) (int64, bool) {
	if !lo.fits || !hi.fits {
		return 0, false
	}

	// expected × span = lf_lo × (d_hi − days) + lf_hi × (days − d_lo), in
	// units of 10^-paceScale percent. Flat beyond the curve: span 1.
	span, weightLo, weightHi := int64(1), int64(1), int64(0)
	if lo.days != hi.days {
		span, weightLo, weightHi = int64(hi.days-lo.days), int64(hi.days-days), int64(days-lo.days)
	}
	expectedLo, okLo := mulInt64(lo.units, weightLo)
	expectedHi, okHi := mulInt64(hi.units, weightHi)
	expected, okSum := addInt64(expectedLo, expectedHi)

	// The load factor is in 10^-2 percent, so scale it to the curve's units.
	actual, okSpan := mulInt64(loadFactor, span)
	actual, okScale := mulInt64(actual, pow10Int64[paceScale-2])
	if !(okLo && okHi && okSum && okSpan && okScale) || expected <= 0 {
		return 0, false
	}
	units, ok := ratioUnits(actual, expected, 4)
	if !ok || abs(units) >= pow10Int64[maxUnitDigits] {
		return 0, false
	}
	return units, true
}

// paceFromDecimals returns loadFactor (percent) over the expected load
// factor of the curve segment at days, in ten-thousandths rounded half up.
func paceFromDecimals(loadFactor decimal.Decimal, days int, lo, hi pacePoint) int64 {
	if lo.days == hi.days {
		return paceUnits(loadFactor, lo.loadFactor)
	}

	// pace = LF / (lf_lo + (lf_hi − lf_lo) × (days − d_lo) / (d_hi − d_lo)),
	// multiplied out so that only the final division rounds.
	span := decimal.NewFromInt(int64(hi.days - lo.days))
	expected := lo.loadFactor.Mul(span).Add(hi.loadFactor.Sub(lo.loadFactor).Mul(decimal.NewFromInt(int64(days - lo.days))))
	return paceUnits(loadFactor.Mul(span), expected)
}

// expectedAt returns the expected load factor (percent) at days to
// departure, rounded half up to 2 places, and false when the cabin has no
// pace curve.
func (cp *cabinPolicy) expectedAt(days int) (decimal.Decimal, bool) {
	lo, hi, ok := cp.paceSegment(days)
	if !ok {
		return decimal.Decimal{}, false
	}
	if lo.days == hi.days {
		return lo.loadFactor.Round(2), true
	}
	span := decimal.NewFromInt(int64(hi.days - lo.days))
	expected := lo.loadFactor.Mul(span).Add(hi.loadFactor.Sub(lo.loadFactor).Mul(decimal.NewFromInt(int64(days - lo.days))))
	return expected.DivRound(span, 2), true
}

// paceSegment returns the points of the pace curve around days, and false
// when the cabin has no curve. The curve is linear between its points and
// flat beyond its first and last points, where lo and hi are the same point.
func (cp *cabinPolicy) paceSegment(days int) (lo, hi pacePoint, ok bool) {
	curve := cp.pace
	switch {
	case len(curve) == 0:
		return pacePoint{}, pacePoint{}, false
	case days <= curve[0].days:
		return curve[0], curve[0], true
	case days >= curve[len(curve)-1].days:
		last := curve[len(curve)-1]
		return last, last, true
	}
	i := 0
	for curve[i+1].days <= days {
		i++
	}
	return curve[i], curve[i+1], true
}

// paceUnits returns actual / expected in ten-thousandths, rounded half up.
func paceUnits(actual, expected decimal.Decimal) int64 {
	if units, ok := toUnits(actual.DivRound(expected, 4), 4); ok {
		return units
	}
	return unitBound
}
