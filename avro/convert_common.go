package avro

import (
	"fmt"
	"math/big"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

// nativeReader reads the fields of one record as goavro decodes it
// (map[string]any). The first failure is kept in *err and later reads return
// zero values, so a converter reads every field and checks once. Nested
// readers share the error and extend the path, so an error names the field
// as "flight.origin" or "ladder[2].price".
type nativeReader struct {
	path   string
	fields map[string]any
	err    *error
}

// newNativeReader returns a reader of the top-level record v.
func newNativeReader(v any) nativeReader {
	var err error
	r := nativeReader{err: &err}
	r.fields = r.asRecord("record", v)
	return r
}

func (r nativeReader) fail(err error) {
	if *r.err == nil {
		*r.err = err
	}
}

// name returns the path of a field of this record.
func (r nativeReader) name(field string) string {
	if r.path == "" {
		return field
	}
	return r.path + "." + field
}

// get returns the field's value, failing when the record lacks the field.
func (r nativeReader) get(field string) (any, bool) {
	v, ok := r.fields[field]
	if !ok {
		r.fail(missingField(r.name(field)))
	}
	return v, ok
}

func (r nativeReader) asRecord(path string, v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok && *r.err == nil {
		r.fail(typeError(path, v, "an Avro record"))
	}
	return m
}

// typed returns the field's value as T, failing on another type.
func typed[T any](r nativeReader, field string) T {
	var zero T
	v, ok := r.get(field)
	if !ok {
		return zero
	}
	t, ok := v.(T)
	if !ok {
		r.fail(typeError(r.name(field), v, fmt.Sprintf("a value of type %T", zero)))
	}
	return t
}

func (r nativeReader) str(field string) string     { return typed[string](r, field) }
func (r nativeReader) long(field string) int64     { return typed[int64](r, field) }
func (r nativeReader) double(field string) float64 { return typed[float64](r, field) }
func (r nativeReader) boolean(field string) bool   { return typed[bool](r, field) }
func (r nativeReader) int(field string) int        { return int(typed[int32](r, field)) }

// time returns a timestamp-millis or date field, in UTC.
func (r nativeReader) time(field string) time.Time { return typed[time.Time](r, field).UTC() }

func (r nativeReader) amount(field string) decimal.Decimal {
	v, ok := r.get(field)
	if !ok {
		return decimal.Decimal{}
	}
	d, err := amountFromNative(r.name(field), v)
	if err != nil {
		r.fail(err)
	}
	return d
}

// record returns a reader of a nested record field.
func (r nativeReader) record(field string) nativeReader {
	v, _ := r.get(field)
	return r.nested(r.name(field), v)
}

func (r nativeReader) nested(path string, v any) nativeReader {
	return nativeReader{path: path, fields: r.asRecord(path, v), err: r.err}
}

// records returns readers of the records of an array field; an empty array
// gives nil.
func (r nativeReader) records(field string) []nativeReader {
	items := typed[[]any](r, field)
	return r.items(r.name(field), items)
}

func (r nativeReader) items(path string, items []any) []nativeReader {
	if len(items) == 0 {
		return nil
	}
	out := make([]nativeReader, len(items))
	for i, item := range items {
		out[i] = r.nested(fmt.Sprintf("%s[%d]", path, i), item)
	}
	return out
}

// optional unwraps a union of null and one other type: goavro gives nil for
// null and a one-key map (the branch's type name to the value) otherwise.
// The second result is false only for null, so a set zero value stays set.
func (r nativeReader) optional(field string) (any, bool) {
	v, ok := r.get(field)
	if !ok || v == nil {
		return nil, false
	}
	m, isMap := v.(map[string]any)
	if !isMap || len(m) != 1 {
		r.fail(typeError(r.name(field), v, "an Avro union value"))
		return nil, false
	}
	for _, value := range m {
		return value, true
	}
	return nil, false
}

// optionalString returns nil for null and a pointer to the string otherwise.
func (r nativeReader) optionalString(field string) *string {
	v, ok := r.optional(field)
	if !ok {
		return nil
	}
	s, isString := v.(string)
	if !isString {
		r.fail(typeError(r.name(field), v, "a string or null"))
		return nil
	}
	return &s
}

// optionalRecords returns nil for null and the readers of the array's
// records otherwise; a set empty array gives an empty, non-nil slice.
func (r nativeReader) optionalRecords(field string) ([]nativeReader, bool) {
	v, ok := r.optional(field)
	if !ok {
		return nil, false
	}
	items, isArray := v.([]any)
	if !isArray {
		r.fail(typeError(r.name(field), v, "an array or null"))
		return nil, false
	}
	return append([]nativeReader{}, r.items(r.name(field), items)...), true
}

// union returns the null-free union branch name of a required union field
// and its value.
func (r nativeReader) union(field string) (string, any) {
	v, ok := r.get(field)
	if !ok {
		return "", nil
	}
	m, isMap := v.(map[string]any)
	if !isMap || len(m) != 1 {
		r.fail(typeError(r.name(field), v, "an Avro union value"))
		return "", nil
	}
	for branch, value := range m {
		return branch, value
	}
	return "", nil
}

// nativeWriter converts amounts for encoding and keeps the first failure, so
// a converter builds the whole record and checks once.
type nativeWriter struct {
	err error
}

func (w *nativeWriter) amount(field string, d decimal.Decimal) *big.Rat {
	r, err := amountToNative(field, d)
	if err != nil && w.err == nil {
		w.err = err
	}
	return r
}

// The type names goavro uses as keys of union values.
const (
	unionString  = "string"
	unionArray   = "array"
	unionDecimal = "bytes.decimal"
)

func union(branch string, v any) map[string]any { return map[string]any{branch: v} }

func optionalStringToNative(s *string) any {
	if s == nil {
		return nil
	}
	return union(unionString, *s)
}

func flightToNative(f inventory.Flight) map[string]any {
	return map[string]any{
		"carrier":          f.Carrier,
		"number":           f.Number,
		"origin":           f.Origin,
		"destination":      f.Destination,
		"departure_date":   f.Date,
		"origin_time_zone": f.OriginTimeZone,
	}
}

func flightFromNative(r nativeReader) inventory.Flight {
	return inventory.Flight{
		Carrier:        r.str("carrier"),
		Number:         r.str("number"),
		Origin:         r.str("origin"),
		Destination:    r.str("destination"),
		Date:           r.time("departure_date"),
		OriginTimeZone: r.str("origin_time_zone"),
	}
}

func marketToNative(m inventory.Market) map[string]any {
	return map[string]any{
		"origin":         m.Origin,
		"destination":    m.Destination,
		"departure_date": m.Date,
	}
}

func marketFromNative(r nativeReader) inventory.Market {
	return inventory.Market{
		Origin:      r.str("origin"),
		Destination: r.str("destination"),
		Date:        r.time("departure_date"),
	}
}
