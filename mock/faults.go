package mock

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind is what an injected fault does to a request.
type FaultKind string

// The fault kinds.
const (
	// FaultStatus answers Status (429, 500, 502, 503, 504, …) in the API's
	// error shape, with Retry-After when RetryAfter is set. Nothing is
	// created.
	FaultStatus FaultKind = "status"
	// FaultDelay waits Delay, then answers normally.
	FaultDelay FaultKind = "delay"
	// FaultReset closes the connection (TCP reset) before doing anything.
	FaultReset FaultKind = "reset"
	// FaultCommitThenDrop performs the request (the object is created or
	// changed), then closes the connection without an answer.
	FaultCommitThenDrop FaultKind = "commit_then_drop"
	// FaultTruncated performs the request and answers its status with the
	// JSON body cut in half.
	FaultTruncated FaultKind = "truncated"
	// FaultWrongContentType performs the request and answers with an HTML
	// body and Content-Type text/html.
	FaultWrongContentType FaultKind = "wrong_content_type"
	// FaultOversized answers 200 with a valid JSON body of OversizeBytes
	// (11 MiB unless Size says otherwise). Nothing is created.
	FaultOversized FaultKind = "oversized"
)

// OversizeBytes is the default body size of FaultOversized (11 MiB).
const OversizeBytes = 11 << 20

// Fault is one scripted answer. It applies to the calls of Operation (an
// operationId; empty means every operation), skipping the first After
// matching calls, then Times times (0 means once, negative means always).
//
// How several faults on one operation combine: each call walks the
// installed faults in the order they were added and stops at the first
// that fires. Every matching fault the walk passes before that counts the
// call toward its own After; faults after the one that fires do not see
// the call at all. So [A, B] fires A on the first call and B on the second;
// [A{After: 1}, B] fires B on the first call (A counts it) and A on the
// second; [A{Times: -1}, B] never reaches B. At most one
// fault applies to a call: a FaultDelay that fires answers normally after
// its delay and is not combined with another fault. A spent fault (Times
// reached) is removed.
type Fault struct {
	Operation  string        `json:"operation,omitempty"`
	Kind       FaultKind     `json:"kind"`
	Status     int           `json:"status,omitempty"`
	RetryAfter string        `json:"retry_after,omitempty"` // Retry-After header value for FaultStatus
	Delay      time.Duration `json:"delay,omitempty"`
	Size       int           `json:"size,omitempty"` // body size for FaultOversized
	After      int           `json:"after,omitempty"`
	Times      int           `json:"times,omitempty"`
}

