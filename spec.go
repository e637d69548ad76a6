// Package glomo holds the OpenAPI description of the Glomo API that every
// other package of glomo-go is generated from or checked against.
//
// The client lives in package wrapper; the raw generated client and types
// in package api.
package glomo

import _ "embed"

// OpenAPI is openapi.yaml as committed: the description api/ is generated
// from, used by the mock server and the drift detector at run time.
//
//go:embed openapi.yaml
var OpenAPI []byte
