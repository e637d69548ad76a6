// Command specsync rebuilds openapi.yaml from Glomo's published OpenAPI
// files: it merges them (later files win), applies glomo-go's fixes, drops
// the vendor prose and keeps our descriptions and docs-only operations.
// `make update-spec SPEC=...` runs it, then regenerates and tests.
//
//	go run ./internal/cmd/specsync -spec openapi.yaml glomo-1.0.0.json glomo-2026.json
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
	yaml "go.yaml.in/yaml/v3"

	"github.com/glomo-go/glomo-go/internal/specsync"
)

func main() {
	spec := flag.String("spec", "openapi.yaml", "our description, read for prose and additions, then rewritten")
	fresh := flag.Bool("fresh", false, "ignore the current spec (first import)")
	verbose := flag.Bool("v", false, "print every change")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: specsync [-spec openapi.yaml] vendor.json [newer.json ...]")
		os.Exit(2)
	}
	if err := run(*spec, *fresh, *verbose, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "specsync:", err)
		os.Exit(1)
	}
}

func run(spec string, fresh, verbose bool, vendorPaths []string) error {
	var vendor []*yaml.Node
	for _, p := range vendorPaths {
		// A vendor file must at least parse as OpenAPI; its known defects
		// are what the fixes are for, so full validation runs on the result.
		if _, err := openapi3.NewLoader().LoadFromFile(p); err != nil {
			return fmt.Errorf("%s does not load as OpenAPI: %w", p, err)
		}
		n, err := specsync.Load(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		vendor = append(vendor, n)
	}
	var cur *yaml.Node
	if !fresh {
		n, err := specsync.Load(spec)
		if err != nil {
			return err
		}
		cur = n
	}
	res, err := specsync.Build(vendor, cur)
	if err != nil {
		return err
	}
	out, err := specsync.Encode(res.Doc)
	if err != nil {
		return err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(out)
	if err != nil {
		return fmt.Errorf("result does not load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return fmt.Errorf("result does not validate: %w", err)
	}
	if err := os.WriteFile(spec, out, 0o644); err != nil {
		return err
	}
	fmt.Printf("specsync: wrote %s (%d changes by fixes and carry-over)\n", spec, len(res.Changes))
	if len(res.Removed) > 0 {
		// Breaking for users: say so where the workflow log shows it.
		fmt.Printf("specsync: the vendor files no longer state %d thing(s) openapi.yaml did:\n", len(res.Removed))
		for _, r := range res.Removed {
			fmt.Println("   removed:", r)
		}
	}
	if verbose {
		for _, c := range res.Changes {
			fmt.Println("  ", c)
		}
	}
	return nil
}
