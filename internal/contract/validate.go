package contract

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// Validate checks a response against the spec with kin-openapi's
// openapi3filter.ValidateResponse (status, headers and body).
func (s *Spec) Validate(ctx context.Context, res *Response) error {
	if res.Request == nil {
		return errors.New("response has no request")
	}
	rq := res.Request.Clone(ctx)
	p := rq.URL.Path
	if rest, ok := strings.CutPrefix(p, s.basePath); ok {
		p = rest
	}
	rq.URL.Path, rq.URL.RawPath = p, ""
	route, params, err := s.router.FindRoute(rq)
	if err != nil {
		return fmt.Errorf("route %s %s: %w", rq.Method, p, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: rq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true},
		},
		Status: res.Status,
		Header: res.Header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	in.SetBodyBytes(res.Body)
	return openapi3filter.ValidateResponse(ctx, in)
}
