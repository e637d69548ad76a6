package snippets

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/glomo-go/glomo-go"

// knownImports are the packages a snippet may use without writing the
// import: those our docs use and this module's own packages.
var knownImports = map[string]string{
	"context": "context", "errors": "errors", "fmt": "fmt", "http": "net/http",
	"io": "io", "json": "encoding/json", "log": "log", "os": "os", "slog": "log/slog",
	"strings": "strings", "testing": "testing", "time": "time",
	"api": module + "/api", "drift": module + "/drift", "mock": module + "/mock",
	"money": module + "/money", "webhook": module + "/webhook", "wrapper": module + "/wrapper",
}

// TestEverySnippetCompiles type-checks every Go block of the repository's
// Markdown files and package docs exactly as a reader sees it.
func TestEverySnippetCompiles(t *testing.T) {
	root := repoRoot(t)
	snippets := collect(t, root)
	require.NotEmpty(t, snippets)

	harnesses := make([]*Harness, len(snippets))
	buildErrs := make([]error, len(snippets))
	var paths []string
	for i, s := range snippets {
		harnesses[i], buildErrs[i] = Build(s, knownImports)
		if buildErrs[i] == nil {
			paths = append(paths, harnesses[i].Imports...)
		}
	}
	imp := exportImporter(t, root, paths)
	for i, s := range snippets {
		t.Run(s.String(), func(t *testing.T) {
			require.NoError(t, buildErrs[i])
			for _, e := range check(imp, s, harnesses[i]) {
				t.Error(e)
			}
		})
	}
}

// collect walks the repository for Markdown files and package docs; bench/
// is its own module and testdata holds inputs, not docs.
func collect(t *testing.T, root string) []Snippet {
	var out []Snippet
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "bench" || rel == "api") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(path, ".md"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			s, err := FromMarkdown(rel, string(src))
			if err != nil {
				return err
			}
			out = append(out, s...)
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") && !strings.HasSuffix(path, ".gen.go"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			s, err := FromPackageDoc(rel, src)
			if err != nil {
				return err
			}
			out = append(out, s...)
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// check type-checks one harness and returns its errors, positioned in the
// snippet's own file.
func check(imp types.Importer, s Snippet, h *Harness) []string {
	fset := token.NewFileSet()
	// A file name without a directory: //line names are relative to it.
	f, err := parser.ParseFile(fset, "harness.go", h.Source, parser.ParseComments)
	if err != nil {
		return []string{err.Error()}
	}
	var errs []string
	conf := types.Config{Importer: imp, Error: func(err error) {
		te := err.(types.Error)
		if h.Fragment && strings.HasPrefix(te.Msg, "declared and not used") {
			return // the rest of the function is not shown
		}
		errs = append(errs, fmt.Sprintf("%s: %s", te.Fset.Position(te.Pos), te.Msg))
	}}
	_, _ = conf.Check("snippet", fset, []*ast.File{f}, nil)
	return errs
}

// exportImporter imports packages from the compiler's export data, which
// `go list -export` builds (or finds in the build cache) once for all.
func exportImporter(t *testing.T, root string, paths []string) types.Importer {
	sort.Strings(paths)
	paths = compactStrings(paths)
	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	cmd := exec.Command(goBin, append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, paths...)...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	export := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path, file, _ := strings.Cut(sc.Text(), "\t")
		export[path] = file
	}
	return importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		file, ok := export[path]
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(file)
	})
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func repoRoot(t *testing.T) string {
	dir, err := filepath.Abs("../..")
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(dir, "go.mod"))
	require.NoError(t, err)
	return dir
}

// The harness rules, on small inputs.
func TestBuild(t *testing.T) {
	known := map[string]string{"fmt": "fmt", "context": "context"}
	imp := importer.Default()

	frag := Snippet{File: "x.md", Line: 10, Code: "// in func(ctx context.Context) error\nn := 1\nfmt.Println(ctx)\n"}
	h, err := Build(frag, known)
	require.NoError(t, err)
	assert.True(t, h.Fragment)
	assert.ElementsMatch(t, []string{"context", "fmt"}, h.Imports)
	assert.Empty(t, check(imp, frag, h), "unused n is allowed in a fragment")

	bad := Snippet{File: "x.md", Line: 10, Code: "// in func() error\nfmt.Println(undefinedName)\n"}
	h, err = Build(bad, known)
	require.NoError(t, err)
	assert.Equal(t, []string{"x.md:11: undefined: undefinedName"}, check(imp, bad, h), "positions point into the Markdown file")

	decl := Snippet{File: "y.md", Line: 3, Code: "import \"strings\"\n\nfunc f() { x := 1 }\n"}
	h, err = Build(decl, known)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{
		"y.md:3: \"strings\" imported and not used",
		"y.md:5: declared and not used: x",
	}, check(imp, decl, h), "declarations are strict")

	givenFrag := Snippet{File: "g.md", Line: 1, Code: "import \"fmt\"\n\n// given: func f(n int) error\n// given: var v string\n// in func() error\nfmt.Println(v, f(\"x\"))\n"}
	h, err = Build(givenFrag, known)
	require.NoError(t, err)
	assert.Equal(t, []string{`g.md:6: cannot use "x" (untyped string constant) as int value in argument to f`}, check(imp, givenFrag, h))

	_, err = Build(Snippet{File: "z.md", Line: 1, Code: "x := 1\n"}, known)
	assert.ErrorContains(t, err, "z.md:1: neither declarations nor a fragment")

	file := Snippet{File: "w.md", Line: 7, Code: "package main\n\nfunc main() {\n\tfmt.Println(nope)\n}\n"}
	h, err = Build(file, known)
	require.NoError(t, err)
	assert.Equal(t, []string{"w.md:10: undefined: nope"}, check(imp, file, h), "added imports keep the lines")
}

func TestFromMarkdown(t *testing.T) {
	src := "text\n```go\na := 1\n```\n  ```sh\n  ls\n  ```\n  ```go\n  b := 2\n  ```\n"
	got, err := FromMarkdown("r.md", src)
	require.NoError(t, err)
	assert.Equal(t, []Snippet{{File: "r.md", Line: 3, Code: "a := 1\n"}, {File: "r.md", Line: 9, Code: "b := 2\n"}}, got)

	_, err = FromMarkdown("r.md", "```\nx\n```\n")
	assert.ErrorContains(t, err, "r.md:1: code fence without a language")
	_, err = FromMarkdown("r.md", "```go\nx\n")
	assert.ErrorContains(t, err, "never closed")
}
