package avro

import (
	"encoding/binary"
	"fmt"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
	"github.com/linkedin/goavro/v2"
)

// Framing writes and reads the header that names a record's writer schema
// in front of its Avro binary body.
//
// NOTE: only single-object encoding exists so far. The Confluent Schema
// Registry framing (magic byte 0x00 and a 4-byte big-endian schema id) will
// be a second Framing that looks the id up in the registry. Records written
// with another version of a schema then need resolution, which goavro does
// not do: decode with the writer's schema, then map its fields onto the
// reader's by name, dropping unknown fields and filling missing ones from
// their defaults.
type Framing interface {
	// AppendHeader appends the header naming schema s to dst.
	AppendHeader(dst []byte, s *Schema) []byte
	// ReadHeader returns the writer schema that the header of record names,
	// found in c, and the body after the header.
	ReadHeader(c *Catalog, record []byte) (*Schema, []byte, error)
}

// SingleObject is Avro single-object encoding: the bytes 0xC3 0x01, the
// 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's
// canonical form, then the body.
type SingleObject struct{}

const singleObjectHeaderLen = 10

// AppendHeader appends the single-object header of s to dst.
func (SingleObject) AppendHeader(dst []byte, s *Schema) []byte {
	dst = append(dst, 0xC3, 0x01)
	return binary.LittleEndian.AppendUint64(dst, s.Fingerprint())
}

// ReadHeader returns the schema whose fingerprint the header carries. It
// fails with ErrNotSingleObject on a short record or wrong magic bytes and
// with ErrUnknownSchema on a fingerprint c does not contain.
func (SingleObject) ReadHeader(c *Catalog, record []byte) (*Schema, []byte, error) {
	fingerprint, body, err := goavro.FingerprintFromSOE(record)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrNotSingleObject, err)
	}
	s, ok := c.byFingerprint[fingerprint]
	if !ok {
		return nil, nil, fmt.Errorf("%w: fingerprint %016x", ErrUnknownSchema, fingerprint)
	}
	return s, body, nil
}

// Catalog contains the embedded writer schemas, finds them by fingerprint,
// and encodes and decodes records with them. It is safe for concurrent use.
type Catalog struct {
	framing        Framing
	booking        *Schema
	loadFactor     *Schema
	competitorFare *Schema
	priceUpdate    *Schema
	state          *Schema
	byFingerprint  map[uint64]*Schema
}

// NewCatalog returns a catalog of every embedded schema, framed with
// single-object encoding.
func NewCatalog() (*Catalog, error) {
	c := &Catalog{framing: SingleObject{}, byFingerprint: make(map[uint64]*Schema)}
	targets := []struct {
		file   string
		schema **Schema
	}{
		{bookingSchemaFile, &c.booking},
		{loadFactorSchemaFile, &c.loadFactor},
		{competitorFareSchemaFile, &c.competitorFare},
		{priceUpdateSchemaFile, &c.priceUpdate},
		{stateSchemaFile, &c.state},
	}
	for _, t := range targets {
		s, err := loadSchema(t.file)
		if err != nil {
			return nil, err
		}
		*t.schema = s
		c.byFingerprint[s.Fingerprint()] = s
	}
	return c, nil
}

// Schemas returns the catalog's schemas: booking, load factor, competitor
// fare, price update and state.
func (c *Catalog) Schemas() []*Schema {
	return []*Schema{c.booking, c.loadFactor, c.competitorFare, c.priceUpdate, c.state}
}

// encode frames the body of native written with schema s.
func (c *Catalog) encode(s *Schema, native map[string]any) ([]byte, error) {
	out := c.framing.AppendHeader(make([]byte, 0, 128), s)
	out, err := s.codec.BinaryFromNative(out, native)
	if err != nil {
		return nil, fmt.Errorf("%w: encode %s: %v", ErrInvalidRecord, s.Name(), err)
	}
	return out, nil
}

// decode reads the header and body of record and returns the writer schema
// and goavro's native value. Bytes left after the body are an error, since
// they mean the record is corrupt or was written with another schema.
func (c *Catalog) decode(record []byte) (*Schema, any, error) {
	s, body, err := c.framing.ReadHeader(c, record)
	if err != nil {
		return nil, nil, err
	}
	native, rest, err := s.codec.NativeFromBinary(body)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: decode %s: %v", ErrInvalidRecord, s.Name(), err)
	}
	if len(rest) != 0 {
		return nil, nil, fmt.Errorf("%w: decode %s: %d bytes left after the record", ErrInvalidRecord, s.Name(), len(rest))
	}
	return s, native, nil
}

