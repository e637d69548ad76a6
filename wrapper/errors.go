package wrapper

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Sentinel errors, matched with errors.Is against the errors the client
// returns. An *APIError matches the sentinel of its status class.
var (
	// ErrBadRequest matches a 400 answer.
	ErrBadRequest = errors.New("glomo: bad request")
	// ErrUnauthorized matches a 401 answer (unknown or publishable key).
	ErrUnauthorized = errors.New("glomo: unauthorized")
	// ErrForbidden matches a 403 answer (not permitted, IP allowlist, feature off).
	ErrForbidden = errors.New("glomo: forbidden")
	// ErrNotFound matches a 404 answer.
	ErrNotFound = errors.New("glomo: not found")
	// ErrConflict matches a 409 answer.
	ErrConflict = errors.New("glomo: conflict")
	// ErrUnprocessable matches a 402 or 422 answer: valid request, failed business outcome.
	ErrUnprocessable = errors.New("glomo: request failed")
	// ErrRateLimited matches a 429 answer.
	ErrRateLimited = errors.New("glomo: rate limited")
	// ErrServer matches a 5xx answer.
	ErrServer = errors.New("glomo: server error")
	// ErrOutcomeUnknown matches a write without request_id that failed after
	// it was sent: Glomo may or may not have acted on it, and it was not
	// retried because a retry could act twice.
	ErrOutcomeUnknown = errors.New("glomo: outcome unknown")
	// ErrResponseTooLarge matches a response body over the size limit.
	ErrResponseTooLarge = errors.New("glomo: response too large")
	// ErrEmptyBody is returned, before anything is sent, for a oneOf body
	// (CreatePayout, CreatePayin, ...) that is nil instead of a branch value.
	ErrEmptyBody = errors.New("glomo: request body is empty (pass a branch value, e.g. api.CreatePayoutWithoutQuoteRequest{...})")
	// ErrDecode matches a *DecodeError.
	ErrDecode = errors.New("glomo: response does not decode")
	// ErrRedirect matches a *RedirectError.
	ErrRedirect = errors.New("glomo: redirect refused")
	// ErrNotSent matches a request refused before anything was sent (an
	// invalid header, an unsupported scheme): it was not retried, and for a
	// write the outcome is known — nothing happened.
	ErrNotSent = errors.New("glomo: request refused before sending")
)

// maxErrorBody bounds APIError.Body.
const maxErrorBody = 64 << 10

// APIError is a non-2xx answer from Glomo.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Err is the API's short reason (the body's "error" string), e.g. "Not Found".
	Err string
	// Message is the API's human-readable text.
	Message string
	// Code is the machine code some 400/422 answers carry (INSUFFICIENT_BALANCE).
	Code string
	// Method and Path are the request's ("POST", "/api/v1/payouts"), without query.
	Method string
	Path   string
	// RequestID is the request_id the call carried, if any. Pass it back with
	// WithRequestID to retry the same logical create safely.
	RequestID string
	// Body is the raw answer, cut at 64 KiB.
	Body []byte
	// Retryable says whether the status is one the client retries (429, 5xx,
	// the 409 "being processed" lock).
	Retryable bool
}

// Error implements error; it never includes the body or any header.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "glomo: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Err != "" {
		b.WriteString(": " + e.Err)
	}
	if e.Message != "" && e.Message != e.Err {
		b.WriteString(": " + e.Message)
	}
	if e.Code != "" {
		b.WriteString(" (" + e.Code + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request_id " + e.RequestID + "]")
	}
	return b.String()
}

// Is matches the sentinel of the status class.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrUnprocessable:
		return e.StatusCode == http.StatusPaymentRequired || e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// text is the reason and message together, for matching.
func (e *APIError) text() string {
	return strings.ToLower(e.Err + " " + e.Message)
}

// newAPIError decodes an error body: the flat {"error","message","code"}
// the API sends, and the nested {"error":{"code","message"}} its docs show.
//
// Secrets in the body (the client's key echoed back, secret_key, a bearer
// token) are redacted in Body, before the fields Error prints are read from
// it (redact decodes escaped strings, so they hide none).
func newAPIError(status int, method, path, requestID string, body []byte, key secret) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path, RequestID: requestID}
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	body = []byte(key.redact(string(body)))
	e.Body = body
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil {
		return e
	}
	str := func(m json.RawMessage) string {
		var s string
		if json.Unmarshal(m, &s) == nil {
			return s
		}
		return ""
	}
	if m, ok := raw["error"]; ok {
		var nested map[string]json.RawMessage
		if json.Unmarshal(m, &nested) == nil {
			e.Code = str(nested["code"])
			e.Message = str(nested["message"])
			e.Err = str(nested["error"])
		} else {
			e.Err = str(m)
		}
	}
	if s := str(raw["message"]); s != "" {
		e.Message = s
	}
	if s := str(raw["code"]); s != "" {
		e.Code = s
	}
	return e
}

