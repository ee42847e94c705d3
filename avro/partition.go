package avro

import "fmt"

// PartitionFor returns the partition Kafka's default partitioner gives a
// record with this key: the 32-bit murmur2 hash of the key bytes, made
// positive by clearing the sign bit, modulo partitions. The Java client and
// franz-go's kgo.StickyKeyPartitioner(nil) compute the same for any non-nil
// key. librdkafka clients (kcat, confluent-kafka) agree only when set to the
// murmur2_random partitioner. It panics when partitions is not positive.
func PartitionFor(key []byte, partitions int32) int32 {
	if partitions <= 0 {
		panic(fmt.Sprintf("avro.PartitionFor: partitions is %d, want 1 or more", partitions))
	}
	return int32(murmur2(key)&0x7fffffff) % partitions
}

// murmur2 is the 32-bit MurmurHash2 variant Kafka's clients use, with seed
// 0x9747b28c and the key's bytes read as little-endian 32-bit words.
func murmur2(data []byte) uint32 {
	const (
		seed  = 0x9747b28c
		mix   = 0x5bd1e995
		shift = 24
	)
	h := uint32(seed) ^ uint32(len(data))

	words := len(data) / 4
	for i := range words {
		k := uint32(data[4*i]) | uint32(data[4*i+1])<<8 | uint32(data[4*i+2])<<16 | uint32(data[4*i+3])<<24
		k *= mix
		k ^= k >> shift
		k *= mix
		h *= mix
		h ^= k
	}

	// The 1 to 3 bytes after the last whole word.
	tail := data[4*words:]
	switch len(tail) {
	case 3:
		h ^= uint32(tail[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(tail[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(tail[0])
		h *= mix
	}

	h ^= h >> 13
	h *= mix
	h ^= h >> 15
	return h
}
