package avro

import (
	"github.com/fareflow/fareflow/inventory"
)

// The symbols of the BookingAction enum.
const (
	actionBookSymbol   = "BOOK"
	actionCancelSymbol = "CANCEL"
)

func bookingToNative(b *inventory.Booking) (map[string]any, error) {
	var w nativeWriter
	action, err := actionSymbol(b.Action)
	if err != nil {
		return nil, err
	}
	m := map[string]any{
		"event_id":      b.EventID,
		"booking_id":    b.BookingID,
		"action":        action,
		"flight":        flightToNative(b.Flight),
		"cabin":         b.Cabin,
		"booking_class": b.Class,
		"seats":         int32(b.Seats),
		"channel":       b.Channel,
		"fare":          w.amount("fare", b.Fare),
		"currency":      b.Currency,
		"promo_code":    optionalStringToNative(b.PromoCode),
		"event_time":    b.EventTime,
	}
	return m, w.err
}

func bookingFromNative(v any) (*inventory.Booking, error) {
	r := newNativeReader(v)
	b := &inventory.Booking{
		EventID:   r.str("event_id"),
		BookingID: r.str("booking_id"),
		Flight:    flightFromNative(r.record("flight")),
		Cabin:     r.str("cabin"),
		Class:     r.str("booking_class"),
		Seats:     r.int("seats"),
		Channel:   r.str("channel"),
		Fare:      r.amount("fare"),
		Currency:  r.str("currency"),
		PromoCode: r.optionalString("promo_code"),
		EventTime: r.time("event_time"),
	}
	symbol := r.str("action")
	if *r.err != nil {
		return nil, *r.err
	}
	var err error
	if b.Action, err = actionFromSymbol(symbol); err != nil {
		return nil, err
	}
	return b, nil
}

func actionSymbol(a inventory.BookingAction) (string, error) {
	switch a {
	case inventory.ActionBook:
		return actionBookSymbol, nil
	case inventory.ActionCancel:
		return actionCancelSymbol, nil
	}
	return "", fieldError("action", int(a), "inventory.ActionBook or inventory.ActionCancel")
}

func actionFromSymbol(s string) (inventory.BookingAction, error) {
	switch s {
	case actionBookSymbol:
		return inventory.ActionBook, nil
	case actionCancelSymbol:
		return inventory.ActionCancel, nil
	}
	return 0, fieldError("action", s, "BOOK or CANCEL")
}
