package inventory

import "errors"

// Errors an event can be rejected with. The stream sends a rejected event to
// the dead-letter topic with the error's text as the reason.
var (
	// ErrUnknownBooking rejects a cancellation of a booking id the cabin has
	// not seen, or whose seats were all released already.
	ErrUnknownBooking = errors.New("cancellation of an unknown booking")
	// ErrCancelExceedsHolding rejects a cancellation of more seats than its
	// booking holds. It is rejected whole: no seat is released.
	ErrCancelExceedsHolding = errors.New("cancellation exceeds the seats its booking holds")
	// ErrBookingExists rejects a booking whose id already holds seats.
	ErrBookingExists = errors.New("booking id already holds seats")
	// ErrClassMismatch rejects a cancellation naming another class than its
	// booking's.
	ErrClassMismatch = errors.New("cancellation class differs from its booking's")
	// ErrInvalidBooking rejects a booking event whose action is unknown or
	// whose seat count is not above 0.
	ErrInvalidBooking = errors.New("invalid booking event")
	// ErrInvalidSnapshot rejects a load-factor snapshot whose numbers cannot
	// be merged or priced: a capacity, count or forecast out of range, or
	// per-class counts that do not add up to the total.
	ErrInvalidSnapshot = errors.New("invalid load-factor snapshot")
)

// Outcome is the effect that applying an event had.
type Outcome uint8

const (
	// Applied means the event changed the state.
	Applied Outcome = iota + 1
	// Duplicate means an event with the same id was applied before.
	Duplicate
	// Stale means a newer snapshot or quote was applied before.
	Stale
)

// String returns the outcome's name, as used in metrics.
func (o Outcome) String() string {
	switch o {
	case Applied:
		return "applied"
	case Duplicate:
		return "duplicate"
	case Stale:
		return "stale"
	}
	return "unknown"
}