// UnmarshalJSON accepts delay as a Go duration string ("1.5s") or as
// nanoseconds.
func (f *Fault) UnmarshalJSON(b []byte) error {
	type plain Fault
	var aux struct {
		plain
		Delay any `json:"delay,omitempty"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*f = Fault(aux.plain)
	switch d := aux.Delay.(type) {
	case nil:
	case string:
		v, err := time.ParseDuration(d)
		if err != nil {
			return fmt.Errorf("delay: %w", err)
		}
		f.Delay = v
	case float64:
		f.Delay = time.Duration(d)
	default:
		return errors.New("delay: want a duration string")
	}
	return f.validate()
}

func (f *Fault) validate() error {
	switch f.Kind {
	case FaultStatus:
		if f.Status < 400 || f.Status > 599 {
			return fmt.Errorf("fault %s: status %d is not 4xx/5xx", f.Kind, f.Status)
		}
	case FaultDelay, FaultReset, FaultCommitThenDrop, FaultTruncated, FaultWrongContentType, FaultOversized:
	default:
		return fmt.Errorf("unknown fault kind %q", f.Kind)
	}
	return nil
}

// ParseFault parses the command-line form of a Fault: comma-separated
// key=value pairs, e.g. "op=createPayout,kind=status,status=503,retry_after=2,times=2"
// or "kind=delay,delay=2s". Keys: op, kind, status, retry_after, delay,
// size, after, times.
func ParseFault(s string) (Fault, error) {
	var f Fault
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return f, fmt.Errorf("fault %q: %q is not key=value", s, kv)
		}
		var err error
		switch k {
		case "op", "operation":
			f.Operation = v
		case "kind":
			f.Kind = FaultKind(v)
		case "status":
			f.Status, err = strconv.Atoi(v)
		case "retry_after":
			f.RetryAfter = v
		case "delay":
			f.Delay, err = time.ParseDuration(v)
		case "size":
			f.Size, err = strconv.Atoi(v)
		case "after":
			f.After, err = strconv.Atoi(v)
		case "times":
			f.Times, err = strconv.Atoi(v)
		default:
			err = fmt.Errorf("unknown key %q", k)
		}
		if err != nil {
			return f, fmt.Errorf("fault %q: %w", s, err)
		}
	}
	return f, f.validate()
}

type activeFault struct {
	Fault
	seen, used int
}

// faults holds the installed fault injections and per-operation call counts.
type faults struct {
	fmu    sync.Mutex
	list   []*activeFault
	counts map[string]int
}

func (fs *faults) add(f Fault) {
	fs.fmu.Lock()
	defer fs.fmu.Unlock()
	fs.list = append(fs.list, &activeFault{Fault: f})
}

func (fs *faults) clear() {
	fs.fmu.Lock()
	defer fs.fmu.Unlock()
	fs.list = nil
}

// reset removes every fault and forgets the call counts.
func (fs *faults) reset() {
	fs.fmu.Lock()
	defer fs.fmu.Unlock()
	fs.list, fs.counts = nil, nil
}

func (fs *faults) calls(op string) int {
	fs.fmu.Lock()
	defer fs.fmu.Unlock()
	return fs.counts[op]
}

func (fs *faults) pending() []Fault {
	fs.fmu.Lock()
	defer fs.fmu.Unlock()
	out := make([]Fault, 0, len(fs.list))
	for _, f := range fs.list {
		out = append(out, f.Fault)
	}
	return out
}

// take counts a call to op and returns the fault that applies to it, if any.
func (fs *faults) take(op string) *Fault {
	fs.fmu.Lock()
	defer fs.fmu.Unlock()
	if fs.counts == nil {
		fs.counts = map[string]int{}
	}
	fs.counts[op]++
	var hit *Fault
	keep := fs.list[:0]
	for _, f := range fs.list {
		if hit == nil && (f.Operation == "" || f.Operation == op) {
			f.seen++
			if f.seen > f.After {
				f.used++
				cp := f.Fault
				hit = &cp
				limit := f.Times
				if limit == 0 {
					limit = 1
				}
				if limit > 0 && f.used >= limit {
					continue // spent
				}
			}
		}
		keep = append(keep, f)
	}
	for i := len(keep); i < len(fs.list); i++ {
		fs.list[i] = nil
	}
	fs.list = keep
	return hit
}

// before applies a fault that answers instead of the operation; it reports
// whether the request is done.
func (f *Fault) before(w http.ResponseWriter) bool {
	switch f.Kind {
	case FaultStatus:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		writeError(w, errorf(f.Status, "Injected fault: %s", http.StatusText(f.Status)))
		return true
	case FaultReset:
		hijackClose(w, true)
		return true
	case FaultOversized:
		n := f.Size
		if n <= 0 {
			n = OversizeBytes
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.WriteHeader(200)
		pad := max(n-len(`{"padding":""}`), 0)
		bw := bufio.NewWriterSize(w, 64<<10)
		bw.WriteString(`{"padding":"`)
		chunk := []byte(strings.Repeat("x", 64<<10))
		for pad > 0 {
			k := min(pad, len(chunk))
			if _, err := bw.Write(chunk[:k]); err != nil {
				return true
			}
			pad -= k
		}
		bw.WriteString(`"}`)
		bw.Flush()
		return true
	}
	return false
}

// after applies a fault that happens once the operation has run.
func (f *Fault) after(w http.ResponseWriter, status int, body []byte) {
	switch f.Kind {
	case FaultCommitThenDrop:
		hijackClose(w, false)
	case FaultTruncated:
		writeJSON(w, status, body[:len(body)/2])
	case FaultWrongContentType:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><body><h1>%d</h1><pre>%s</pre></body></html>", status, body)
	default:
		writeJSON(w, status, body)
	}
}

// hijackClose closes the client connection without an answer; with reset it
// asks for a TCP RST instead of a FIN.
func hijackClose(w http.ResponseWriter, reset bool) {
	rc := http.NewResponseController(w)
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}
