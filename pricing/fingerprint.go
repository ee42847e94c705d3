package pricing

import (
	"encoding/binary"
	"hash/fnv"
)

// LadderFingerprint returns a 64-bit FNV-1a hash of what a price update
// shows of the ladder: the offered class, the currency and each rung's
// class, price, availability and open flag. It is the same in every process
// and run, so the state can store it and skip publishing a ladder that did
// not change. Prices hash by value, so 150.00 and 150.0 hash alike.
// Distinct ladders collide with a probability near 2^-64 per pair.
func (d *Decision) LadderFingerprint() uint64 {
	h := fnv.New64a()
	var buf [8]byte
	writeString := func(s string) {
		// A length prefix keeps "AB"+"C" apart from "A"+"BC".
		binary.BigEndian.PutUint64(buf[:], uint64(len(s)))
		h.Write(buf[:])
		h.Write([]byte(s))
	}
	writeString(d.OfferedClass)
	writeString(d.Currency)
	for _, rung := range d.Ladder {
		writeString(rung.Class)
		writeString(rung.Price.String())
		binary.BigEndian.PutUint64(buf[:], uint64(int64(rung.Available)))
		h.Write(buf[:])
		if rung.Open {
			h.Write([]byte{1})
		} else {
			h.Write([]byte{0})
		}
	}
	return h.Sum64()
}
