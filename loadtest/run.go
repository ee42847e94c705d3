package loadtest

import (
	"context"
	"fmt"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Encoder turns an event into the record to produce.
type Encoder func(inventory.Event) (*kgo.Record, error)

// Preload produces n events of market through cl and waits until the broker
// acknowledged them all. It returns how long producing took.
func Preload(ctx context.Context, cl *kgo.Client, market *Market, n int, encode Encoder) (time.Duration, error) {
	start := time.Now()
	errs := make(chan error, 1)
	for i := 0; i < n; i++ {
		r, err := encode(market.Next())
		if err != nil {
			return 0, err
		}
		cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
			if err != nil {
				select {
				case errs <- err:
				default:
				}
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		return 0, err
	}
	select {
	case err := <-errs:
		return 0, fmt.Errorf("produce: %w", err)
	default:
	}
	return time.Since(start), nil
}

// WaitCaughtUp polls every interval until group's committed offsets reach
// the end offsets of topics, or ctx ends.
func WaitCaughtUp(ctx context.Context, adm *kadm.Client, group string, topics []string, interval time.Duration) error {
	ends, err := adm.ListEndOffsets(ctx, topics...)
	if err != nil {
		return fmt.Errorf("list end offsets: %w", err)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		committed, err := adm.FetchOffsets(ctx, group)
		if err == nil && caughtUp(ends, committed) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("group %s did not catch up: %w", group, ctx.Err())
		case <-tick.C:
		}
	}
}

func caughtUp(ends kadm.ListedOffsets, committed kadm.OffsetResponses) bool {
	ok := true
	ends.Each(func(o kadm.ListedOffset) {
		c, found := committed.Lookup(o.Topic, o.Partition)
		if o.Offset > 0 && (!found || c.Err != nil || c.At < o.Offset) {
			ok = false
		}
	})
	return ok
}
