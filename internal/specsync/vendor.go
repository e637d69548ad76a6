package specsync

import (
	"os"
	"path/filepath"
)

// VendorEnv names the environment variable that points at the directory
// holding Glomo's published files (glomo-openapi-1.0.0.json and
// glomo-openapi-2026-subset.json).
const VendorEnv = "GLOMO_VENDOR_DIR"

// VendorFiles are the names of Glomo's two published files, oldest first.
var VendorFiles = []string{"glomo-openapi-1.0.0.json", "glomo-openapi-2026-subset.json"}

// VendorDir finds Glomo's published files for the tests that need them:
// $GLOMO_VENDOR_DIR, else shared/reference/vendor in the working directory
// or any directory above it (the team's reference set sits beside the
// checkout, possibly a worktree deeper down). It returns "" when there is
// none; the files are reference data and never part of the repository.
func VendorDir() string {
	ok := func(dir string) bool {
		for _, f := range VendorFiles {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				return false
			}
		}
		return true
	}
	if d := os.Getenv(VendorEnv); d != "" {
		if ok(d) {
			return d
		}
		return ""
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if c := filepath.Join(dir, "shared", "reference", "vendor"); ok(c) {
			return c
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}
