// Command ratios reads one `go test -bench` output (bench/results/bench.txt)
// and prints, in Markdown, the median of every benchmark and unit, and the
// ratios the performance targets of issue 7 are stated in, each against its
// target. All figures come from the one input file.
//
// Usage: go run ./internal/ratios results/bench.txt > results/ratios.md
package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// key is a benchmark name without the -GOMAXPROCS suffix, e.g. "GetBalance/peer=raw".
type samples map[string]map[string][]float64 // name → unit → values

var procSuffix = regexp.MustCompile(`-\d+$`)

func parse(path string) (samples, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	s := samples{}
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 4 || !strings.HasPrefix(fs[0], "Benchmark") {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(fs[0], "Benchmark"), "")
		if _, err := strconv.Atoi(fs[1]); err != nil {
			continue
		}
		if s[name] == nil {
			s[name] = map[string][]float64{}
			order = append(order, name)
		}
		for i := 2; i+1 < len(fs); i += 2 {
			v, err := strconv.ParseFloat(fs[i], 64)
			if err != nil {
				continue
			}
			s[name][fs[i+1]] = append(s[name][fs[i+1]], v)
		}
	}
	return s, order, sc.Err()
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	c := append([]float64(nil), v...)
	sort.Float64s(c)
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

func (s samples) med(name, unit string) (float64, bool) {
	v, ok := s[name][unit]
	if !ok || len(v) == 0 {
		return 0, false
	}
	return median(v), true
}

