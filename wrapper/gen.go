package wrapper

// operations.gen.go is generated from openapi.yaml and api/glomo.gen.go;
// run `go generate ./wrapper/` after regenerating api/.
//go:generate go run ../internal/cmd/genwrapper -spec ../openapi.yaml -api ../api/glomo.gen.go -out operations.gen.go
