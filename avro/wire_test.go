package avro

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/fareflow/fareflow/inventory"
)

func TestPromoCodeSetAndNil(t *testing.T) {
	c := newCatalog(t)
	for _, code := range []*string{nil, ptr("XMAS10"), ptr("0")} {
		b := testBooking(t)
		b.PromoCode = code
		record, err := c.EncodeEvent(b)
		if err != nil {
			t.Fatalf("EncodeEvent: %v", err)
		}
		e, err := c.DecodeEvent(record)
		if err != nil {
			t.Fatalf("DecodeEvent: %v", err)
		}
		got := e.(*inventory.Booking).PromoCode
		switch {
		case code == nil && got != nil:
			t.Errorf("promo code = %q, want nil", *got)
		case code != nil && got == nil:
			t.Errorf("promo code = nil, want %q", *code)
		case code != nil && *got != *code:
			t.Errorf("promo code = %q, want %q", *got, *code)
		}
	}
}

func TestOfferedZeroPriceStaysSet(t *testing.T) {
	c := newCatalog(t)
	d := testDecision(t)
	d.OfferedPrice = mustDecimal(t, "0")
	record, err := c.EncodeDecision(d)
	if err != nil {
		t.Fatalf("EncodeDecision: %v", err)
	}
	got, err := c.DecodeDecision(record)
	if err != nil {
		t.Fatalf("DecodeDecision: %v", err)
	}
	if got.OfferedClass != "Q" || !got.OfferedPrice.IsZero() {
		t.Errorf("offered = %q at %s, want Q at 0", got.OfferedClass, got.OfferedPrice)
	}
}

func TestClosedDecisionRejectsPrice(t *testing.T) {
	c := newCatalog(t)
	d := testDecision(t)
	d.OfferedClass = ""
	if _, err := c.EncodeDecision(d); !errors.Is(err, ErrInvalidRecord) {
		t.Errorf("EncodeDecision error = %v, want ErrInvalidRecord", err)
	}
}

func TestDecodeUnknownFingerprint(t *testing.T) {
	c := newCatalog(t)
	record, err := c.EncodeEvent(testBooking(t))
	if err != nil {
		t.Fatalf("EncodeEvent: %v", err)
	}
	binary.LittleEndian.PutUint64(record[2:], 0x0123456789abcdef)
	_, err = c.DecodeEvent(record)
	if !errors.Is(err, ErrUnknownSchema) {
		t.Fatalf("DecodeEvent error = %v, want ErrUnknownSchema", err)
	}
	if !strings.Contains(err.Error(), "0123456789abcdef") {
		t.Errorf("error %q does not name the fingerprint 0123456789abcdef", err)
	}
}

func TestDecodeBadMagic(t *testing.T) {
	c := newCatalog(t)
	record, err := c.EncodeEvent(testBooking(t))
	if err != nil {
		t.Fatalf("EncodeEvent: %v", err)
	}
	registryFramed := append([]byte{0x00, 0, 0, 0, 7}, record[10:]...)
	for name, b := range map[string][]byte{
		"registry framing": registryFramed,
		"empty":            nil,
		"magic only":       {0xC3, 0x01},
		"short header":     record[:9],
	} {
		if _, err := c.DecodeEvent(b); !errors.Is(err, ErrNotSingleObject) {
			t.Errorf("%s: DecodeEvent error = %v, want ErrNotSingleObject", name, err)
		}
	}
}

func TestDecodeTruncatedBody(t *testing.T) {
	c := newCatalog(t)
	record, err := c.EncodeEvent(testBooking(t))
	if err != nil {
		t.Fatalf("EncodeEvent: %v", err)
	}
	for n := singleObjectHeaderLen; n < len(record); n++ {
		if _, err := c.DecodeEvent(record[:n]); !errors.Is(err, ErrInvalidRecord) {
			t.Fatalf("DecodeEvent of %d of %d bytes: error = %v, want ErrInvalidRecord", n, len(record), err)
		}
	}
}

func TestDecodeTrailingBytes(t *testing.T) {
	c := newCatalog(t)
	record, err := c.EncodeEvent(testBooking(t))
	if err != nil {
		t.Fatalf("EncodeEvent: %v", err)
	}
	if _, err := c.DecodeEvent(append(record, 0x00)); !errors.Is(err, ErrInvalidRecord) {
		t.Errorf("DecodeEvent error = %v, want ErrInvalidRecord", err)
	}
}

func TestDecodeWrongRecordType(t *testing.T) {
	c := newCatalog(t)
	decision, err := c.EncodeDecision(testDecision(t))
	if err != nil {
		t.Fatalf("EncodeDecision: %v", err)
	}
	event, err := c.EncodeEvent(testBooking(t))
	if err != nil {
		t.Fatalf("EncodeEvent: %v", err)
	}
	if _, err := c.DecodeEvent(decision); !errors.Is(err, ErrWrongRecordType) {
		t.Errorf("DecodeEvent(price update) error = %v, want ErrWrongRecordType", err)
	}
	if _, err := c.DecodeDecision(event); !errors.Is(err, ErrWrongRecordType) {
		t.Errorf("DecodeDecision(booking) error = %v, want ErrWrongRecordType", err)
	}
	if _, err := c.DecodeState(event); !errors.Is(err, ErrWrongRecordType) {
		t.Errorf("DecodeState(booking) error = %v, want ErrWrongRecordType", err)
	}
}

