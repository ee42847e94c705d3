package state_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/state"
	"github.com/shopspring/decimal"
)

// BenchmarkMemoryPerCabin reports the heap one 8-class cabin with a
// snapshot takes, and what each active booking adds, measured over many
// cabins so per-map overheads average out.
func BenchmarkMemoryPerCabin(b *testing.B) {
	for _, bookings := range []int{0, 60} {
		b.Run(fmt.Sprintf("bookings=%d", bookings), func(b *testing.B) {
			const cabins = 20_000
			for b.Loop() {
				before := heapInUse()
				p := fillPartition(cabins, bookings)
				after := heapInUse()
				b.ReportMetric(float64(after-before)/cabins, "bytes/cabin")
				runtime.KeepAlive(p)
			}
		})
	}
}

func fillPartition(cabins, bookings int) *state.Partition {
	p := state.NewPartition(0)
	classes := []string{"Y", "B", "M", "H", "Q", "K", "L", "V"}
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < cabins; i++ {
		f := inventory.Flight{Carrier: "FF", Number: fmt.Sprint(100 + i%9000), Origin: "JFK", Destination: "LHR",
			Date: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/9000), OriginTimeZone: "America/New_York"}
		c := p.EditCabin(f, "Y")
		forecast := make([]inventory.ClassForecast, len(classes))
		for j, class := range classes {
			forecast[j] = inventory.ClassForecast{Class: class, Mean: 10, StdDev: 3}
		}
		c.ApplyLoadFactor(&inventory.LoadFactor{EventID: fmt.Sprintf("%08d-0000-4000-8000-000000000000", i), Flight: f, Cabin: "Y",
			AsOf: at, PhysicalCapacity: 180, AuthorizedCapacity: 189, Forecast: forecast})
		for k := 0; k < bookings; k++ {
			c.ApplyBooking(&inventory.Booking{EventID: fmt.Sprintf("%08d-%04d-4000-8000-000000000000", i, k), BookingID: fmt.Sprintf("PNR%07d%02d", i, k),
				Action: inventory.ActionBook, Flight: f, Cabin: "Y", Class: classes[k%8], Seats: 1, Channel: "web",
				Fare: decimal.New(45000, -2), Currency: "USD", EventTime: at.Add(time.Duration(k+1) * time.Minute)})
		}
		p.Commit()
	}
	return p
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
