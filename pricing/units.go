package pricing

import (
	"cmp"
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// Steps 4 to 6 of pricing (after the one rounding) and all rule conditions
// work on int64 counts of fixed units instead of decimals. A rounded price
// is a whole number of minor units, and every metric has a fixed number of
// decimal places, so integer arithmetic is exact there. It also allocates
// nothing, which keeps Decide cheap enough to run for every event.

// maxAmount bounds fares, floors, ceilings and price points in the policy:
// 10^12 currency units, far above any fare and below the 10^14 that an
// amount of precision 18 and scale 4 can hold.
var maxAmount = decimal.New(1, 12)

// maxUnitDigits is the most digits a price in minor units may have for the
// int64 path: 10^15 minor units is at least 10^12 currency units, so any
// larger price lies beyond every ceiling.
const maxUnitDigits = 15

var pow10Int64 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// toUnits converts d to a count of 10^-places units, and false when d has
// more decimal places or more than maxUnitDigits digits in those units.
func toUnits(d decimal.Decimal, places int32) (int64, bool) {
	shift := d.Exponent() + places
	if shift < 0 || int(shift)+d.NumDigits() > maxUnitDigits {
		return 0, false
	}
	return d.CoefficientInt64() * pow10Int64[shift], true
}

// fromUnits converts a count of 10^-places units back to a decimal.
func fromUnits(units int64, places int32) decimal.Decimal {
	return decimal.New(units, -places)
}

// unitBound is the outermost threshold a condition can hold, so that a
// threshold such as 1e30 still compares correctly.
const unitBound = int64(1) << 62

// thresholdUnits converts a condition threshold to units of 10^-places,
// rounding up (for at_or_above) or down (for at_or_below). A metric value
// is a whole number of units, so value >= t exactly when
// value >= ceil(t), and value <= t exactly when value <= floor(t).
func thresholdUnits(t decimal.Decimal, places int32, up bool) int64 {
	scaled := t.Shift(places)
	if up {
		scaled = scaled.Ceil()
	} else {
		scaled = scaled.Floor()
	}
	switch {
	case scaled.GreaterThan(decimal.NewFromInt(unitBound)):
		return unitBound
	case scaled.LessThan(decimal.NewFromInt(-unitBound)):
		return -unitBound
	}
	return scaled.IntPart()
}

// cabinUnits are the cabin's guardrails and price points in minor units.
type cabinUnits struct {
	floor, ceiling int64
	hasPoints      bool
	step, offset   int64
	lowest         int64 // the smallest price point above zero
	snap           SnapDirection
	// pointAmounts holds prebuilt decimals of the price points, nil
	// without price points.
	pointAmounts *pointAmounts

	// floorPrice and ceilingPrice are floor and ceiling with their decimals
	// built, so clamping to them allocates nothing.
	floorPrice, ceilingPrice ladderPrice

	// Labels of the guardrail steps in AppliedRule.Effect, built once.
	roundLabel, snapLabel, floorLabel, ceilingLabel string
	// cappedLabels[j] is the label of the monotone step of class j, which
	// caps it at the class above.
	cappedLabels []string
}

// snapUnits moves a price in minor units to a price point in the cabin's
// snap direction. A price at or below the lowest point moves up to it
// whatever the direction, so a price never snaps to zero or below.
func (u *cabinUnits) snapUnits(price int64) int64 {
	if price <= u.lowest {
		return u.lowest
	}
	rem := (price - u.offset) % u.step
	if rem == 0 {
		return price
	}
	below := price - rem
	above := below + u.step
	switch u.snap {
	case SnapDown:
		return below
	case SnapUp:
		return above
	default:
		if price-below < above-price {
			return below
		}
		return above
	}
}

// coefficient returns d as an int64 count of 10^exp units, and false when d
// has more decimal places than -exp or does not fit in 18 digits.
func coefficient(d decimal.Decimal, exp int32) (int64, bool) {
	shift := d.Exponent() - exp
	if shift < 0 || int(shift)+d.NumDigits() > 18 {
		return 0, false
	}
	return d.CoefficientInt64() * pow10Int64[shift], true
}

// roundUnits rounds d to a count of 10^-places units with the mode, without
// allocating, and false when d is too large for the integer path (the
// caller then rounds with decimals).
func roundUnits(d decimal.Decimal, places int32, mode RoundingMode) (int64, bool) {
	if d.Exponent() >= -places {
		return toUnits(d, places)
	}
	drop := -d.Exponent() - places // digits to remove, at least 1
	if drop > 18 || d.NumDigits() > 18 {
		return 0, false
	}
	coef := d.CoefficientInt64()
	divisor := pow10Int64[drop]
	quotient, remainder := coef/divisor, coef%divisor // both truncated toward zero
	if remainder == 0 {
		return quotient, true
	}
	away := quotient + sign(coef) // the neighbour away from zero
	twice := 2 * abs(remainder)   // compare the dropped part with one half
	switch mode {
	case RoundDown:
		return quotient, true
	case RoundUp:
		return away, true
	case RoundCeiling:
		return max(quotient, away), true
	case RoundFloor:
		return min(quotient, away), true
	case RoundHalfEven:
		if twice > divisor || (twice == divisor && quotient%2 != 0) {
			return away, true
		}
		return quotient, true
	default: // RoundHalfUp: halves away from zero
		if twice >= divisor {
			return away, true
		}
		return quotient, true
	}
}

// wholeUnits reports whether d is a whole number of 10^-places units, so
// rounding it to places changes nothing.
func wholeUnits(d decimal.Decimal, places int32) bool {
	drop := -d.Exponent() - places
	if drop <= 0 {
		return true
	}
	if drop <= 18 && d.NumDigits() <= 18 {
		return d.CoefficientInt64()%pow10Int64[drop] == 0
	}
	return d.Equal(d.Truncate(places))
}

// ratioUnits returns numerator × 10^places / denominator rounded half away
// from zero, for a positive denominator, and false when the result does
// not fit in an int64.
func ratioUnits(numerator, denominator int64, places int32) (int64, bool) {
	hi, lo := bits.Mul64(uint64(abs(numerator)), uint64(pow10Int64[places]))
	if hi >= uint64(denominator) {
		return 0, false
	}
	quotient, remainder := bits.Div64(hi, lo, uint64(denominator))
	if remainder >= uint64(denominator)-remainder {
		quotient++
	}
	if quotient > math.MaxInt64 {
		return 0, false
	}
	return sign(numerator) * int64(quotient), true
}

// mulInt64 returns a × b, and false when the product does not fit.
func mulInt64(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(abs(a)), uint64(abs(b)))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	return sign(a) * sign(b) * int64(lo), true
}

