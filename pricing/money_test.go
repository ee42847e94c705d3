package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestMinorUnitsRequiredCurrencies(t *testing.T) {
	want := map[string]int32{
		"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "KWD": 3, "BHD": 3, "JOD": 3,
		"OMR": 3, "TND": 3, "CHF": 2, "CAD": 2, "AUD": 2, "SEK": 2, "NOK": 2,
		"DKK": 2, "CNY": 2, "INR": 2, "KRW": 0, "SGD": 2, "HKD": 2, "AED": 2, "SAR": 2,
	}
	for code, places := range want {
		got, ok := MinorUnits(code)
		if !ok || got != places {
			t.Errorf("MinorUnits(%q) = %d, %t, want %d, true", code, got, ok, places)
		}
	}
	if _, ok := MinorUnits("XYZ"); ok {
		t.Errorf("MinorUnits(XYZ) found a currency, want none")
	}
}

func TestRoundModes(t *testing.T) {
	tests := []struct {
		amount   string
		currency string
		mode     RoundingMode
		want     string
	}{
		{"10.005", "USD", RoundHalfUp, "10.01"},
		{"10.005", "USD", RoundHalfEven, "10.00"},
		{"10.015", "USD", RoundHalfEven, "10.02"},
		{"10.009", "USD", RoundDown, "10.00"},
		{"10.001", "USD", RoundUp, "10.01"},
		{"10.001", "USD", RoundCeiling, "10.01"},
		{"10.009", "USD", RoundFloor, "10.00"},
		{"-10.005", "USD", RoundHalfUp, "-10.01"},
		{"-10.001", "USD", RoundUp, "-10.01"},
		{"-10.001", "USD", RoundCeiling, "-10.00"},
		{"-10.001", "USD", RoundFloor, "-10.01"},
		{"-10.009", "USD", RoundDown, "-10.00"},
		{"12345.5", "JPY", RoundHalfUp, "12346"},
		{"12344.5", "JPY", RoundHalfEven, "12344"},
		{"12.4995", "KWD", RoundHalfUp, "12.500"},
		{"12.4995", "KWD", RoundDown, "12.499"},
	}
	for _, tt := range tests {
		got, err := Round(decimal.RequireFromString(tt.amount), tt.currency, tt.mode)
		if err != nil {
			t.Errorf("Round(%s, %s, %s): %v", tt.amount, tt.currency, tt.mode, err)
			continue
		}
		if !got.Equal(decimal.RequireFromString(tt.want)) {
			t.Errorf("Round(%s, %s, %s) = %s, want %s", tt.amount, tt.currency, tt.mode, got, tt.want)
		}
	}
}

func TestRoundRejectsUnknown(t *testing.T) {
	if _, err := Round(decimal.NewFromInt(1), "XYZ", RoundHalfUp); err == nil {
		t.Errorf("Round with currency XYZ: got nil error, want one")
	}
	if _, err := Round(decimal.NewFromInt(1), "USD", "bankers"); err == nil {
		t.Errorf("Round with mode bankers: got nil error, want one")
	}
}

// FormatAmount writes exactly the currency's minor digits.
func TestFormatAmountMinorDigits(t *testing.T) {
	tests := []struct {
		amount, currency, want string
	}{
		{"150", "USD", "150.00"},
		{"150.00", "USD", "150.00"},
		{"12.5", "KWD", "12.500"},
		{"12345", "JPY", "12345"},
		{"0", "BHD", "0.000"},
		{"-3.1", "EUR", "-3.10"},
		{"1.23", "XYZ", "1.23"},
	}
	for _, tt := range tests {
		if got := FormatAmount(decimal.RequireFromString(tt.amount), tt.currency); got != tt.want {
			t.Errorf("FormatAmount(%s, %s) = %q, want %q", tt.amount, tt.currency, got, tt.want)
		}
	}
}

// Splitting money allocates the remainder explicitly.
func TestSplitAllocatesRemainder(t *testing.T) {
	tests := []struct {
		total    string
		currency string
		n        int
		want     []string
	}{
		{"100.00", "USD", 3, []string{"33.34", "33.33", "33.33"}},
		{"100.00", "USD", 1, []string{"100.00"}},
		{"0.05", "USD", 3, []string{"0.02", "0.02", "0.01"}},
		{"0.01", "USD", 3, []string{"0.01", "0", "0"}},
		{"-100.00", "USD", 3, []string{"-33.34", "-33.33", "-33.33"}},
		{"10000", "JPY", 3, []string{"3334", "3333", "3333"}},
		{"10.000", "KWD", 3, []string{"3.334", "3.333", "3.333"}},
		{"90.00", "EUR", 3, []string{"30.00", "30.00", "30.00"}},
	}
	for _, tt := range tests {
		total := decimal.RequireFromString(tt.total)
		got, err := Split(total, tt.currency, tt.n)
		if err != nil {
			t.Errorf("Split(%s, %s, %d): %v", tt.total, tt.currency, tt.n, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("Split(%s, %s, %d) = %v, want %v", tt.total, tt.currency, tt.n, got, tt.want)
			continue
		}
		sum := decimal.Zero
		for i := range got {
			sum = sum.Add(got[i])
			if !got[i].Equal(decimal.RequireFromString(tt.want[i])) {
				t.Errorf("Split(%s, %s, %d)[%d] = %s, want %s", tt.total, tt.currency, tt.n, i, got[i], tt.want[i])
			}
		}
		if !sum.Equal(total) {
			t.Errorf("Split(%s, %s, %d) sums to %s, want %s", tt.total, tt.currency, tt.n, sum, tt.total)
		}
	}
}

func TestSplitRejectsBadInput(t *testing.T) {
	tests := []struct {
		total    string
		currency string
		n        int
	}{
		{"100.00", "USD", 0},
		{"100.00", "XYZ", 3},
		{"100.005", "USD", 3},
		{"0.5", "JPY", 2},
	}
	for _, tt := range tests {
		if got, err := Split(decimal.RequireFromString(tt.total), tt.currency, tt.n); err == nil {
			t.Errorf("Split(%s, %s, %d) = %v, want an error", tt.total, tt.currency, tt.n, got)
		}
	}
}
