package avro

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
	"github.com/shopspring/decimal"
)

// millisLayout writes a time in RFC 3339 with exactly three fractional
// digits, the precision of Avro timestamp-millis.
const millisLayout = "2006-01-02T15:04:05.000Z07:00"

// amountPattern is the text of an amount: an optional minus sign, digits and
// an optional fraction. Exponents and a leading plus are rejected so that
// one amount has few spellings.
var amountPattern = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// decodeStrict decodes one JSON object into v, rejecting unknown fields and
// anything after the object.
func decodeStrict(line []byte, v any) error {
	return decodeObject(line, v, true)
}

// decodeObject decodes one JSON value into v and rejects anything after it.
func decodeObject(line []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("empty line: want one JSON object")
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fieldError(typeErr.Field, "JSON "+typeErr.Value, "a JSON "+jsonKind(typeErr.Type.Kind()))
	case err != nil:
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON object: want one object per line")
	}
	return nil
}

// jsonReader converts the fields of a decoded JSON object, keeping the first
// failure so a converter reads every field and checks once. A nil pointer is
// a missing or null field.
type jsonReader struct {
	err error
}

func (r *jsonReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *jsonReader) str(field string, p *string) string {
	if p == nil {
		r.fail(missingField(field))
		return ""
	}
	return *p
}

func (r *jsonReader) int(field string, p *int) int {
	if p == nil {
		r.fail(missingField(field))
		return 0
	}
	return *p
}

func (r *jsonReader) float(field string, p *float64) float64 {
	if p == nil {
		r.fail(missingField(field))
		return 0
	}
	return *p
}

func (r *jsonReader) time(field string, p *string) time.Time {
	s := r.str(field, p)
	if p == nil {
		return time.Time{}
	}
	t, err := parseTime(field, s)
	r.fail(err)
	return t
}

func (r *jsonReader) date(field string, p *string) time.Time {
	s := r.str(field, p)
	if p == nil {
		return time.Time{}
	}
	d, err := inventory.ParseDate(s)
	if err != nil {
		r.fail(fieldError(field, s, "a calendar date as YYYY-MM-DD"))
	}
	return d
}

func (r *jsonReader) amount(field string, raw json.RawMessage) decimal.Decimal {
	d, err := parseAmount(field, raw)
	r.fail(err)
	return d
}

// parseTime parses an RFC 3339 time into UTC. More precision than a
// millisecond is rejected, because the Avro form cannot carry it and a round
// trip through Avro would change the time.
func parseTime(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fieldError(field, s, "an RFC 3339 time such as 2026-11-02T10:15:00Z")
	}
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		return time.Time{}, fieldError(field, s, "at most millisecond precision (3 fractional digits)")
	}
	return t.UTC(), nil
}

// formatTime writes t in UTC, without a fraction for whole seconds and with
// three fractional digits otherwise. Precision below a millisecond is
// dropped, as in the Avro form.
func formatTime(t time.Time) string {
	t = t.UTC().Truncate(time.Millisecond)
	if t.Nanosecond() == 0 {
		return t.Format(time.RFC3339)
	}
	return t.Format(millisLayout)
}

// parseAmount parses an amount written as a JSON string. A JSON number is
// rejected, because a binary floating-point number cannot hold most cent
// amounts exactly. The amount must fit the Avro decimal (scale 4, precision
// 18) so that JSON and Avro carry the same values.
func parseAmount(field string, raw json.RawMessage) (decimal.Decimal, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return decimal.Decimal{}, missingField(field)
	}
	if raw[0] != '"' {
		return decimal.Decimal{}, fieldError(field, string(raw)+" (a JSON number)", fmt.Sprintf("the amount as a string, %q, because a JSON number is a float and loses cents", string(raw)))
	}
	text, err := strconv.Unquote(string(raw))
	if err != nil || !amountPattern.MatchString(text) {
		return decimal.Decimal{}, fieldError(field, string(raw), `a decimal string such as "450.00"`)
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.Decimal{}, fieldError(field, string(raw), `a decimal string such as "450.00"`)
	}
	if _, err := amountToNative(field, d); err != nil {
		return decimal.Decimal{}, err
	}
	return d, nil
}

// quoteAmount returns the JSON string of an amount already formatted.
func quoteAmount(text string) json.RawMessage {
	return json.RawMessage(strconv.Quote(text))
}

// formatEventAmount writes an event's amount exactly: with the currency's
// minor digits ("450.00" USD), or more when the amount carries more, since an
// input event is never rounded. A currency missing from pricing's table gets
// the amount's own digits.
func formatEventAmount(d decimal.Decimal, currency string) string {
	places, _ := pricing.MinorUnits(currency)
	return d.StringFixed(max(places, fractionalDigits(d)))
}

// fractionalDigits returns how many fractional digits d needs, ignoring
// trailing zeros.
func fractionalDigits(d decimal.Decimal) int32 {
	places := int32(0)
	for !d.Equal(d.Truncate(places)) {
		places++
	}
	return places
}

// jsonKind names the JSON type that decodes into a Go kind.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64:
		return "whole number"
	case reflect.Float64:
		return "number"
	case reflect.Slice:
		return "array"
	}
	return "object"
}

func ptr[T any](v T) *T { return &v }

func invalidJSON(err error) error {
	return fmt.Errorf("%w: %w", ErrInvalidJSON, err)
}
