package avro

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"
)

// binaryWriter appends Avro binary encoding to a buffer. It writes the
// records on the hot path (price updates and changelog records) directly,
// because going through goavro's generic map values cost about 18 times as
// much for a price update. Tests check that its bytes equal goavro's for
// the same values. The first error sticks.
type binaryWriter struct {
	buf []byte
	err error
}

func (w *binaryWriter) long(v int64) { w.buf = binary.AppendVarint(w.buf, v) }

func (w *binaryWriter) int(v int32) { w.long(int64(v)) }

func (w *binaryWriter) boolean(v bool) {
	if v {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

func (w *binaryWriter) string(s string) {
	w.long(int64(len(s)))
	w.buf = append(w.buf, s...)
}

// date writes a date logical type: days since 1970-01-01.
func (w *binaryWriter) date(t time.Time) {
	days := t.Unix() / 86400
	if t.Unix()%86400 < 0 {
		days-- // round down for dates before 1970
	}
	w.int(int32(days))
}

// timestamp writes a timestamp-millis logical type.
func (w *binaryWriter) timestamp(t time.Time) { w.long(t.UnixMilli()) }

// arrayStart writes the one block an array is written in; arrayEnd closes
// it. An empty array is a single zero count.
func (w *binaryWriter) arrayStart(n int) {
	if n > 0 {
		w.long(int64(n))
	}
}

func (w *binaryWriter) arrayEnd() { w.long(0) }

// amount writes a decimal of the schemas' precision and scale as the
// minimal two's-complement, big-endian bytes of its unscaled integer. A
// value that does not fit is an error naming field, never rounded.
func (w *binaryWriter) amount(field string, d decimal.Decimal) {
	w.amountItem(field, -1, "", d)
}

// amountItem is amount for a field of the i-th item of an array, so the
// field's path is built only when there is an error to report.
func (w *binaryWriter) amountItem(array string, i int, field string, d decimal.Decimal) {
	if w.err != nil {
		return
	}
	if unscaled, ok := unscaledInt64(d); ok {
		w.long(int64(twosComplementLen(unscaled)))
		for i := twosComplementLen(unscaled) - 1; i >= 0; i-- {
			w.buf = append(w.buf, byte(unscaled>>(8*i)))
		}
		return
	}
	// Rare: amounts beyond int64 at scale 4 take the exact, slower path,
	// which also reports values that do not fit the schema.
	path := array
	if i >= 0 {
		path = fmt.Sprintf("%s[%d].%s", array, i, field)
	}
	r, err := amountToNative(path, d)
	if err != nil {
		w.err = err
		return
	}
	w.bigAmount(r)
}

// unscaledInt64 returns d times 10^4 when that is an integer of at most 18
// digits.
func unscaledInt64(d decimal.Decimal) (int64, bool) {
	exp := d.Exponent() + amountScale
	coef := d.Coefficient()
	if !coef.IsInt64() || exp < 0 || exp > amountPrecision {
		return 0, false
	}
	v := coef.Int64()
	for ; exp > 0; exp-- {
		v *= 10
		if v > maxUnscaled || v < -maxUnscaled {
			return 0, false
		}
	}
	if v > maxUnscaled || v < -maxUnscaled {
		return 0, false
	}
	return v, true
}

// maxUnscaled is the largest unscaled integer of 18 digits.
const maxUnscaled = 999_999_999_999_999_999

// twosComplementLen returns the fewest bytes that hold v in two's
// complement.
func twosComplementLen(v int64) int {
	n := 1
	for ; n < 8; n++ {
		limit := int64(1) << (8*n - 1)
		if v >= -limit && v < limit {
			break
		}
	}
	return n
}

func (w *binaryWriter) bigAmount(r *big.Rat) {
	unscaled := new(big.Int).Quo(new(big.Int).Mul(r.Num(), pow10(amountScale)), r.Denom())
	b := twosComplementBytes(unscaled)
	w.long(int64(len(b)))
	w.buf = append(w.buf, b...)
}

// twosComplementBytes returns the minimal big-endian two's-complement bytes
// of v.
func twosComplementBytes(v *big.Int) []byte {
	if v.Sign() >= 0 {
		b := v.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	// -v - 1 has the bits of v inverted.
	inv := new(big.Int).Sub(new(big.Int).Neg(v), big.NewInt(1)).Bytes()
	for i := range inv {
		inv[i] = ^inv[i]
	}
	if len(inv) == 0 || inv[0]&0x80 == 0 {
		inv = append([]byte{0xff}, inv...)
	}
	return inv
}