// EncodeEvent validates e and encodes it with its embedded schema. A value
// that breaks the data contract, such as an amount with more than 4
// fractional digits, fails with ErrInvalidRecord and a *FieldError, because
// nothing is rounded. Times lose any precision below a millisecond.
func (c *Catalog) EncodeEvent(e inventory.Event) ([]byte, error) {
	if err := validateEvent(e); err != nil {
		return nil, invalidRecord(err)
	}
	var native map[string]any
	var err error
	var s *Schema
	switch e := e.(type) {
	case *inventory.Booking:
		s = c.booking
		native, err = bookingToNative(e)
	case *inventory.LoadFactor:
		s = c.loadFactor
		native = loadFactorToNative(e)
	case *inventory.CompetitorFare:
		s = c.competitorFare
		native, err = competitorFareToNative("", e)
	}
	if err != nil {
		return nil, invalidRecord(err)
	}
	return c.encode(s, native)
}

// DecodeEvent decodes an event; the writer schema's fingerprint decides its
// type. It fails with ErrNotSingleObject, ErrUnknownSchema,
// ErrWrongRecordType for a price update or state record, or ErrInvalidRecord
// for a body that does not decode or breaks the data contract.
func (c *Catalog) DecodeEvent(record []byte) (inventory.Event, error) {
	s, native, err := c.decode(record)
	if err != nil {
		return nil, err
	}
	var e inventory.Event
	switch s {
	case c.booking:
		e, err = asEvent(bookingFromNative(native))
	case c.loadFactor:
		e, err = asEvent(loadFactorFromNative(native))
	case c.competitorFare:
		e, err = asEvent(competitorFareFromNative(native))
	default:
		return nil, fmt.Errorf("%w: %s is not an event", ErrWrongRecordType, s.Name())
	}
	if err == nil {
		err = validateEvent(e)
	}
	if err != nil {
		return nil, invalidRecord(err)
	}
	return e, nil
}

// asEvent turns a typed converter result into an Event, keeping a failed
// result a nil interface instead of a typed nil pointer.
func asEvent[E inventory.Event](e E, err error) (inventory.Event, error) {
	if err != nil {
		return nil, err
	}
	return e, nil
}

// EncodeDecision encodes a price update. Amounts with more than 4
// fractional digits fail with ErrInvalidRecord; nothing is rounded.
func (c *Catalog) EncodeDecision(d *pricing.Decision) ([]byte, error) {
	if d == nil {
		return nil, fmt.Errorf("%w: nil decision", ErrInvalidRecord)
	}
	if err := validateDecision(d); err != nil {
		return nil, invalidRecord(err)
	}
	out := c.framing.AppendHeader(make([]byte, 0, 512), c.priceUpdate)
	out, err := appendDecision(out, d)
	if err != nil {
		return nil, invalidRecord(err)
	}
	return out, nil
}

// DecodeDecision decodes a price update, with the errors of DecodeEvent.
func (c *Catalog) DecodeDecision(record []byte) (*pricing.Decision, error) {
	s, native, err := c.decode(record)
	if err != nil {
		return nil, err
	}
	if s != c.priceUpdate {
		return nil, fmt.Errorf("%w: %s is not a price update", ErrWrongRecordType, s.Name())
	}
	d, err := decisionFromNative(native)
	if err == nil {
		err = validateDecision(d)
	}
	if err != nil {
		return nil, invalidRecord(err)
	}
	return d, nil
}

// EncodeState encodes a state record, exactly one of whose fields must be
// set. The cabin's maps are written sorted by key, so equal states give
// equal bytes.
func (c *Catalog) EncodeState(s StateRecord) ([]byte, error) {
	out := c.framing.AppendHeader(make([]byte, 0, 1024), c.state)
	out, err := appendState(out, s)
	if err != nil {
		return nil, invalidRecord(err)
	}
	return out, nil
}

// DecodeState decodes a state record, with the errors of DecodeEvent. A
// decoded cabin's maps are never nil.
func (c *Catalog) DecodeState(record []byte) (StateRecord, error) {
	s, native, err := c.decode(record)
	if err != nil {
		return StateRecord{}, err
	}
	if s != c.state {
		return StateRecord{}, fmt.Errorf("%w: %s is not a state record", ErrWrongRecordType, s.Name())
	}
	state, err := stateFromNative(native)
	if err != nil {
		return StateRecord{}, invalidRecord(err)
	}
	return state, nil
}

func invalidRecord(err error) error {
	return fmt.Errorf("%w: %w", ErrInvalidRecord, err)
}