// IsNotFound reports whether err is (or wraps) a 404 answer.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsConflict reports whether err is (or wraps) a 409 answer.
func IsConflict(err error) bool { return errors.Is(err, ErrConflict) }

// IsRateLimited reports whether err is (or wraps) a 429 answer.
func IsRateLimited(err error) bool { return errors.Is(err, ErrRateLimited) }

// OutcomeUnknownError is returned for a write without request_id (payment
// links, customers, ...) that failed after it was sent: a transport error or
// a 5xx. Glomo may have acted on it; check before repeating it.
type OutcomeUnknownError struct {
	Method, Path string
	// RequestID is set when the write carried one (an idempotent create
	// whose retries all failed): repeat the create WithRequestID(RequestID)
	// to get the original object if it was made, or look it up with
	// ?request_id=. Empty for writes that have no idempotency key.
	RequestID string
	// Err is the *APIError or transport error that ended the call.
	Err error
}

// Error implements error.
func (e *OutcomeUnknownError) Error() string {
	if e.RequestID != "" {
		return fmt.Sprintf("glomo: %s %s: outcome unknown after retries (request_id %s: repeat with the same request_id or look it up): %v", e.Method, e.Path, e.RequestID, e.Err)
	}
	return fmt.Sprintf("glomo: %s %s: outcome unknown (the request was sent and is not safe to retry without request_id; check whether it took effect): %v", e.Method, e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// DecodeError is a 2xx answer whose body does not decode into the type the
// description promises. Body keeps the raw answer.
type DecodeError struct {
	Method, Path string
	StatusCode   int
	ContentType  string
	Body         []byte
	// RequestID is the request_id of a create that may have been made
	// although its answer did not decode; find it with ?request_id=.
	RequestID string
	// Err is the JSON error, or nil when the body was not JSON at all.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("glomo: %s %s: %d answer does not decode", e.Method, e.Path, e.StatusCode)
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg + " (content type " + strconv.Quote(e.ContentType) + ")"
}

// Unwrap returns the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is matches ErrDecode.
func (e *DecodeError) Is(target error) bool { return target == ErrDecode }

// ResponseTooLargeError is an answer whose body exceeds the client's limit;
// it was refused, not read.
type ResponseTooLargeError struct {
	Method, Path string
	StatusCode   int
	Limit        int64
	// RequestID is the request_id of a create that may have been made; find
	// it with ?request_id=.
	RequestID string
}

// Error implements error.
func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("glomo: %s %s: %d answer is larger than %d bytes; refused", e.Method, e.Path, e.StatusCode, e.Limit)
}

// Is matches ErrResponseTooLarge.
func (e *ResponseTooLargeError) Is(target error) bool { return target == ErrResponseTooLarge }

// ConfigError is a construction option New refuses.
type ConfigError struct {
	// Field names the option: "APIKey", "BaseURL", "MaxRetries"...
	Field string
	// Reason says what is wrong; it never contains the key.
	Reason string
}

// Error implements error.
func (e *ConfigError) Error() string {
	return "glomo: invalid " + e.Field + ": " + e.Reason
}

// RedirectError is a 3xx answer. The client never follows redirects: the
// key must only ever go to the base URL, and a create must never be
// replayed elsewhere. Followed is true when a custom doer (WithHTTPDoer)
// followed one itself; its answer was then refused, not decoded.
type RedirectError struct {
	Method, Path string
	StatusCode   int
	// Location is where the server (or the doer) pointed, credentials removed.
	Location string
	Followed bool
}

// Error implements error.
func (e *RedirectError) Error() string {
	if e.Followed {
		return fmt.Sprintf("glomo: %s %s: the HTTP doer followed a redirect to %s; answer refused", e.Method, e.Path, e.Location)
	}
	return fmt.Sprintf("glomo: %s %s: %d redirect to %q refused (the client never follows redirects)", e.Method, e.Path, e.StatusCode, e.Location)
}

// Is matches ErrRedirect.
func (e *RedirectError) Is(target error) bool { return target == ErrRedirect }
