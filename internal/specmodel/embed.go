package specmodel

import _ "embed"

// OpenAPI is a byte-for-byte copy of the repository's openapi.yaml, written
// by `go generate` (see gen.go at the repository root) and checked by
// .ci/check-generated. The copy lives here, not at the root, because an
// embed directive cannot reach a parent directory and no library package may
// import the root package (its tools.go would put the code generator in
// every consumer's go.mod).
//
//go:embed openapi.yaml
var OpenAPI []byte
