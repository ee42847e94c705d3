package avro

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// The decimal type of every amount in the schemas: bytes holding the
// two's-complement, big-endian unscaled integer at this scale, so 40.20 is
// stored as 402000.
const (
	amountPrecision = 18
	amountScale     = 4
)

// ratFromDecimal converts d to the *big.Rat goavro encodes as a decimal of
// that precision and scale. goavro itself truncates extra fractional digits
// and ignores the precision, so both are checked here: a value that does not
// fit is rejected, never rounded.
func ratFromDecimal(field string, d decimal.Decimal, precision, scale int32) (*big.Rat, error) {
	if !d.Equal(d.Truncate(scale)) {
		return nil, fieldError(field, d.String(), fmt.Sprintf("at most %d fractional digits, so round the amount first", scale))
	}
	unscaled := d.Shift(scale).BigInt()
	if exceedsPrecision(unscaled, precision) {
		return nil, fieldError(field, d.String(), fmt.Sprintf("at most %d digits in total, %d of them after the point", precision, scale))
	}
	return new(big.Rat).SetFrac(unscaled, pow10(scale)), nil
}

// decimalFromRat converts a decoded decimal back to decimal.Decimal exactly.
// goavro returns the unscaled integer over 10^scale, reduced; bytes longer
// than the precision allows are rejected.
func decimalFromRat(field string, r *big.Rat, precision, scale int32) (decimal.Decimal, error) {
	if r == nil {
		return decimal.Decimal{}, missingField(field)
	}
	unscaled, remainder := new(big.Int).QuoRem(new(big.Int).Mul(r.Num(), pow10(scale)), r.Denom(), new(big.Int))
	if remainder.Sign() != 0 || exceedsPrecision(unscaled, precision) {
		return decimal.Decimal{}, fieldError(field, r.FloatString(int(scale)+2), fmt.Sprintf("a decimal of precision %d and scale %d", precision, scale))
	}
	return decimal.NewFromBigInt(unscaled, -scale), nil
}

// exceedsPrecision reports whether the unscaled integer has more than
// precision decimal digits.
func exceedsPrecision(unscaled *big.Int, precision int32) bool {
	return new(big.Int).Abs(unscaled).Cmp(pow10(precision)) >= 0
}

// pow10 returns 10^n. The callers only read the result, so the powers up to
// the schemas' precision are computed once and shared.
func pow10(n int32) *big.Int {
	if n >= 0 && int(n) < len(powersOf10) {
		return powersOf10[n]
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

var powersOf10 = func() (p [amountPrecision + 1]*big.Int) {
	for i := range p {
		p[i] = new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(i)), nil)
	}
	return p
}()

// amountToNative converts an amount for a decimal field of the schemas.
func amountToNative(field string, d decimal.Decimal) (*big.Rat, error) {
	return ratFromDecimal(field, d, amountPrecision, amountScale)
}

// amountFromNative converts a decoded decimal field of the schemas.
func amountFromNative(field string, v any) (decimal.Decimal, error) {
	r, ok := v.(*big.Rat)
	if !ok {
		return decimal.Decimal{}, typeError(field, v, "an Avro decimal")
	}
	return decimalFromRat(field, r, amountPrecision, amountScale)
}
