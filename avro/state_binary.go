package avro

import (
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/fareflow/fareflow/inventory"
)

// appendState writes the body of a changelog record in the field order of
// state.avsc. The engine writes one for every cabin a transaction changes,
// and a cabin's record grows with its bookings, so this path is written
// directly rather than through goavro's generic values, like the price
// update. TestStateBinaryMatchesGoavro keeps the two in step.
func appendState(buf []byte, s StateRecord) ([]byte, error) {
	set := 0
	for _, isSet := range []bool{s.Cabin != nil, s.Quotes != nil, s.Meta != nil} {
		if isSet {
			set++
		}
	}
	if set != 1 {
		return nil, fmt.Errorf("invalid state record with %d fields set: set exactly one of Cabin, Quotes and Meta", set)
	}

	w := binaryWriter{buf: buf}
	switch {
	case s.Cabin != nil:
		w.long(0)
		appendCabin(&w, s.Cabin)
	case s.Quotes != nil:
		w.long(1)
		appendMarket(&w, s.Quotes.Route)
		w.string(s.Quotes.Cabin)
		w.arrayStart(len(s.Quotes.Quotes))
		for i := range s.Quotes.Quotes {
			appendCompetitorFare(&w, "quotes.fare", &s.Quotes.Quotes[i])
		}
		w.arrayEnd()
	default:
		w.long(2)
		w.string(s.Meta.PolicyVersion)
		w.timestamp(s.Meta.PolicyEffectiveAt)
	}
	return w.buf, w.err
}

// appendCabin writes the cabin's maps as arrays sorted by key, so the same
// state always gives the same bytes.
func appendCabin(w *binaryWriter, c *inventory.Cabin) {
	appendFlight(w, c.Flight)
	w.string(c.Name)
	if s := c.Snapshot; s == nil {
		w.long(0)
	} else {
		w.long(1)
		w.string(s.EventID)
		w.timestamp(s.AsOf)
		w.int(int32(s.PhysicalCapacity))
		w.int(int32(s.AuthorizedCapacity))
		w.int(int32(s.SeatsSold))
		if s.SoldByClass == nil {
			w.long(0)
		} else {
			w.long(1)
			appendClassSeats(w, s.SoldByClass)
		}
		if s.Forecast == nil {
			w.long(0)
		} else {
			w.long(1)
			w.arrayStart(len(s.Forecast))
			for _, f := range s.Forecast {
				w.string(f.Class)
				w.double(f.Mean)
				w.double(f.StdDev)
			}
			w.arrayEnd()
		}
	}

	ids := slices.Sorted(maps.Keys(c.Holdings))
	w.arrayStart(len(ids))
	for _, id := range ids {
		h := c.Holdings[id]
		w.string(id)
		w.string(h.Class)
		w.int(int32(h.Seats))
	}
	w.arrayEnd()

	classes := slices.Sorted(maps.Keys(c.Settled))
	w.arrayStart(len(classes))
	for _, class := range classes {
		w.string(class)
		w.int(int32(c.Settled[class]))
	}
	w.arrayEnd()

	w.arrayStart(len(c.Pending))
	for _, d := range c.Pending {
		w.timestamp(d.EventTime)
		w.string(d.Class)
		w.int(int32(d.Seats))
	}
	w.arrayEnd()

	seen := slices.Sorted(maps.Keys(c.Seen))
	w.arrayStart(len(seen))
	for _, id := range seen {
		w.string(id)
	}
	w.arrayEnd()

	w.long(c.Sequence)
	w.long(int64(c.LastLadder))
}

func appendClassSeats(w *binaryWriter, seats []inventory.ClassSeats) {
	w.arrayStart(len(seats))
	for _, cs := range seats {
		w.string(cs.Class)
		w.int(int32(cs.Seats))
	}
	w.arrayEnd()
}

func appendMarket(w *binaryWriter, m inventory.Market) {
	w.string(m.Origin)
	w.string(m.Destination)
	w.date(m.Date)
}

// double writes an Avro double: 8 bytes, IEEE 754, little-endian.
func (w *binaryWriter) double(v float64) {
	w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(v))
}
