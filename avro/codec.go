// Package avro encodes Fareflow's events, price updates and state records as
// Avro, and as the JSON lines the command-line tools read and write. Callers
// see inventory and pricing types only: goavro's native maps, union maps and
// *big.Rat decimals stay inside this package.
package avro

import (
	"embed"
	"fmt"

	"github.com/linkedin/goavro/v2"
)

// goavro sizes a decoded array or map block by the item count the record
// claims, up to MaxBlockCount (2^31 - 1 by default), before reading any
// item: a 20-byte record claiming 2^30 items would allocate 16 GiB. No
// record of ours comes near a million items, and a Kafka record of the
// default maximum size (1 MiB) cannot hold more, so the count is capped
// there and a larger claim fails to decode.
func init() { goavro.MaxBlockCount = 1 << 20 }

// namespace is the Avro namespace of every schema here.
const namespace = "io.fareflow"

//go:embed *.avsc
var schemaFiles embed.FS

// The embedded schema files, one per record type.
const (
	bookingSchemaFile        = "booking.avsc"
	loadFactorSchemaFile     = "load_factor.avsc"
	competitorFareSchemaFile = "competitor_fare.avsc"
	priceUpdateSchemaFile    = "price_update.avsc"
	stateSchemaFile          = "state.avsc"
)

// recordName returns the full name of a record type of the schemas, as
// goavro keys union values with it.
func recordName(name string) string { return namespace + "." + name }

// Schema is one embedded writer schema and its goavro codec.
type Schema struct {
	file        string
	codec       *goavro.Codec
	canonical   string
	fingerprint uint64
}

// Name returns the schema's full name, for example "io.fareflow.Booking".
func (s *Schema) Name() string {
	name := s.codec.TypeName()
	return name.String()
}

// Fingerprint returns the CRC-64-AVRO (Rabin) fingerprint of the schema's
// Parsing Canonical Form, as single-object encoding writes it.
func (s *Schema) Fingerprint() uint64 { return s.fingerprint }

// Canonical returns the schema's Parsing Canonical Form, computed by
// canonicalForm rather than by goavro, whose form keeps logical types.
func (s *Schema) Canonical() string { return s.canonical }

// File returns the name of the embedded .avsc file.
func (s *Schema) File() string { return s.file }

func loadSchema(file string) (*Schema, error) {
	text, err := schemaFiles.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read embedded schema %s: %w", file, err)
	}
	codec, err := goavro.NewCodec(string(text))
	if err != nil {
		return nil, fmt.Errorf("parse embedded schema %s: %w", file, err)
	}
	canonical, err := canonicalForm(text)
	if err != nil {
		return nil, fmt.Errorf("canonical form of embedded schema %s: %w", file, err)
	}
	return &Schema{file: file, codec: codec, canonical: canonical, fingerprint: rabin(canonical)}, nil
}