// addInt64 returns a + b, and false when the sum does not fit.
func addInt64(a, b int64) (int64, bool) {
	sum := a + b
	if (a > 0 && b > 0 && sum < 0) || (a < 0 && b < 0 && sum >= 0) {
		return 0, false
	}
	return sum, true
}

// scaled is coef × 10^exp: the coefficient and exponent of a decimal whose
// coefficient fits in an int64. Arithmetic on it forms the same
// coefficient and exponent that decimal.Decimal would, without allocating.
type scaled struct {
	coef int64
	exp  int32
}

// scaledOf returns d as a scaled, and false when its coefficient has more
// than 18 digits.
func scaledOf(d decimal.Decimal) (scaled, bool) {
	if d.NumDigits() > 18 {
		return scaled{}, false
	}
	return scaled{d.CoefficientInt64(), d.Exponent()}, true
}

// mul returns a × b as decimal.Decimal.Mul forms it, and false when the
// coefficient or the exponent does not fit.
func (a scaled) mul(b scaled) (scaled, bool) {
	coef, ok := mulInt64(a.coef, b.coef)
	exp := int64(a.exp) + int64(b.exp)
	if !ok || exp < math.MinInt32 || exp > math.MaxInt32 {
		return scaled{}, false
	}
	return scaled{coef, int32(exp)}, true
}

// add returns a + b as decimal.Decimal.Add forms it, at the smaller
// exponent, and false when a coefficient does not fit.
func (a scaled) add(b scaled) (scaled, bool) {
	exp := min(a.exp, b.exp)
	if int64(a.exp)-int64(exp) > 18 || int64(b.exp)-int64(exp) > 18 {
		return scaled{}, false
	}
	x, xOK := mulInt64(a.coef, pow10Int64[a.exp-exp])
	y, yOK := mulInt64(b.coef, pow10Int64[b.exp-exp])
	sum, sumOK := addInt64(x, y)
	return scaled{sum, exp}, xOK && yOK && sumOK
}

// mulAmounts returns a × b with the coefficient and exponent that
// decimal.Decimal.Mul gives, and false when they do not fit an int64. It
// skips Mul's big.Int arithmetic and allocates fewer bytes.
func mulAmounts(a, b decimal.Decimal) (decimal.Decimal, bool) {
	x, xOK := scaledOf(a)
	y, yOK := scaledOf(b)
	if !xOK || !yOK {
		return decimal.Decimal{}, false
	}
	product, ok := x.mul(y)
	if !ok || product.coef == 0 {
		return decimal.Decimal{}, false
	}
	return decimal.New(product.coef, product.exp), true
}

// addAmounts is mulAmounts for a + b and decimal.Decimal.Add.
func addAmounts(a, b decimal.Decimal) (decimal.Decimal, bool) {
	x, xOK := scaledOf(a)
	y, yOK := scaledOf(b)
	if !xOK || !yOK {
		return decimal.Decimal{}, false
	}
	sum, ok := x.add(y)
	if !ok || sum.coef == 0 {
		return decimal.Decimal{}, false
	}
	return decimal.New(sum.coef, sum.exp), true
}

// cmp compares a and b like decimal.Decimal.Cmp, and false when bringing
// them to one exponent overflows.
func (a scaled) cmp(b scaled) (int, bool) {
	x, y := a.coef, b.coef
	ok := true
	// Scale up the coefficient with the larger exponent, which is exact.
	switch shift := int64(a.exp) - int64(b.exp); {
	case shift > 18 || shift < -18:
		return 0, false
	case shift > 0:
		x, ok = mulInt64(x, pow10Int64[shift])
	case shift < 0:
		y, ok = mulInt64(y, pow10Int64[-shift])
	}
	if !ok {
		return 0, false
	}
	return cmp.Compare(x, y), true
}

// compareAmounts compares a and b like decimal.Decimal.Cmp, which
// allocates when their exponents differ. It allocates nothing while both
// coefficients fit in an int64.
func compareAmounts(a, b decimal.Decimal) int {
	x, xOK := scaledOf(a)
	y, yOK := scaledOf(b)
	if xOK && yOK {
		if c, ok := x.cmp(y); ok {
			return c
		}
	}
	return a.Cmp(b)
}

func sign(x int64) int64 {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
