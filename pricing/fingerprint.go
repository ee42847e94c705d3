package pricing

import "github.com/shopspring/decimal"

// LadderFingerprint returns a 64-bit FNV-1a hash of what a price update
// shows of the ladder: the offered class, the currency and each rung's
// class, price, availability and open flag. It is the same in every process
// and run, so the state can store it and skip publishing a ladder that did
// not change. Prices hash by value, so 150.00 and 150.0 hash alike.
// Distinct ladders collide with a probability near 2^-64 per pair.
func (d *Decision) LadderFingerprint() uint64 {
	h := fnv64a(fnvOffset)
	h.writeString(d.OfferedClass)
	h.writeString(d.Currency)
	for i := range d.Ladder {
		rung := &d.Ladder[i]
		h.writeString(rung.Class)
		h.writeDecimal(rung.Price)
		h.writeUint64(zigzag(int64(rung.Available)))
		if rung.Open {
			h.writeUint64(1)
		} else {
			h.writeUint64(0)
		}
	}
	return uint64(h)
}

// fnv64a is the FNV-1a hash of hash/fnv, written out so that hashing a
// ladder allocates nothing.
type fnv64a uint64

const (
	fnvOffset fnv64a = 14695981039346656037
	fnvPrime  fnv64a = 1099511628211
)

func (h *fnv64a) writeByte(b byte) {
	*h ^= fnv64a(b)
	*h *= fnvPrime
}

// writeUint64 hashes v as a varint (7 bits a byte, high bit set on all but
// the last byte), so the small counts of a ladder cost a byte or two.
func (h *fnv64a) writeUint64(v uint64) {
	for v >= 0x80 {
		h.writeByte(byte(v) | 0x80)
		v >>= 7
	}
	h.writeByte(byte(v))
}

// writeString hashes the length first, which keeps "AB"+"C" apart from
// "A"+"BC".
func (h *fnv64a) writeString(s string) {
	h.writeUint64(uint64(len(s)))
	for i := 0; i < len(s); i++ {
		h.writeByte(s[i])
	}
}

// writeDecimal hashes d by value: its coefficient and exponent with
// trailing zeros removed from the coefficient.
func (h *fnv64a) writeDecimal(d decimal.Decimal) {
	if d.NumDigits() > 18 {
		// Beyond any price. String is canonical too, and the tag byte keeps
		// the two forms apart.
		h.writeByte(1)
		h.writeString(d.String())
		return
	}
	h.writeByte(0)
	coefficient, exponent := d.CoefficientInt64(), d.Exponent()
	for coefficient != 0 && coefficient%10 == 0 {
		coefficient /= 10
		exponent++
	}
	if coefficient == 0 {
		exponent = 0
	}
	h.writeUint64(zigzag(coefficient))
	h.writeUint64(zigzag(int64(exponent)))
}

// zigzag maps signed to unsigned integers so that small magnitudes of
// either sign stay small varints: 0, -1, 1, -2 become 0, 1, 2, 3.
func zigzag(v int64) uint64 {
	return uint64(v<<1) ^ uint64(v>>63)
}