// TestDecodeRejectsInvalidValues writes records that break the data contract
// straight through goavro, as a producer without this package could, and
// checks that DecodeEvent names the field.
func TestDecodeRejectsInvalidValues(t *testing.T) {
	c := newCatalog(t)
	cases := map[string]struct {
		edit  func(map[string]any)
		field string
	}{
		"zero seats":       {func(m map[string]any) { m["seats"] = int32(0) }, "seats"},
		"empty event id":   {func(m map[string]any) { m["event_id"] = "" }, "event_id"},
		"lower currency":   {func(m map[string]any) { m["currency"] = "usd" }, "currency"},
		"two-letter class": {func(m map[string]any) { m["booking_class"] = "QQ" }, "booking_class"},
		"empty promo code": {func(m map[string]any) { m["promo_code"] = union(unionString, "") }, "promo_code"},
		"negative fare":    {func(m map[string]any) { m["fare"], _ = amountToNative("fare", mustDecimal(t, "-1")) }, "fare"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			native, err := bookingToNative(testBooking(t))
			if err != nil {
				t.Fatalf("bookingToNative: %v", err)
			}
			tc.edit(native)
			record, err := singleObject(c.booking, native)
			if err != nil {
				t.Fatalf("singleObject: %v", err)
			}
			_, err = c.DecodeEvent(record)
			var fieldErr *FieldError
			if !errors.Is(err, ErrInvalidRecord) || !errors.As(err, &fieldErr) {
				t.Fatalf("DecodeEvent error = %v, want ErrInvalidRecord with a *FieldError", err)
			}
			if fieldErr.Field != tc.field {
				t.Errorf("error names field %q, want %q", fieldErr.Field, tc.field)
			}
		})
	}
}

func TestDecodeRejectsUnknownTimeZone(t *testing.T) {
	c := newCatalog(t)
	native := loadFactorToNative(testLoadFactor(t))
	native["flight"].(map[string]any)["origin_time_zone"] = "America/Gotham"
	record, err := singleObject(c.loadFactor, native)
	if err != nil {
		t.Fatalf("singleObject: %v", err)
	}
	_, err = c.DecodeEvent(record)
	if !errors.Is(err, ErrInvalidRecord) || !strings.Contains(err.Error(), "America/Gotham") {
		t.Errorf("DecodeEvent error = %v, want ErrInvalidRecord naming America/Gotham", err)
	}
}

// singleObject frames goavro's binary encoding of native with the
// spec-correct single-object header, so tests can write records that
// bypass the package's own checks.
func singleObject(s *Schema, native map[string]any) ([]byte, error) {
	return s.codec.BinaryFromNative(SingleObject{}.AppendHeader(nil, s), native)
}

// TestSingleObjectMatchesGoavro checks that the header and body equal
// goavro's encoding of the same booking; goavro's own header is not used,
// because its fingerprint keeps logical types in the canonical form.
func TestSingleObjectMatchesGoavro(t *testing.T) {
	c := newCatalog(t)
	b := testBooking(t)
	ours, err := c.EncodeEvent(b)
	if err != nil {
		t.Fatalf("EncodeEvent: %v", err)
	}
	native, err := bookingToNative(b)
	if err != nil {
		t.Fatalf("bookingToNative: %v", err)
	}
	theirs, err := singleObject(c.booking, native)
	if err != nil {
		t.Fatalf("singleObject: %v", err)
	}
	if string(ours) != string(theirs) {
		t.Errorf("EncodeEvent = % X\ngoavro = % X", ours, theirs)
	}
}

func TestSchemaFingerprints(t *testing.T) {
	c := newCatalog(t)
	seen := map[uint64]string{}
	for _, s := range c.Schemas() {
		if !strings.HasPrefix(s.Name(), namespace+".") {
			t.Errorf("schema %s has name %s, want the %s namespace", s.File(), s.Name(), namespace)
		}
		if other, ok := seen[s.Fingerprint()]; ok {
			t.Errorf("schemas %s and %s share fingerprint %016x", s.File(), other, s.Fingerprint())
		}
		seen[s.Fingerprint()] = s.File()
		t.Logf("%s %s %016x", s.File(), s.Name(), s.Fingerprint())
	}
}

func TestTimesDropSubMillisecond(t *testing.T) {
	c := newCatalog(t)
	b := testBooking(t)
	b.EventTime = mustTime(t, "2026-11-02T10:15:00.123456789Z")
	record, err := c.EncodeEvent(b)
	if err != nil {
		t.Fatalf("EncodeEvent: %v", err)
	}
	e, err := c.DecodeEvent(record)
	if err != nil {
		t.Fatalf("DecodeEvent: %v", err)
	}
	if want := mustTime(t, "2026-11-02T10:15:00.123Z"); !e.Time().Equal(want) {
		t.Errorf("event time = %v, want %v", e.Time(), want)
	}
}

func TestDecodeOfferedPriceWithoutClass(t *testing.T) {
	c := newCatalog(t)
	native, err := decisionToNative(testDecision(t))
	if err != nil {
		t.Fatalf("decisionToNative: %v", err)
	}
	native["offered_class"] = nil
	record, err := singleObject(c.priceUpdate, native)
	if err != nil {
		t.Fatalf("singleObject: %v", err)
	}
	_, err = c.DecodeDecision(record)
	var fieldErr *FieldError
	if !errors.Is(err, ErrInvalidRecord) || !errors.As(err, &fieldErr) || fieldErr.Field != "offered_price" {
		t.Errorf("DecodeDecision error = %v, want ErrInvalidRecord naming offered_price", err)
	}
}
