package wrapper

import (
	"net/http"

	"github.com/glomo-go/glomo-go/drift"
)

// DriftFinding is a response that does not match openapi.yaml, as package
// drift reports it: the operationId, the status and what did not match.
type DriftFinding = drift.Finding

// driftChecker is what the transport needs of *drift.Validator.
type driftChecker interface {
	Check(method, path string, status int, header http.Header, body []byte) *drift.Finding
}

func defaultDriftChecker() (driftChecker, error) { return drift.Default() }

// WithDriftDetector checks every response against the embedded description
// (package drift) and calls report for each one that does not conform. It
// never fails or alters the call; report runs synchronously on the calling
// goroutine, so keep it cheap (log or count). A panic in report is recovered.
func WithDriftDetector(report func(DriftFinding)) Option {
	return optionFunc(func(c *config) error {
		c.drift = report
		return nil
	})
}
