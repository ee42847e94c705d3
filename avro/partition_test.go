package avro

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Kafka's own murmur2 vectors, from the Java client's UtilsTest.testMurmur2
// as franz-go's partitioner tests (v1.22.3) repeat them.
func TestMurmur2KafkaVectors(t *testing.T) {
	cases := []struct {
		key  string
		want int32
	}{
		{"21", -973932308},
		{"foobar", -790332482},
		{"a-little-bit-long-string", -985981536},
		{"a-little-bit-longer-string", -1486304829},
		{"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
		{"abc", 479470107},
	}
	for _, tc := range cases {
		if got := int32(murmur2([]byte(tc.key))); got != tc.want {
			t.Errorf("murmur2(%q) = %d, want %d", tc.key, got, tc.want)
		}
	}
}

func TestPartitionForMatchesFranzGo(t *testing.T) {
	partitioner := kgo.StickyKeyPartitioner(nil).ForTopic("t")
	rng := rand.New(rand.NewPCG(1, 2))
	keys := [][]byte{{}, []byte("JFK-LHR/2026-12-24"), []byte("JFK-CDG/2026-12-24"), []byte("KWI-LHR/2027-01-05")}
	for range 5000 {
		key := make([]byte, rng.IntN(40))
		for i := range key {
			key[i] = byte(rng.Uint32())
		}
		keys = append(keys, key)
	}
	for _, partitions := range []int32{1, 2, 3, 6, 12, 64, 100, 1000} {
		for _, key := range keys {
			want := partitioner.Partition(&kgo.Record{Key: key}, int(partitions))
			if got := PartitionFor(key, partitions); int(got) != want {
				t.Fatalf("PartitionFor(%x, %d) = %d, franz-go gives %d", key, partitions, got, want)
			}
		}
	}
}

func TestPartitionForRejectsNoPartitions(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("PartitionFor(key, 0) did not panic")
		}
	}()
	PartitionFor([]byte("JFK-LHR/2026-12-24"), 0)
}

func ExamplePartitionFor() {
	fmt.Println(PartitionFor([]byte("JFK-LHR/2026-12-24"), 12))
	// Output: 11
}
