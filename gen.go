package glomo

// api/ is generated from openapi.yaml; never edit it by hand. The generator
// version is the one pinned in go.mod (see tools.go), so `go generate` needs
// nothing installed.
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi-codegen.yaml openapi.yaml

// internal/specmodel embeds a copy of openapi.yaml (go:embed cannot reach a
// parent directory, and no library package may import this one: see
// docs/architecture.md). .ci/check-generated fails when the copy is stale.
//go:generate cp openapi.yaml internal/specmodel/openapi.yaml
