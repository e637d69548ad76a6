package glomo

// api/ is generated from openapi.yaml; never edit it by hand. The generator
// version is the one pinned in go.mod (see tools.go), so `go generate` needs
// nothing installed.
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi-codegen.yaml openapi.yaml

// api/glue.gen.go: Ptr, the sealed interfaces of oneOf request bodies (the
// overlay's x-go-type names them) and request_id accessors on their branches.
//go:generate go run ./internal/cmd/genglue -spec openapi.yaml -config oapi-codegen.yaml -api api/glomo.gen.go -out api/glue.gen.go -branches internal/oneof/branches.gen.go

// internal/specmodel embeds a copy of openapi.yaml (go:embed cannot reach a
// parent directory, and no library package may import this one: see
// docs/architecture.md). .ci/check-generated fails when the copy is stale.
//go:generate cp openapi.yaml internal/specmodel/openapi.yaml

// api/webhooks.gen.go: the schemas only the webhooks section uses, which
// oapi-codegen prunes from api/glomo.gen.go (webhooks are not paths).
//go:generate go run ./internal/cmd/genwebhooks -spec openapi.yaml -config oapi-codegen.yaml -api api/glomo.gen.go -out api/webhooks.gen.go

// api/decode.gen.go: a generated JSON decoder per model type (encoding/json
// by reflection was most of a list call's CPU); see internal/jsondec. It
// runs last: it reads the types the steps above wrote.
//go:generate go run -tags glomo_gendecode ./internal/cmd/gendecode -out api/decode.gen.go
