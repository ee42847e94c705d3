package avro

import (
	"encoding/json"
	"fmt"

	"github.com/fareflow/fareflow/inventory"
)

// The JSON form of events: one object per line, its kind in "type". Every
// field is required unless its comment marks it as nullable. Pointer fields
// tell a missing or null field from a zero value.

type flightJSON struct {
	Carrier        *string `json:"carrier"`
	Number         *string `json:"number"`
	Origin         *string `json:"origin"`
	Destination    *string `json:"destination"`
	DepartureDate  *string `json:"departure_date"`
	OriginTimeZone *string `json:"origin_time_zone"`
}

type marketJSON struct {
	Origin        *string `json:"origin"`
	Destination   *string `json:"destination"`
	DepartureDate *string `json:"departure_date"`
}

type bookingJSON struct {
	Type      string          `json:"type"`
	EventID   *string         `json:"event_id"`
	BookingID *string         `json:"booking_id"`
	Action    *string         `json:"action"` // "book" or "cancel"
	Flight    *flightJSON     `json:"flight"`
	Cabin     *string         `json:"cabin"`
	Class     *string         `json:"booking_class"`
	Seats     *int            `json:"seats"`
	Channel   *string         `json:"channel"`
	Fare      json.RawMessage `json:"fare"`
	Currency  *string         `json:"currency"`
	PromoCode *string         `json:"promo_code"` // may be null
	EventTime *string         `json:"event_time"`
}

type classSeatsJSON struct {
	Class *string `json:"class"`
	Seats *int    `json:"seats"`
}

type classForecastJSON struct {
	Class  *string  `json:"class"`
	Mean   *float64 `json:"mean"`
	StdDev *float64 `json:"std_dev"`
}

type loadFactorJSON struct {
	Type               string              `json:"type"`
	EventID            *string             `json:"event_id"`
	Flight             *flightJSON         `json:"flight"`
	Cabin              *string             `json:"cabin"`
	AsOf               *string             `json:"as_of"`
	PhysicalCapacity   *int                `json:"physical_capacity"`
	AuthorizedCapacity *int                `json:"authorized_capacity"`
	SeatsSold          *int                `json:"seats_sold"`
	SoldByClass        []classSeatsJSON    `json:"sold_by_class"` // may be null
	Forecast           []classForecastJSON `json:"forecast"`      // may be null
}

type competitorFareJSON struct {
	// Type is "competitor_fare" in an event line and left out where the
	// quote sits inside a price update.
	Type       string          `json:"type,omitempty"`
	EventID    *string         `json:"event_id"`
	Market     *marketJSON     `json:"market"`
	Cabin      *string         `json:"cabin"`
	Carrier    *string         `json:"carrier"`
	Fare       json.RawMessage `json:"fare"`
	Currency   *string         `json:"currency"`
	ObservedAt *string         `json:"observed_at"`
	Source     *string         `json:"source"`
}

// ParseEventJSON parses one JSON line into an event and validates it as
// DecodeEvent does. Failures wrap ErrInvalidJSON, with a *FieldError in the
// chain when a field is at fault.
func ParseEventJSON(line []byte) (inventory.Event, error) {
	var head struct {
		Type *string `json:"type"`
	}
	if err := decodeObject(line, &head, false); err != nil {
		return nil, invalidJSON(err)
	}
	if head.Type == nil {
		return nil, invalidJSON(missingField("type"))
	}

	var e inventory.Event
	var err error
	switch kind := *head.Type; kind {
	case inventory.KindBooking.String():
		e, err = asEvent(parseBookingJSON(line))
	case inventory.KindLoadFactor.String():
		e, err = asEvent(parseLoadFactorJSON(line))
	case inventory.KindCompetitorFare.String():
		e, err = asEvent(parseCompetitorFareJSON(line))
	default:
		err = fieldError("type", kind, "booking, load_factor or competitor_fare")
	}
	if err == nil {
		err = validateEvent(e)
	}
	if err != nil {
		return nil, invalidJSON(err)
	}
	return e, nil
}