func human(v float64, unit string) string {
	switch unit {
	case "ns/op", "cpu-ns/op":
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%.3f s", v/1e9)
		case v >= 1e6:
			return fmt.Sprintf("%.2f ms", v/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%.1f µs", v/1e3)
		}
		return fmt.Sprintf("%.0f ns", v)
	case "B/op", "peak-heap-B":
		switch {
		case v >= 1<<20:
			return fmt.Sprintf("%.1f MiB", v/(1<<20))
		case v >= 1<<10:
			return fmt.Sprintf("%.1f KiB", v/(1<<10))
		}
		return fmt.Sprintf("%.0f B", v)
	case "ns/item", "MB/s":
		return fmt.Sprintf("%.0f", v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func main() {
	log.SetFlags(0)
	if len(os.Args) != 2 {
		log.Fatal("usage: ratios bench.txt")
	}
	s, order, err := parse(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for _, v := range s {
		for _, vs := range v {
			n = max(n, len(vs))
		}
	}
	fmt.Printf("Medians of %d runs per benchmark, from %s.\n\n", n, os.Args[1])

	// The table: one row per benchmark.
	units := []string{"ns/op", "cpu-ns/op", "B/op", "allocs/op", "peak-heap-B", "ns/item"}
	fmt.Println("| benchmark | ns/op (wall) | cpu-ns/op | B/op | allocs/op | peak-heap-B | ns/item |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, name := range order {
		if strings.HasPrefix(name, "Pair/") {
			continue
		}
		row := []string{"`" + name + "`"}
		for _, u := range units {
			if v, ok := s.med(name, u); ok {
				row = append(row, human(v, u))
			} else {
				row = append(row, "")
			}
		}
		fmt.Println("| " + strings.Join(row, " | ") + " |")
	}

	// The ratios against the targets.
	fmt.Println()
	fmt.Println("Ratios of the medians above; for time, in wall time and in process CPU time (cpu-ns/op).")
	fmt.Println()
	fmt.Println("| ratio | wall | cpu | target | met (cpu) |")
	fmt.Println("|---|---:|---:|---:|:-:|")
	ratio := func(label, num, den, unit string, target float64) {
		a, ok1 := s.med(num, unit)
		b, ok2 := s.med(den, unit)
		if !ok1 || !ok2 || b == 0 {
			fmt.Printf("| %s | n/a | | | |\n", label)
			return
		}
		r := a / b
		wall, cpu := fmt.Sprintf("%.2f", r), ""
		if unit == "ns/op" {
			if ca, ok := s.med(num, "cpu-ns/op"); ok {
				if cb, ok := s.med(den, "cpu-ns/op"); ok && cb > 0 {
					cpu = fmt.Sprintf("%.2f", ca/cb)
					r = ca / cb
				}
			}
		} else {
			wall, cpu = "", wall
		}
		t, met := "", ""
		if target > 0 {
			t = fmt.Sprintf("≤ %.2f", target)
			met = "yes"
			if r > target {
				met = "**no**"
			}
		}
		fmt.Printf("| %s | %s | %s | %s | %s |\n", label, wall, cpu, t, met)
	}
	delta := func(label, num, den, unit string, target float64) {
		a, ok1 := s.med(num, unit)
		b, ok2 := s.med(den, unit)
		if !ok1 || !ok2 {
			fmt.Printf("| %s | n/a | | | |\n", label)
			return
		}
		d := a - b
		met := "yes"
		if d > target {
			met = "**no**"
		}
		fmt.Printf("| %s | | %+.0f | ≤ +%.0f | %s |\n", label, d, target, met)
	}
	for _, op := range []string{"GetBalance", "CreatePayout", "ListPage100"} {
		ratio(op+": wrapper/raw ns/op", op+"/peer=wrapper", op+"/peer=raw", "ns/op", 1.05)
		delta(op+": wrapper−raw allocs/op", op+"/peer=wrapper", op+"/peer=raw", "allocs/op", 5)
		ratio(op+": wrapper/floor ns/op", op+"/peer=wrapper", op+"/peer=floor", "ns/op", 1.25)
	}
	for _, w := range []string{"Walk10k", "Walk100k"} {
		ratio(w+": wrapper/raw ns/op", w+"/peer=wrapper", w+"/peer=raw", "ns/op", 1.05)
		ratio(w+": wrapper/floor ns/op", w+"/peer=wrapper", w+"/peer=floor", "ns/op", 1.25)
	}
	ratio("ListPage100 (HTTP + decode): wrapper/ogen ns/op", "ListPage100/peer=wrapper", "ListPage100/peer=ogen", "ns/op", 1.0)
	ratio("DecodePage100 (decode only): wrapper/ogen ns/op", "DecodePage100/peer=wrapper", "DecodePage100/peer=ogen", "ns/op", 1.0)
	ratio("DecodePage100 (decode only): raw/ogen ns/op (json.Unmarshal in front of the same decoders)", "DecodePage100/peer=raw", "DecodePage100/peer=ogen", "ns/op", 0)
	ratio("Walk100k: wrapper/ogen ns/op", "Walk100k/peer=wrapper", "Walk100k/peer=ogen", "ns/op", 1.0)
	for _, op := range []string{"GetBalance", "ListPage100"} {
		ratio("Drift "+op+": on/off ns/op", "Drift/op="+op+"/drift=on", "Drift/op="+op+"/drift=off", "ns/op", 1.5)
		ratio("Drift "+op+": on/off allocs/op", "Drift/op="+op+"/drift=on", "Drift/op="+op+"/drift=off", "allocs/op", 0)
	}
	for _, p := range []string{"floor", "raw", "wrapper", "ogen"} {
		ratio("peak heap "+p+": Walk100k/Walk10k", "Walk100k/peer="+p, "Walk10k/peer="+p, "peak-heap-B", 1.25)
	}

	// The interleaved pairs (BenchmarkPair): the median of the per-run ratio metric.
	fmt.Println()
	fmt.Println("Interleaved pairs (BenchmarkPair: A and B alternate in one loop; ratio = time A / time B, median of the runs and min–max, in wall and in process CPU time):")
	fmt.Println()
	fmt.Println("| pair | A ns/op | B ns/op | wall ratio | min–max | cpu ratio | min–max | target | met (cpu) |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|:-:|")
	targets := map[string]float64{"wrapper-vs-raw": 1.05, "wrapper-vs-floor": 1.25, "wrapper-vs-ogen": 1.0, "drift-on-vs-off": 1.5}
	for _, name := range order {
		if !strings.HasPrefix(name, "Pair/") {
			continue
		}
		r, ok := s.med(name, "ratio")
		if !ok {
			continue
		}
		rng := func(unit string) (float64, float64) {
			vs := s[name][unit]
			if len(vs) == 0 {
				return 0, 0
			}
			lo, hi := vs[0], vs[0]
			for _, v := range vs {
				lo, hi = min(lo, v), max(hi, v)
			}
			return lo, hi
		}
		lo, hi := rng("ratio")
		cr, _ := s.med(name, "cpu-ratio")
		clo, chi := rng("cpu-ratio")
		a, _ := s.med(name, "a-ns/op")
		b, _ := s.med(name, "b-ns/op")
		t := 0.0
		for k, v := range targets {
			if strings.HasSuffix(name, "pair="+k) {
				t = v
			}
		}
		met := "yes"
		if cr > t {
			met = "**no**"
		}
		fmt.Printf("| `%s` | %s | %s | %.2f | %.2f–%.2f | %.2f | %.2f–%.2f | ≤ %.2f | %s |\n", strings.TrimPrefix(name, "Pair/"),
			human(a, "ns/op"), human(b, "ns/op"), r, lo, hi, cr, clo, chi, t, met)
	}
}
