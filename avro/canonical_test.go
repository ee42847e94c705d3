package avro

import "testing"

// TestFingerprintsMatchApacheAvro pins the fingerprints that Apache Avro's
// Java library 1.12.0 (SchemaNormalization.parsingFingerprint64) computes
// for the embedded schemas, so records stay readable by other clients.
func TestFingerprintsMatchApacheAvro(t *testing.T) {
	want := map[string]uint64{
		"booking.avsc":         0xe6a98d73fd3e628e,
		"load_factor.avsc":     0xaae47e0ef64e1143,
		"competitor_fare.avsc": 0xb9781447e422639d,
		"price_update.avsc":    0x92f1b9745baec12e,
		"state.avsc":           0x09bbce114894c664,
	}
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Schemas() {
		if got := s.Fingerprint(); got != want[s.File()] {
			t.Errorf("%s: fingerprint %016x, want %016x", s.File(), got, want[s.File()])
		}
	}
}

func TestCanonicalForm(t *testing.T) {
	tests := []struct {
		name, schema, want string
	}{
		{"primitive object", `{"type": "int"}`, `"int"`},
		{"logical type stripped", `{"type": "int", "logicalType": "date"}`, `"int"`},
		{"decimal stripped", `{"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 4}`, `"bytes"`},
		{"record with namespace",
			`{"type": "record", "name": "R", "namespace": "a.b", "doc": "x", "fields": [{"name": "f", "type": ["null", "string"], "default": null}]}`,
			`{"name":"a.b.R","type":"record","fields":[{"name":"f","type":["null","string"]}]}`},
		{"reference after definition",
			`{"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "fixed", "name": "F", "size": 16}}, {"name": "b", "type": "F"}]}`,
			`{"name":"R","type":"record","fields":[{"name":"a","type":{"name":"F","type":"fixed","size":16}},{"name":"b","type":"F"}]}`},
		{"enum and containers",
			`{"type": "map", "values": {"type": "array", "items": {"type": "enum", "name": "E", "symbols": ["X", "Y"]}}}`,
			`{"type":"map","values":{"type":"array","items":{"name":"E","type":"enum","symbols":["X","Y"]}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := canonicalForm([]byte(tt.schema))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("canonicalForm = %s, want %s", got, tt.want)
			}
		})
	}
}
