package avro

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
	"github.com/shopspring/decimal"
)

// validateEvent checks an event against the data contract. Encoding and
// decoding both call it, so no tool writes a record the engine would reject.
func validateEvent(e inventory.Event) error {
	switch e := e.(type) {
	case *inventory.Booking:
		if e != nil {
			return validateBooking(e)
		}
	case *inventory.LoadFactor:
		if e != nil {
			return validateLoadFactor(e)
		}
	case *inventory.CompetitorFare:
		if e != nil {
			return validateCompetitorFare(e)
		}
	case nil:
	default:
		return fmt.Errorf("unsupported event type %T: want *inventory.Booking, *inventory.LoadFactor or *inventory.CompetitorFare", e)
	}
	return errors.New("nil event")
}

func validateBooking(b *inventory.Booking) error {
	return firstError(
		requireText("event_id", b.EventID),
		requireText("booking_id", b.BookingID),
		validateFlight(b.Flight),
		validateCabin("cabin", b.Cabin),
		validateClass("booking_class", b.Class),
		requirePositive("seats", b.Seats),
		requireText("channel", b.Channel),
		requireNonNegative("fare", b.Fare),
		validateCurrency("currency", b.Currency),
		validatePromoCode(b.PromoCode),
		requireTime("event_time", b.EventTime),
	)
}

func validateLoadFactor(l *inventory.LoadFactor) error {
	err := firstError(
		requireText("event_id", l.EventID),
		validateFlight(l.Flight),
		validateCabin("cabin", l.Cabin),
		requireTime("as_of", l.AsOf),
		requirePositive("physical_capacity", l.PhysicalCapacity),
		requireAtLeastZero("authorized_capacity", l.AuthorizedCapacity),
		requireAtLeastZero("seats_sold", l.SeatsSold),
		validateSoldByClass(l.SoldByClass),
		validateForecast(l.Forecast),
	)
	if err != nil {
		return err
	}
	// Check adds what the merge needs: per-class counts that add up to the
	// total, each class once.
	return l.Check()
}

func validateCompetitorFare(c *inventory.CompetitorFare) error {
	return firstError(
		requireText("event_id", c.EventID),
		validateMarket(c.Route),
		validateCabin("cabin", c.Cabin),
		validateCarrier("carrier", c.Carrier),
		requireNonNegative("fare", c.Fare),
		validateCurrency("currency", c.Currency),
		requireTime("observed_at", c.ObservedAt),
		requireText("source", c.Source),
	)
}

// validateDecision checks what a price update's readers rely on: the flight,
// codes and classes. Amounts are checked when they are encoded.
func validateDecision(d *pricing.Decision) error {
	err := firstError(
		validateFlight(d.Flight),
		validateCabin("cabin", d.Cabin),
		requireAtLeastZero64("sequence", d.Sequence),
		validateCurrency("currency", d.Currency),
		requireTime("event_time", d.EventTime),
	)
	if err != nil {
		return err
	}
	if d.OfferedClass != "" {
		if err := validateClass("offered_class", d.OfferedClass); err != nil {
			return err
		}
	}
	for i, p := range d.Ladder {
		if err := validateClass(fmt.Sprintf("ladder[%d].class", i), p.Class); err != nil {
			return err
		}
	}
	return nil
}

func validateSoldByClass(sold []inventory.ClassSeats) error {
	for i, cs := range sold {
		path := fmt.Sprintf("sold_by_class[%d].", i)
		if err := firstError(validateClass(path+"class", cs.Class), requireAtLeastZero(path+"seats", cs.Seats)); err != nil {
			return err
		}
	}
	return nil
}

func validateForecast(forecast []inventory.ClassForecast) error {
	seen := make(map[string]bool, len(forecast))
	for i, f := range forecast {
		path := fmt.Sprintf("forecast[%d].", i)
		err := firstError(
			validateClass(path+"class", f.Class),
			requireFiniteNonNegative(path+"mean", f.Mean),
			requireFiniteNonNegative(path+"std_dev", f.StdDev),
		)
		if err != nil {
			return err
		}
		if seen[f.Class] {
			return fieldError(path+"class", f.Class, "each class at most once in the forecast")
		}
		seen[f.Class] = true
	}
	return nil
}

// validateFlight wraps inventory's check, which also loads the time zone, so
// the error names the field.
func validateFlight(f inventory.Flight) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("invalid flight %s: %w", f.Key(), err)
	}
	return nil
}

func validateMarket(m inventory.Market) error {
	if err := m.Validate(); err != nil {
		return fmt.Errorf("invalid market: %w", err)
	}
	return nil
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func requireText(field, s string) error {
	if s == "" {
		return missingField(field)
	}
	return nil
}

func requirePositive(field string, n int) error {
	if n <= 0 {
		return fieldError(field, n, "a count above 0")
	}
	return nil
}

func requireAtLeastZero(field string, n int) error {
	if n < 0 {
		return fieldError(field, n, "a count of 0 or more")
	}
	return nil
}

func requireAtLeastZero64(field string, n int64) error {
	if n < 0 {
		return fieldError(field, n, "a number of 0 or more")
	}
	return nil
}

func requireNonNegative(field string, d decimal.Decimal) error {
	if d.IsNegative() {
		return fieldError(field, d.String(), "an amount of 0 or more")
	}
	return nil
}

func requireFiniteNonNegative(field string, x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		return fieldError(field, x, "a finite number of 0 or more")
	}
	return nil
}

func requireTime(field string, t time.Time) error {
	if t.IsZero() {
		return missingField(field)
	}
	return nil
}

func validatePromoCode(code *string) error {
	if code != nil && *code == "" {
		return fieldError("promo_code", *code, "a non-empty code, or null when the booking used no promotion")
	}
	return nil
}

// validateCurrency accepts three upper-case letters; whether the code is in
// ISO 4217 is not checked here.
func validateCurrency(field, code string) error {
	if len(code) != 3 || !isUpperLetters(code) {
		return fieldError(field, code, "an ISO 4217 currency code of three upper-case letters, such as USD")
	}
	return nil
}

func validateCarrier(field, code string) error {
	if len(code) != 2 || !isUpperAlnum(code) {
		return fieldError(field, code, "a two-character IATA airline code, such as BA")
	}
	return nil
}

// validateCabin accepts one upper-case letter, such as Y or J.
func validateCabin(field, cabin string) error {
	if len(cabin) != 1 || !isUpperLetters(cabin) {
		return fieldError(field, cabin, "a cabin code of one upper-case letter, such as Y or J")
	}
	return nil
}

// validateClass accepts a booking class (RBD) of one upper-case letter or
// digit.
func validateClass(field, class string) error {
	if len(class) != 1 || !isUpperAlnum(class) {
		return fieldError(field, class, "a booking class of one upper-case letter or digit, such as Q")
	}
	return nil
}

func isUpperLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
