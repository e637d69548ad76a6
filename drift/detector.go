package drift

import "net/http"

// Detector plugs a Validator into the client: it implements
// wrapper.ResponseValidator, so
//
//	det, err := drift.NewDetector(func(f drift.Finding) { log.Print(f.Error()) })
//	c, err := wrapper.New(wrapper.WithResponseValidator(det))
//
// checks every response the client reads and reports each one that does not
// conform. Programs that never import drift never link it, kin-openapi or the
// embedded description.
type Detector struct {
	v      *Validator
	report func(Finding)
}

// NewDetector returns a Detector over the embedded description (Default)
// that calls report for every finding. report runs on the calling goroutine:
// keep it cheap (log or count).
func NewDetector(report func(Finding)) (*Detector, error) {
	v, err := Default()
	if err != nil {
		return nil, err
	}
	return v.Detector(report), nil
}

// Detector returns a Detector over v.
func (v *Validator) Detector(report func(Finding)) *Detector {
	return &Detector{v: v, report: report}
}

// ValidateResponse implements wrapper.ResponseValidator. The operation is
// matched from method and path (relative to the API root), so an answer
// the client attributes to the wrong operation is reported too.
func (d *Detector) ValidateResponse(_, method, path string, status int, header http.Header, body []byte) {
	if f := d.v.Check(method, path, status, header, body); f != nil && d.report != nil {
		d.report(*f)
	}
}
