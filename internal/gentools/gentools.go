// Package gentools holds what the repository's code generators
// (internal/cmd/genglue, genwebhooks, genwrapper) share: reading
// oapi-codegen.yaml and loading openapi.yaml with its overlay exactly as
// oapi-codegen does, and small questions about api/'s generated Go.
package gentools

import (
	"fmt"
	"go/ast"
	"os"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
	yaml "go.yaml.in/yaml/v3"
)

// Config is oapi-codegen.yaml: the generator's configuration and the
// output file the CLI reads beside it.
type Config struct {
	codegen.Configuration `yaml:",inline"`
	Output                string `yaml:"output"`
}

// Load reads the configuration at config and loads spec with the overlay it
// names (a path relative to the configuration). strict fails on an overlay
// action that matches nothing: the repository's generators apply it
// strictly to openapi.yaml, while the configuration itself does not, so
// that Glomo's own file (which lacks some targets) generates too.
func Load(spec, config string, strict bool) (*openapi3.T, *Config, error) {
	raw, err := os.ReadFile(config)
	if err != nil {
		return nil, nil, err
	}
	var cfg Config
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", config, err)
	}
	overlay := cfg.OutputOptions.Overlay.Path
	if overlay != "" {
		overlay = filepath.Join(filepath.Dir(config), overlay)
	}
	doc, err := util.LoadSwaggerWithOverlay(spec, util.LoadSwaggerWithOverlayOpts{Path: overlay, Strict: strict, AllowRemoteRefsFrom: []string{}})
	if err != nil {
		return nil, nil, err
	}
	return doc, &cfg, nil
}

// StringField reports whether st declares a field name of type string.
func StringField(st *ast.StructType, name string) bool {
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if id, ok := f.Type.(*ast.Ident); ok && n.Name == name && id.Name == "string" {
				return true
			}
		}
	}
	return false
}
