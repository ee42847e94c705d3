package avro

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// canonicalForm returns the Parsing Canonical Form of a schema, as the Avro
// specification defines it and Apache Avro's Java library (1.12.0)
// computes it. Primitive types become bare names and names become full
// names. Only the attributes that affect parsing stay (so no logicalType,
// precision, scale, doc or default), in the order name, type, fields,
// symbols, items, values, size, with no whitespace. goavro v2.15.0 keeps
// logical types in its form, so its fingerprints differ from Java's.
func canonicalForm(schemaJSON []byte) (string, error) {
	var schema any
	dec := json.NewDecoder(strings.NewReader(string(schemaJSON)))
	dec.UseNumber()
	if err := dec.Decode(&schema); err != nil {
		return "", fmt.Errorf("parse schema: %w", err)
	}
	var b strings.Builder
	if err := writeCanonical(&b, schema, "", map[string]bool{}); err != nil {
		return "", err
	}
	return b.String(), nil
}

var primitiveTypes = map[string]bool{
	"null": true, "boolean": true, "int": true, "long": true,
	"float": true, "double": true, "bytes": true, "string": true,
}

// writeCanonical writes schema in canonical form. namespace is the
// enclosing namespace; defined holds the full names already written, which
// later references name without repeating the definition.
func writeCanonical(b *strings.Builder, schema any, namespace string, defined map[string]bool) error {
	switch s := schema.(type) {
	case string:
		if primitiveTypes[s] {
			writeString(b, s)
			return nil
		}
		writeString(b, fullName(s, namespace))
		return nil
	case []any:
		b.WriteByte('[')
		for i, branch := range s {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeCanonical(b, branch, namespace, defined); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	case map[string]any:
		return writeCanonicalObject(b, s, namespace, defined)
	}
	return fmt.Errorf("invalid schema element %v", schema)
}

func writeCanonicalObject(b *strings.Builder, s map[string]any, namespace string, defined map[string]bool) error {
	typeName, _ := s["type"].(string)
	switch typeName {
	case "record", "error", "enum", "fixed":
	case "array":
		b.WriteString(`{"type":"array","items":`)
		if err := writeCanonical(b, s["items"], namespace, defined); err != nil {
			return err
		}
		b.WriteByte('}')
		return nil
	case "map":
		b.WriteString(`{"type":"map","values":`)
		if err := writeCanonical(b, s["values"], namespace, defined); err != nil {
			return err
		}
		b.WriteByte('}')
		return nil
	default:
		// A primitive, possibly with a logical type, or a nested type
		// object: the attributes beyond "type" do not affect parsing.
		return writeCanonical(b, s["type"], namespace, defined)
	}

	name, _ := s["name"].(string)
	if ns, ok := s["namespace"].(string); ok && !strings.Contains(name, ".") {
		name = fullName(name, ns)
	} else {
		name = fullName(name, namespace)
	}
	if defined[name] {
		writeString(b, name)
		return nil
	}
	defined[name] = true
	inner := namespace
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		inner = name[:i]
	}

	b.WriteString(`{"name":`)
	writeString(b, name)
	b.WriteString(`,"type":`)
	writeString(b, typeName)
	switch typeName {
	case "record", "error":
		b.WriteString(`,"fields":[`)
		fields, _ := s["fields"].([]any)
		for i, f := range fields {
			field, ok := f.(map[string]any)
			if !ok {
				return fmt.Errorf("invalid field %v of %s", f, name)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			fieldName, _ := field["name"].(string)
			b.WriteString(`{"name":`)
			writeString(b, fieldName)
			b.WriteString(`,"type":`)
			if err := writeCanonical(b, field["type"], inner, defined); err != nil {
				return err
			}
			b.WriteByte('}')
		}
		b.WriteByte(']')
	case "enum":
		b.WriteString(`,"symbols":[`)
		symbols, _ := s["symbols"].([]any)
		for i, sym := range symbols {
			if i > 0 {
				b.WriteByte(',')
			}
			text, _ := sym.(string)
			writeString(b, text)
		}
		b.WriteByte(']')
	case "fixed":
		size, err := strconv.ParseInt(fmt.Sprint(s["size"]), 10, 64)
		if err != nil {
			return fmt.Errorf("invalid size of fixed %s: %v", name, s["size"])
		}
		b.WriteString(`,"size":`)
		b.WriteString(strconv.FormatInt(size, 10))
	}
	b.WriteByte('}')
	return nil
}

// fullName qualifies a short name with the namespace; a name with a dot is
// already full.
func fullName(name, namespace string) string {
	if strings.Contains(name, ".") || namespace == "" {
		return name
	}
	return namespace + "." + name
}

// writeString writes a JSON string literal with characters unescaped, as
// the canonical form requires, except those JSON itself must escape.
func writeString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// rabinEmpty is the CRC-64-AVRO fingerprint of the empty string.
const rabinEmpty uint64 = 0xc15d213aa4d7a795

var rabinTable = func() (t [256]uint64) {
	for i := range t {
		fp := uint64(i)
		for range 8 {
			fp = (fp >> 1) ^ (rabinEmpty & -(fp & 1))
		}
		t[i] = fp
	}
	return t
}()

// rabin returns the CRC-64-AVRO (Rabin) fingerprint of data.
func rabin(data string) uint64 {
	fp := rabinEmpty
	for i := 0; i < len(data); i++ {
		fp = (fp >> 8) ^ rabinTable[byte(fp)^data[i]]
	}
	return fp
}
