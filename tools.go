//go:build tools

// This file pins the code generator's version in go.mod; the build tag keeps
// it out of every real build, so importers of glomo-go never compile it.
package glomo

import _ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
