package inventory

import (
	"fmt"
	"strings"
	"time"
)

// DateLayout is the layout of departure dates in keys and JSON.
const DateLayout = "2006-01-02"

// Market is a directional origin-destination pair on one departure date,
// local at the origin. Every input event is keyed by its market.
type Market struct {
	Origin      string    // IATA airport code
	Destination string    // IATA airport code
	Date        time.Time // departure date, midnight UTC of the local calendar date
}

// String returns the market key, for example "JFK-LHR/2026-12-24".
func (m Market) String() string {
	return m.Origin + "-" + m.Destination + "/" + m.Date.Format(DateLayout)
}

// ParseMarket parses a market key of the form ORIGIN-DESTINATION/YYYY-MM-DD.
func ParseMarket(key string) (Market, error) {
	route, date, ok := strings.Cut(key, "/")
	if !ok {
		return Market{}, fmt.Errorf("invalid market key %q: want ORIGIN-DESTINATION/YYYY-MM-DD", key)
	}
	origin, destination, ok := strings.Cut(route, "-")
	if !ok {
		return Market{}, fmt.Errorf("invalid market key %q: want ORIGIN-DESTINATION/YYYY-MM-DD", key)
	}
	m := Market{Origin: origin, Destination: destination}
	var err error
	if m.Date, err = ParseDate(date); err != nil {
		return Market{}, fmt.Errorf("invalid market key %q: %w", key, err)
	}
	if err := m.Validate(); err != nil {
		return Market{}, err
	}
	return m, nil
}

// Validate checks the airport codes and that the date is a whole day.
func (m Market) Validate() error {
	if !isAirport(m.Origin) {
		return fmt.Errorf("invalid origin %q: want a three-letter IATA airport code", m.Origin)
	}
	if !isAirport(m.Destination) {
		return fmt.Errorf("invalid destination %q: want a three-letter IATA airport code", m.Destination)
	}
	if m.Origin == m.Destination {
		return fmt.Errorf("invalid market %s: origin equals destination", m)
	}
	if m.Date.IsZero() || !m.Date.Equal(m.Date.Truncate(24*time.Hour)) || m.Date.Location() != time.UTC {
		return fmt.Errorf("invalid departure date %v: want a calendar date", m.Date)
	}
	return nil
}

// ParseDate parses YYYY-MM-DD into midnight UTC of that calendar date.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return d, nil
}

// Flight is one departure of one flight number: a flight-date.
type Flight struct {
	Carrier        string    // IATA airline code, for example "AA"
	Number         string    // flight number digits, for example "100"
	Origin         string    // IATA airport code
	Destination    string    // IATA airport code
	Date           time.Time // departure date, midnight UTC of the local calendar date
	OriginTimeZone string    // IANA zone of the origin, for example "America/New_York"
}

// Key returns the flight key, for example "AA100/2026-12-24/JFK".
func (f Flight) Key() string {
	return f.Carrier + f.Number + "/" + f.Date.Format(DateLayout) + "/" + f.Origin
}

// Market returns the market the flight serves on its departure date.
func (f Flight) Market() Market {
	return Market{Origin: f.Origin, Destination: f.Destination, Date: f.Date}
}

// Validate checks every field of the flight, including that its time zone is
// a known IANA zone.
func (f Flight) Validate() error {
	if len(f.Carrier) != 2 || !isAlnumUpper(f.Carrier) {
		return fmt.Errorf("invalid carrier %q: want a two-character IATA airline code", f.Carrier)
	}
	if n := len(f.Number); n == 0 || n > 4 || strings.Trim(f.Number, "0123456789") != "" {
		return fmt.Errorf("invalid flight number %q: want 1 to 4 digits", f.Number)
	}
	if err := f.Market().Validate(); err != nil {
		return err
	}
	if _, err := LoadLocation(f.OriginTimeZone); err != nil {
		return err
	}
	return nil
}

// DaysToDeparture counts calendar days from the event's date to the
// departure date, both in the origin's time zone. Counting whole 24-hour
// periods instead would be off by one across a daylight-saving change or
// when the event's UTC date differs from the origin's local date.
func (f Flight) DaysToDeparture(eventTime time.Time) (int, error) {
	loc, err := LoadLocation(f.OriginTimeZone)
	if err != nil {
		return 0, err
	}
	local := eventTime.In(loc)
	eventDate := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	return int(f.Date.Sub(eventDate).Hours() / 24), nil
}

func isAirport(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return true
}

func isAlnumUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
