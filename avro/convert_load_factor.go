package avro

import (
	"github.com/fareflow/fareflow/inventory"
)

func loadFactorToNative(l *inventory.LoadFactor) map[string]any {
	return map[string]any{
		"event_id":            l.EventID,
		"flight":              flightToNative(l.Flight),
		"cabin":               l.Cabin,
		"as_of":               l.AsOf,
		"physical_capacity":   int32(l.PhysicalCapacity),
		"authorized_capacity": int32(l.AuthorizedCapacity),
		"seats_sold":          int32(l.SeatsSold),
		"sold_by_class":       soldByClassToNative(l.SoldByClass),
		"forecast":            forecastToNative(l.Forecast),
	}
}

func loadFactorFromNative(v any) (*inventory.LoadFactor, error) {
	r := newNativeReader(v)
	l := &inventory.LoadFactor{
		EventID:            r.str("event_id"),
		Flight:             flightFromNative(r.record("flight")),
		Cabin:              r.str("cabin"),
		AsOf:               r.time("as_of"),
		PhysicalCapacity:   r.int("physical_capacity"),
		AuthorizedCapacity: r.int("authorized_capacity"),
		SeatsSold:          r.int("seats_sold"),
		SoldByClass:        soldByClassFromNative(r, "sold_by_class"),
		Forecast:           forecastFromNative(r, "forecast"),
	}
	if *r.err != nil {
		return nil, *r.err
	}
	return l, nil
}

// soldByClassToNative encodes nil as null and any other slice, even an
// empty one, as an array, so a decode gives back the same.
func soldByClassToNative(sold []inventory.ClassSeats) any {
	if sold == nil {
		return nil
	}
	return union(unionArray, classSeatsToNative(sold))
}

func classSeatsToNative(sold []inventory.ClassSeats) []any {
	items := make([]any, len(sold))
	for i, cs := range sold {
		items[i] = map[string]any{"class": cs.Class, "seats": int32(cs.Seats)}
	}
	return items
}

func soldByClassFromNative(r nativeReader, field string) []inventory.ClassSeats {
	items, ok := r.optionalRecords(field)
	if !ok {
		return nil
	}
	return classSeatsFromNative(items)
}

func classSeatsFromNative(items []nativeReader) []inventory.ClassSeats {
	out := make([]inventory.ClassSeats, len(items))
	for i, item := range items {
		out[i] = inventory.ClassSeats{Class: item.str("class"), Seats: item.int("seats")}
	}
	return out
}

func forecastToNative(forecast []inventory.ClassForecast) any {
	if forecast == nil {
		return nil
	}
	items := make([]any, len(forecast))
	for i, f := range forecast {
		items[i] = map[string]any{"class": f.Class, "mean": f.Mean, "std_dev": f.StdDev}
	}
	return union(unionArray, items)
}

func forecastFromNative(r nativeReader, field string) []inventory.ClassForecast {
	items, ok := r.optionalRecords(field)
	if !ok {
		return nil
	}
	out := make([]inventory.ClassForecast, len(items))
	for i, item := range items {
		out[i] = inventory.ClassForecast{Class: item.str("class"), Mean: item.double("mean"), StdDev: item.double("std_dev")}
	}
	return out
}
