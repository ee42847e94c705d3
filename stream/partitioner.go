package stream

import "github.com/twmb/franz-go/pkg/kgo"

// outputPartitioner writes changelog records to the partition the record
// names (the input partition number whose state it holds) and hashes every
// other record's key as Kafka's default partitioner does (murmur2), so the
// price updates of one flight stay in one partition, in order.
func outputPartitioner(changelog string) kgo.Partitioner {
	hashed := kgo.StickyKeyPartitioner(nil)
	manual := kgo.ManualPartitioner()
	return kgo.BasicConsistentPartitioner(func(topic string) func(*kgo.Record, int) int {
		if topic == changelog {
			tp := manual.ForTopic(topic)
			return func(r *kgo.Record, n int) int { return tp.Partition(r, n) }
		}
		tp := hashed.ForTopic(topic)
		return func(r *kgo.Record, n int) int { return tp.Partition(r, n) }
	})
}
