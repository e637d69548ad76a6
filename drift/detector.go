package drift

import (
	"net/http"
	"sync/atomic"
)

// Sampling says which responses a Detector validates. Responses are
// counted per operation and status class (2xx, 4xx, 5xx, other): the first
// First of each are validated, then one in Every (the Every-th, the
// 2×Every-th, ... after them). Every 1 (or less) validates every response.
//
// Why sample: drift is a change in what the API sends, so it shows on every
// response of the operation from then on, and a sample finds it within
// Every calls; the client's own decoding already refuses, on every call, a
// body that is not JSON or does not fit the result type. Validating a whole
// 100-item list page costs several times the call that fetched it (decoding
// it again into a generic tree, then the schema walk), so validating every
// response would more than double the cost of a list-heavy program.
type Sampling struct {
	First int
	Every int
}

// DefaultSampling is what NewDetector and (*Validator).Detector use: the
// first response of each operation and status class, then one in 32. On
// the benchmarked calls it keeps the detector's average cost within 1.5×
// a plain call (docs/benchmarks.md, "Issue 16").
var DefaultSampling = Sampling{First: 1, Every: 32}

// Detector plugs a Validator into the client: it implements
// wrapper.ResponseValidator, so
//
//	det, err := drift.NewDetector(func(f drift.Finding) { log.Print(f.Error()) })
//	c, err := wrapper.New(wrapper.WithResponseValidator(det))
//
// checks the responses the client reads (a sample of them, see Sampling)
// and reports each one that does not conform. Responses to a request that
// matches no operation are always reported. Programs that never import
// drift never link it, the JSON Schema validator or the embedded
// description.
type Detector struct {
	v      *Validator
	report func(Finding)
	s      Sampling
	// seen counts responses per operation (by its index in v.ops) and
	// status class.
	seen []atomic.Uint64
}

// statusClasses is how many counters an operation has: 2xx, 4xx, 5xx and
// anything else.
const statusClasses = 4

// NewDetector returns a Detector over the embedded description (Default)
// with DefaultSampling that calls report for every finding. report runs on
// the calling goroutine: keep it cheap (log or count).
func NewDetector(report func(Finding)) (*Detector, error) {
	v, err := Default()
	if err != nil {
		return nil, err
	}
	return v.Detector(report), nil
}

// Detector returns a Detector over v with DefaultSampling.
func (v *Validator) Detector(report func(Finding)) *Detector {
	return v.SampledDetector(report, DefaultSampling)
}

// SampledDetector returns a Detector over v that validates the responses s
// selects; Sampling{Every: 1} validates every one.
func (v *Validator) SampledDetector(report func(Finding), s Sampling) *Detector {
	return &Detector{v: v, report: report, s: s, seen: make([]atomic.Uint64, len(v.ops)*statusClasses)}
}

// ValidateResponse implements wrapper.ResponseValidator. The operation is
// matched from method and path (relative to the API root), so an answer
// the client attributes to the wrong operation is reported too.
func (d *Detector) ValidateResponse(_, method, path string, status int, header http.Header, body []byte) {
	op := d.v.find(method, path)
	var f *Finding
	switch {
	case op == nil:
		f = d.v.Check(method, path, status, header, body)
	case d.sampled(op, status):
		f = d.v.check(op, status, header, body)
	}
	if f != nil && d.report != nil {
		d.report(*f)
	}
}

// sampled counts the response and says whether it is one to validate.
func (d *Detector) sampled(op *operation, status int) bool {
	if d.s.Every <= 1 {
		return true
	}
	class := 3
	switch status / 100 {
	case 2:
		class = 0
	case 4:
		class = 1
	case 5:
		class = 2
	}
	n := d.seen[op.index*statusClasses+class].Add(1) // 1 for the first response
	first := uint64(max(d.s.First, 0))
	return n <= first || (n-first)%uint64(d.s.Every) == 0
}
