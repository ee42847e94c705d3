package avro

import (
	"errors"
	"fmt"
)

// Errors a record can be rejected with. Each is wrapped with the details, so
// test for them with errors.Is. The stream sends a rejected record to the
// dead-letter topic with the error's text as the reason.
var (
	// ErrNotSingleObject rejects bytes that do not start with the Avro
	// single-object header (0xC3 0x01 and an 8-byte schema fingerprint).
	ErrNotSingleObject = errors.New("not an Avro single-object encoded record")
	// ErrUnknownSchema rejects a record whose header names a writer schema
	// the catalog does not contain.
	ErrUnknownSchema = errors.New("unknown writer schema")
	// ErrWrongRecordType rejects a record of a known schema that is not the
	// type the call expects, for example a price update given to DecodeEvent.
	ErrWrongRecordType = errors.New("record of the wrong type")
	// ErrInvalidRecord rejects a record whose body cannot be encoded or
	// decoded, or whose values break the data contract. A *FieldError in the
	// chain names the field.
	ErrInvalidRecord = errors.New("invalid record")
	// ErrInvalidJSON rejects a JSON line that is malformed or breaks the data
	// contract. A *FieldError in the chain names the field when one is at
	// fault.
	ErrInvalidJSON = errors.New("invalid JSON record")
)

// FieldError is a missing field or a value that breaks the data contract:
// the field's path (for example "flight.origin" or "ladder[2].price"), the
// value as text, and what a valid value looks like.
type FieldError struct {
	Field   string
	Value   string
	Want    string
	Missing bool // the field is required but absent or null
}

func (e *FieldError) Error() string {
	if e.Missing {
		return fmt.Sprintf("missing %s: the field is required", e.Field)
	}
	return fmt.Sprintf("invalid %s %s: want %s", e.Field, e.Value, e.Want)
}

// fieldError returns a *FieldError showing value with %q for strings and %v
// for everything else.
func fieldError(field string, value any, want string) error {
	text := fmt.Sprintf("%v", value)
	if s, ok := value.(string); ok {
		text = fmt.Sprintf("%q", s)
	}
	return &FieldError{Field: field, Value: text, Want: want}
}

// missingField returns the error for a required field that is absent.
func missingField(field string) error {
	return &FieldError{Field: field, Missing: true}
}

// typeError returns the error for a decoded value of an unexpected Go type,
// which means the record does not match the schema the catalog expected.
func typeError(field string, value any, want string) error {
	return &FieldError{Field: field, Value: fmt.Sprintf("of type %T", value), Want: want}
}
