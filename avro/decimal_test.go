package avro

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/linkedin/goavro/v2"
	"github.com/shopspring/decimal"
)

// encodeDecimalBody encodes d as the body of a bare bytes-decimal schema of
// the given scale: the zig-zag length followed by the unscaled integer.
func encodeDecimalBody(t *testing.T, d decimal.Decimal, scale int32) []byte {
	t.Helper()
	codec, err := goavro.NewCodec(`{"type":"bytes","logicalType":"decimal","precision":18,"scale":` + big.NewInt(int64(scale)).String() + `}`)
	if err != nil {
		t.Fatalf("NewCodec: %v", err)
	}
	r, err := ratFromDecimal("fare", d, 18, scale)
	if err != nil {
		t.Fatalf("ratFromDecimal(%s, scale %d): %v", d, scale, err)
	}
	body, err := codec.BinaryFromNative(nil, r)
	if err != nil {
		t.Fatalf("BinaryFromNative: %v", err)
	}
	return body
}

func TestDecimalUnscaledBytes(t *testing.T) {
	cases := []struct {
		amount string
		scale  int32
		want   []byte // zig-zag length, then the two's-complement unscaled integer
	}{
		{"40.20", 2, []byte{0x04, 0x0F, 0xB4}},           // 4020
		{"40.20", 4, []byte{0x06, 0x06, 0x22, 0x50}},     // 402000
		{"0", 4, []byte{0x02, 0x00}},                     // 0
		{"-0.0001", 4, []byte{0x02, 0xFF}},               // -1
		{"-40.20", 2, []byte{0x04, 0xF0, 0x4C}},          // -4020
		{"1.28", 2, []byte{0x04, 0x00, 0x80}},            // 128 needs a sign byte
		{"-1.28", 2, []byte{0x02, 0x80}},                 // -128 fits one byte
		{"-1.29", 2, []byte{0x04, 0xFF, 0x7F}},           // -129
		{"-450.1234", 4, []byte{0x06, 0xBB, 0x51, 0x0E}}, // -4501234
	}
	for _, tc := range cases {
		got := encodeDecimalBody(t, mustDecimal(t, tc.amount), tc.scale)
		if !bytes.Equal(got, tc.want) {
			t.Errorf("%s at scale %d = % X, want % X", tc.amount, tc.scale, got, tc.want)
		}
	}
}

func TestDecimalDecodesExactly(t *testing.T) {
	for _, text := range []string{"40.20", "0", "-40.2", "0.0001", "-0.0001", "99999999999999.9999", "-99999999999999.9999"} {
		want := mustDecimal(t, text)
		r, err := amountToNative("fare", want)
		if err != nil {
			t.Fatalf("amountToNative(%s): %v", text, err)
		}
		got, err := amountFromNative("fare", r)
		if err != nil {
			t.Fatalf("amountFromNative(%s): %v", text, err)
		}
		if !got.Equal(want) {
			t.Errorf("round trip of %s = %s", text, got)
		}
	}
}

func TestDecimalRejectsExtraDigits(t *testing.T) {
	for _, text := range []string{"40.20001", "0.00005", "-1.23456", "100000000000000", "-100000000000000.0000"} {
		_, err := amountToNative("fare", mustDecimal(t, text))
		var fieldErr *FieldError
		if !errors.As(err, &fieldErr) {
			t.Errorf("amountToNative(%s) error = %v, want a *FieldError", text, err)
			continue
		}
		if fieldErr.Field != "fare" || fieldErr.Value != `"`+mustDecimal(t, text).String()+`"` {
			t.Errorf("amountToNative(%s) error names %s %s, want fare and the value", text, fieldErr.Field, fieldErr.Value)
		}
	}
}

func TestDecimalAcceptsTrailingZeros(t *testing.T) {
	r, err := amountToNative("fare", mustDecimal(t, "40.200000"))
	if err != nil {
		t.Fatalf("amountToNative(40.200000): %v", err)
	}
	if want := big.NewRat(402000, 10000); r.Cmp(want) != 0 {
		t.Errorf("amountToNative(40.200000) = %s, want %s", r, want)
	}
}

func TestDecimalRejectsOversizedBytes(t *testing.T) {
	// 10^18 units at scale 4 has 19 digits: more than the precision allows.
	tooLong := new(big.Rat).SetFrac(pow10(18), pow10(4))
	if _, err := amountFromNative("fare", tooLong); err == nil {
		t.Errorf("amountFromNative(10^14) error = nil, want a precision error")
	}
}

func TestBookingFareOnWire(t *testing.T) {
	c := newCatalog(t)
	b := testBooking(t)
	b.Fare = mustDecimal(t, "40.20")
	record, err := c.EncodeEvent(b)
	if err != nil {
		t.Fatalf("EncodeEvent: %v", err)
	}
	// The fare's bytes are 402000 at scale 4, never the text "40.20".
	if !bytes.Contains(record, []byte{0x06, 0x06, 0x22, 0x50}) {
		t.Errorf("record % X does not contain the fare bytes 06 06 22 50", record)
	}
	if bytes.Contains(record, []byte("40.20")) {
		t.Errorf("record % X contains the fare's text", record)
	}
}

func TestEncodeRejectsFareDigits(t *testing.T) {
	c := newCatalog(t)
	b := testBooking(t)
	b.Fare = mustDecimal(t, "450.00005")
	_, err := c.EncodeEvent(b)
	var fieldErr *FieldError
	if !errors.Is(err, ErrInvalidRecord) || !errors.As(err, &fieldErr) || fieldErr.Field != "fare" {
		t.Errorf("EncodeEvent error = %v, want ErrInvalidRecord naming fare", err)
	}
}
