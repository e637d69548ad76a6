// Command specdiff prints which operations and schemas differ between two
// OpenAPI descriptions: the summary the regenerate workflow puts in its pull
// request.
//
//	go run ./internal/cmd/specdiff old.yaml new.yaml
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: specdiff old.yaml new.yaml")
		os.Exit(2)
	}
	oldDoc, err := load(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "specdiff:", err)
		os.Exit(1)
	}
	newDoc, err := load(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "specdiff:", err)
		os.Exit(1)
	}
	report(os.Stdout, Diff(oldDoc, newDoc))
}

func load(path string) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, nil
}

func report(w io.Writer, d Changes) {
	if d.Empty() {
		fmt.Fprintln(w, "No operation or schema changed.")
		return
	}
	section := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(w, "### %s (%d)\n", title, len(items))
		for _, it := range items {
			fmt.Fprintf(w, "- %s\n", it)
			for _, d := range d.Details[it] {
				fmt.Fprintf(w, "  - %s\n", d)
			}
		}
		fmt.Fprintln(w)
	}
	section("Operations added", d.OpsAdded)
	section("Operations removed", d.OpsRemoved)
	section("Operations changed", d.OpsChanged)
	section("Schemas added", d.SchemasAdded)
	section("Schemas removed", d.SchemasRemoved)
	section("Schemas changed", d.SchemasChanged)
}
