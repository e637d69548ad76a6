package bench

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time (user + system) the whole process has used: the
// client, the in-process server and the runtime (GC). On a shared machine,
// wall time per op grows when other processes take the cores; CPU time per
// op mostly does not, so cpu-ns/op is the steadier figure for ratios.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter reports cpu-ns/op for the b.Loop it brackets.
type cpuMeter struct{ start time.Duration }

func startCPU() cpuMeter { return cpuMeter{start: cpuTime()} }

func (m cpuMeter) report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64((cpuTime()-m.start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
