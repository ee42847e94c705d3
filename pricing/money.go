package pricing

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// minorUnits maps ISO 4217 currency codes to the number of digits after the
// decimal point of their minor unit (ISO 4217 list one, as published by the
// maintenance agency SIX). A currency missing here is rejected by the policy
// validator rather than guessed.
var minorUnits = map[string]int32{
	"AED": 2, "ARS": 2, "AUD": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2,
	"CLP": 0, "CNY": 2, "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2,
	"GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "IQD": 3,
	"ISK": 0, "JOD": 3, "JPY": 0, "KES": 2, "KRW": 0, "KWD": 3, "LYD": 3,
	"MAD": 2, "MXN": 2, "MYR": 2, "NOK": 2, "NZD": 2, "OMR": 3, "PEN": 2,
	"PHP": 2, "PKR": 2, "PLN": 2, "QAR": 2, "RON": 2, "SAR": 2, "SEK": 2,
	"SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "UGX": 0, "USD": 2,
	"VND": 0, "XAF": 0, "XOF": 0, "ZAR": 2,
}

// MinorUnits returns the digits after the decimal point of the currency's
// minor unit (2 for USD, 0 for JPY, 3 for KWD), and false for a code missing
// from the table.
func MinorUnits(currency string) (int32, bool) {
	d, ok := minorUnits[currency]
	return d, ok
}

// RoundingMode names how an amount is rounded to the currency's minor unit.
// Prices are positive, so down and floor agree, and so do up and ceiling;
// they differ only for negative amounts such as refunds.
type RoundingMode string

const (
	// RoundHalfUp rounds to the nearest unit, halves away from zero:
	// 10.005 USD becomes 10.01. The default.
	RoundHalfUp RoundingMode = "half_up"
	// RoundHalfEven rounds to the nearest unit, halves to the even neighbour
	// (banker's rounding): 10.005 becomes 10.00 and 10.015 becomes 10.02.
	RoundHalfEven RoundingMode = "half_even"
	// RoundDown drops the extra digits (toward zero): 10.009 becomes 10.00.
	RoundDown RoundingMode = "down"
	// RoundUp rounds away from zero whenever digits are dropped: 10.001
	// becomes 10.01.
	RoundUp RoundingMode = "up"
	// RoundCeiling rounds toward positive infinity.
	RoundCeiling RoundingMode = "ceiling"
	// RoundFloor rounds toward negative infinity.
	RoundFloor RoundingMode = "floor"
)

// valid reports whether m is one of the named modes.
func (m RoundingMode) valid() bool {
	switch m {
	case RoundHalfUp, RoundHalfEven, RoundDown, RoundUp, RoundCeiling, RoundFloor:
		return true
	}
	return false
}

// roundPlaces rounds d to places fractional digits with a mode that valid
// accepted.
func (m RoundingMode) roundPlaces(d decimal.Decimal, places int32) decimal.Decimal {
	switch m {
	case RoundHalfEven:
		return d.RoundBank(places)
	case RoundDown:
		return d.RoundDown(places)
	case RoundUp:
		return d.RoundUp(places)
	case RoundCeiling:
		return d.RoundCeil(places)
	case RoundFloor:
		return d.RoundFloor(places)
	default:
		return d.Round(places)
	}
}

// Round rounds amount to the currency's minor unit with the named mode. It
// fails on a currency missing from the ISO 4217 table or an unknown mode.
func Round(amount decimal.Decimal, currency string, mode RoundingMode) (decimal.Decimal, error) {
	places, ok := MinorUnits(currency)
	if !ok {
		return decimal.Decimal{}, fmt.Errorf("unknown currency %q: want an ISO 4217 code such as USD", currency)
	}
	if !mode.valid() {
		return decimal.Decimal{}, fmt.Errorf("unknown rounding mode %q: want half_up, half_even, down, up, ceiling or floor", mode)
	}
	return mode.roundPlaces(amount, places), nil
}

// FormatAmount writes d with exactly the currency's minor digits: "150.00"
// USD, "12.500" KWD, "12345" JPY. Amounts travel as such strings, never as
// floating-point numbers. d should already be rounded, and extra digits are
// rounded half away from zero. A currency missing from the table keeps the
// amount's own digits.
func FormatAmount(d decimal.Decimal, currency string) string {
	places, ok := MinorUnits(currency)
	if !ok {
		return d.String()
	}
	return d.StringFixed(places)
}

// Split divides total into n shares that differ by at most one minor unit
// and add up to total exactly: 100.00 USD in 3 is 33.34, 33.33, 33.33. The
// remainder goes one minor unit each to the first shares, so the order of
// the passengers decides who pays the extra cent. total must already be a
// whole number of minor units, because splitting is not the place to round.
func Split(total decimal.Decimal, currency string, n int) ([]decimal.Decimal, error) {
	places, ok := MinorUnits(currency)
	if !ok {
		return nil, fmt.Errorf("unknown currency %q: want an ISO 4217 code such as USD", currency)
	}
	if n < 1 {
		return nil, fmt.Errorf("invalid share count %d: want 1 or more", n)
	}
	if !total.Equal(total.Truncate(places)) {
		return nil, fmt.Errorf("invalid total %s %s: round it to %d decimal places before splitting", total, currency, places)
	}

	// Work in whole minor units so the division is exact integer arithmetic.
	units := total.Shift(places).BigInt()
	quotient, remainder := new(big.Int).QuoRem(units, big.NewInt(int64(n)), new(big.Int))
	extra := int(new(big.Int).Abs(remainder).Int64())
	step := big.NewInt(int64(remainder.Sign()))

	shares := make([]decimal.Decimal, n)
	for i := range shares {
		share := new(big.Int).Set(quotient)
		if i < extra {
			share.Add(share, step)
		}
		shares[i] = decimal.NewFromBigInt(share, -places)
	}
	return shares, nil
}