func parseBookingJSON(line []byte) (*inventory.Booking, error) {
	var in bookingJSON
	if err := decodeStrict(line, &in); err != nil {
		return nil, err
	}
	var r jsonReader
	b := &inventory.Booking{
		EventID:   r.str("event_id", in.EventID),
		BookingID: r.str("booking_id", in.BookingID),
		Flight:    r.flight("flight", in.Flight),
		Cabin:     r.str("cabin", in.Cabin),
		Class:     r.str("booking_class", in.Class),
		Seats:     r.int("seats", in.Seats),
		Channel:   r.str("channel", in.Channel),
		Fare:      r.amount("fare", in.Fare),
		Currency:  r.str("currency", in.Currency),
		PromoCode: in.PromoCode,
		EventTime: r.time("event_time", in.EventTime),
	}
	switch action := r.str("action", in.Action); action {
	case inventory.ActionBook.String():
		b.Action = inventory.ActionBook
	case inventory.ActionCancel.String():
		b.Action = inventory.ActionCancel
	default:
		r.fail(fieldError("action", action, "book or cancel"))
	}
	if r.err != nil {
		return nil, r.err
	}
	return b, nil
}

func parseLoadFactorJSON(line []byte) (*inventory.LoadFactor, error) {
	var in loadFactorJSON
	if err := decodeStrict(line, &in); err != nil {
		return nil, err
	}
	var r jsonReader
	l := &inventory.LoadFactor{
		EventID:            r.str("event_id", in.EventID),
		Flight:             r.flight("flight", in.Flight),
		Cabin:              r.str("cabin", in.Cabin),
		AsOf:               r.time("as_of", in.AsOf),
		PhysicalCapacity:   r.int("physical_capacity", in.PhysicalCapacity),
		AuthorizedCapacity: r.int("authorized_capacity", in.AuthorizedCapacity),
		SeatsSold:          r.int("seats_sold", in.SeatsSold),
	}
	if in.SoldByClass != nil {
		l.SoldByClass = make([]inventory.ClassSeats, len(in.SoldByClass))
		for i, cs := range in.SoldByClass {
			path := fmt.Sprintf("sold_by_class[%d].", i)
			l.SoldByClass[i] = inventory.ClassSeats{Class: r.str(path+"class", cs.Class), Seats: r.int(path+"seats", cs.Seats)}
		}
	}
	if in.Forecast != nil {
		l.Forecast = make([]inventory.ClassForecast, len(in.Forecast))
		for i, f := range in.Forecast {
			path := fmt.Sprintf("forecast[%d].", i)
			l.Forecast[i] = inventory.ClassForecast{
				Class:  r.str(path+"class", f.Class),
				Mean:   r.float(path+"mean", f.Mean),
				StdDev: r.float(path+"std_dev", f.StdDev),
			}
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return l, nil
}

func parseCompetitorFareJSON(line []byte) (*inventory.CompetitorFare, error) {
	var in competitorFareJSON
	if err := decodeStrict(line, &in); err != nil {
		return nil, err
	}
	var r jsonReader
	c := r.competitorFare("", &in)
	if r.err != nil {
		return nil, r.err
	}
	return &c, nil
}

// competitorFare converts a quote; path prefixes its field names in errors.
func (r *jsonReader) competitorFare(path string, in *competitorFareJSON) inventory.CompetitorFare {
	return inventory.CompetitorFare{
		EventID:    r.str(path+"event_id", in.EventID),
		Route:      r.market(path+"market", in.Market),
		Cabin:      r.str(path+"cabin", in.Cabin),
		Carrier:    r.str(path+"carrier", in.Carrier),
		Fare:       r.amount(path+"fare", in.Fare),
		Currency:   r.str(path+"currency", in.Currency),
		ObservedAt: r.time(path+"observed_at", in.ObservedAt),
		Source:     r.str(path+"source", in.Source),
	}
}

func (r *jsonReader) flight(field string, in *flightJSON) inventory.Flight {
	if in == nil {
		r.fail(missingField(field))
		return inventory.Flight{}
	}
	return inventory.Flight{
		Carrier:        r.str(field+".carrier", in.Carrier),
		Number:         r.str(field+".number", in.Number),
		Origin:         r.str(field+".origin", in.Origin),
		Destination:    r.str(field+".destination", in.Destination),
		Date:           r.date(field+".departure_date", in.DepartureDate),
		OriginTimeZone: r.str(field+".origin_time_zone", in.OriginTimeZone),
	}
}

func (r *jsonReader) market(field string, in *marketJSON) inventory.Market {
	if in == nil {
		r.fail(missingField(field))
		return inventory.Market{}
	}
	return inventory.Market{
		Origin:      r.str(field+".origin", in.Origin),
		Destination: r.str(field+".destination", in.Destination),
		Date:        r.date(field+".departure_date", in.DepartureDate),
	}
}

// EventJSON writes an event as one JSON object without a trailing newline,
// with the fields in a fixed order. It validates the event first, as
// EncodeEvent does.
func EventJSON(e inventory.Event) ([]byte, error) {
	if err := validateEvent(e); err != nil {
		return nil, invalidJSON(err)
	}
	var out any
	switch e := e.(type) {
	case *inventory.Booking:
		out = bookingToJSON(e)
	case *inventory.LoadFactor:
		out = loadFactorToJSON(e)
	case *inventory.CompetitorFare:
		q := competitorFareToJSON(e)
		q.Type = inventory.KindCompetitorFare.String()
		out = q
	}
	return json.Marshal(out)
}

func bookingToJSON(b *inventory.Booking) *bookingJSON {
	return &bookingJSON{
		Type:      inventory.KindBooking.String(),
		EventID:   ptr(b.EventID),
		BookingID: ptr(b.BookingID),
		Action:    ptr(b.Action.String()),
		Flight:    flightToJSON(b.Flight),
		Cabin:     ptr(b.Cabin),
		Class:     ptr(b.Class),
		Seats:     ptr(b.Seats),
		Channel:   ptr(b.Channel),
		Fare:      quoteAmount(formatEventAmount(b.Fare, b.Currency)),
		Currency:  ptr(b.Currency),
		PromoCode: b.PromoCode,
		EventTime: ptr(formatTime(b.EventTime)),
	}
}

func loadFactorToJSON(l *inventory.LoadFactor) *loadFactorJSON {
	out := &loadFactorJSON{
		Type:               inventory.KindLoadFactor.String(),
		EventID:            ptr(l.EventID),
		Flight:             flightToJSON(l.Flight),
		Cabin:              ptr(l.Cabin),
		AsOf:               ptr(formatTime(l.AsOf)),
		PhysicalCapacity:   ptr(l.PhysicalCapacity),
		AuthorizedCapacity: ptr(l.AuthorizedCapacity),
		SeatsSold:          ptr(l.SeatsSold),
	}
	if l.SoldByClass != nil {
		out.SoldByClass = make([]classSeatsJSON, len(l.SoldByClass))
		for i, cs := range l.SoldByClass {
			out.SoldByClass[i] = classSeatsJSON{Class: ptr(cs.Class), Seats: ptr(cs.Seats)}
		}
	}
	if l.Forecast != nil {
		out.Forecast = make([]classForecastJSON, len(l.Forecast))
		for i, f := range l.Forecast {
			out.Forecast[i] = classForecastJSON{Class: ptr(f.Class), Mean: ptr(f.Mean), StdDev: ptr(f.StdDev)}
		}
	}
	return out
}

func competitorFareToJSON(c *inventory.CompetitorFare) *competitorFareJSON {
	return &competitorFareJSON{
		EventID:    ptr(c.EventID),
		Market:     marketToJSON(c.Route),
		Cabin:      ptr(c.Cabin),
		Carrier:    ptr(c.Carrier),
		Fare:       quoteAmount(formatEventAmount(c.Fare, c.Currency)),
		Currency:   ptr(c.Currency),
		ObservedAt: ptr(formatTime(c.ObservedAt)),
		Source:     ptr(c.Source),
	}
}

func flightToJSON(f inventory.Flight) *flightJSON {
	return &flightJSON{
		Carrier:        ptr(f.Carrier),
		Number:         ptr(f.Number),
		Origin:         ptr(f.Origin),
		Destination:    ptr(f.Destination),
		DepartureDate:  ptr(f.Date.Format(inventory.DateLayout)),
		OriginTimeZone: ptr(f.OriginTimeZone),
	}
}

func marketToJSON(m inventory.Market) *marketJSON {
	return &marketJSON{
		Origin:        ptr(m.Origin),
		Destination:   ptr(m.Destination),
		DepartureDate: ptr(m.Date.Format(inventory.DateLayout)),
	}
}
