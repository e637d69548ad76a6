// Package bench compares glomo-go's clients with a hand-written floor and an
// ogen-generated client against one loopback server. The benchmarks live in
// bench_test.go; run.sh runs them and benchstat; docs/benchmarks.md has the
// results.
//
// The module is separate from glomo-go's (with a replace to ../), so ogen and
// the other benchmark peers never enter the SDK's go.mod.
//
// The ogen client in ./ogen is generated and committed; regenerate it with
// `go generate` in this directory. ogen cannot take openapi.yaml as it is
// (see internal/ogenspec for what it rejects and the two simplifications made
// in the bench-only copy ogen/openapi.yaml).
package bench

//go:generate go run ./internal/ogenspec -in ../openapi.yaml -out ogen/openapi.yaml
//go:generate go run github.com/ogen-go/ogen/cmd/ogen@v1.24.0 --target ogen --package ogen --clean --config ogen.yml ogen/openapi.yaml
