// Package snippets finds the Go code shown to readers (fenced go blocks in
// Markdown, code blocks in package doc comments) and turns each into a Go
// file that can be type-checked exactly as written.
//
// A snippet is one of three kinds, decided by its text:
//
//   - a complete file: it starts with a package clause and is checked as is;
//   - declarations: optional imports, then funcs, types, vars or consts;
//   - a fragment: optional imports, then a line that says which function
//     it sits in, for example "// in func(ctx context.Context, c
//     *wrapper.Client) error", then statements: that function's body.
//
// Before the declarations or the "// in func" line, lines of the form
// "// given: func settle(ctx context.Context, id string) error" or
// "// given: var beneID string" declare names the snippet uses but does not
// show; the harness declares them (a func with a body that panics).
//
// A block that is none of these is an error, so Go code cannot slip past
// the check. Packages a snippet uses without importing them are imported
// for it, as goimports would, from a fixed table (the standard library
// packages snippets use and this module's packages); an import the snippet
// writes but does not use stays an error. Inside a fragment, a variable
// that is declared and not used is allowed, since the rest of the function
// is not shown; nothing else is relaxed.
package snippets

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Snippet is one block of Go code as a reader sees it.
type Snippet struct {
	File string // path of the Markdown or Go file, relative to the repository
	Line int    // line of the block's first code line in File
	Code string
}

// String names the snippet by its position.
func (s Snippet) String() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// FromMarkdown returns the fenced blocks of src whose info string is "go".
// An unlabelled fence is an error: untagged Go would escape the check.
func FromMarkdown(file, src string) ([]Snippet, error) {
	var (
		out    []Snippet
		open   bool
		fence  string
		isGo   bool
		start  int
		indent string
		buf    strings.Builder
	)
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		if !open {
			if !strings.HasPrefix(trimmed, "```") {
				continue
			}
			indent = line[:len(line)-len(trimmed)]
			fence = trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, "`"))]
			info := strings.Fields(trimmed[len(fence):])
			if len(info) == 0 {
				return nil, fmt.Errorf("%s:%d: code fence without a language (write ```go, ```sh, ```text …)", file, n)
			}
			open, isGo, start = true, info[0] == "go", n+1
			buf.Reset()
			continue
		}
		if strings.HasPrefix(trimmed, fence) && strings.TrimSpace(trimmed[len(fence):]) == "" {
			open = false
			if isGo {
				out = append(out, Snippet{File: file, Line: start, Code: buf.String()})
			}
			continue
		}
		buf.WriteString(strings.TrimPrefix(line, indent))
		buf.WriteByte('\n')
	}
	if open {
		return nil, fmt.Errorf("%s:%d: code fence never closed", file, start-1)
	}
	return out, sc.Err()
}

// FromPackageDoc returns the code blocks of a Go file's package doc comment.
// Every code block there is Go (doc comments cannot label a block), except
// in package main, whose doc shows command lines.
func FromPackageDoc(file string, src []byte) ([]Snippet, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return nil, err
	}
	if f.Doc == nil || f.Name.Name == "main" {
		return nil, nil
	}
	var p comment.Parser
	doc := p.Parse(f.Doc.Text())
	var out []Snippet
	for _, b := range doc.Content {
		code, ok := b.(*comment.Code)
		if !ok {
			continue
		}
		out = append(out, Snippet{File: file, Line: docLine(fset, f.Doc, code.Text), Code: code.Text})
	}
	return out, nil
}

// docLine finds the source line of a doc comment's code block, for messages.
func docLine(fset *token.FileSet, g *ast.CommentGroup, code string) int {
	first, _, _ := strings.Cut(code, "\n")
	for _, c := range g.List {
		if strings.Contains(c.Text, first) {
			return fset.Position(c.Pos()).Line
		}
	}
	return fset.Position(g.Pos()).Line
}

// Harness is a snippet made into a Go file.
type Harness struct {
	Source   []byte
	Imports  []string // import paths the file needs
	Fragment bool     // the snippet is a function body
}

var (
	marker = regexp.MustCompile(`^//\s*in (func\(.*)$`)
	given  = regexp.MustCompile(`^//\s*given: (.*)$`)
)

// Build makes s into a file of package "snippet". knownImports maps a
// package name a snippet may use without importing it to its import path.
// Positions in the file point back at s through //line directives.
func Build(s Snippet, knownImports map[string]string) (*Harness, error) {
	if strings.HasPrefix(strings.TrimSpace(s.Code), "package ") {
		return finish("//line "+s.String()+"\n"+s.Code, false, knownImports)
	}
	var b strings.Builder
	b.WriteString("package snippet\n\n")
	imports, rest, line := splitImports(s.Code, s.Line)
	if imports != "" {
		fmt.Fprintf(&b, "//line %s\n%s\n", s, imports)
	}
	// "// given: func f(x T) error" or "// given: var v T" declares what
	// the snippet uses but does not show.
	for {
		first, after, _ := strings.Cut(rest, "\n")
		m := given.FindStringSubmatch(strings.TrimSpace(first))
		if m == nil {
			break
		}
		decl := m[1]
		if strings.HasPrefix(decl, "func ") {
			decl += " { panic(0) }"
		}
		fmt.Fprintf(&b, "//line %s:%d\n%s\n", s.File, line, decl)
		rest, line = after, line+1
	}
	first, body, _ := strings.Cut(rest, "\n")
	if m := marker.FindStringSubmatch(strings.TrimSpace(first)); m != nil {
		sig := strings.TrimSuffix(strings.TrimSpace(m[1]), ":")
		// A function with results needs a terminating statement; the
		// body shown to readers does not write one.
		fmt.Fprintf(&b, "//line %s:%d\nfunc _%s {\n//line %s:%d\n%s\npanic(0)\n}\n",
			s.File, line, strings.TrimPrefix(sig, "func"), s.File, line+1, body)
		return finish(b.String(), true, knownImports)
	}
	fmt.Fprintf(&b, "//line %s:%d\n%s", s.File, line, rest)
	src := b.String()
	if _, err := parser.ParseFile(token.NewFileSet(), "harness.go", src, parser.SkipObjectResolution); err != nil {
		return nil, fmt.Errorf("%s: neither declarations nor a fragment with a line `// in func(…)` before its statements: %v", s, err)
	}
	return finish(src, false, knownImports)
}

// splitImports separates leading import declarations (and the blank lines
// after them) from the rest and reports the line the rest starts on.
func splitImports(code string, line int) (imports, rest string, restLine int) {
	lines := strings.SplitAfter(code, "\n")
	i := 0
	for i < len(lines) {
		t := strings.TrimSpace(lines[i])
		switch {
		case t == "" && imports != "":
			i++
			continue
		case strings.HasPrefix(t, "import ("):
			j := i
			for j < len(lines) && strings.TrimSpace(lines[j]) != ")" {
				j++
			}
			imports += strings.Join(lines[i:min(j+1, len(lines))], "")
			i = j + 1
			continue
		case strings.HasPrefix(t, "import "):
			imports += lines[i]
			i++
			continue
		}
		break
	}
	return imports, strings.Join(lines[i:], ""), line + i
}

// finish adds the imports a snippet uses but does not write.
func finish(src string, fragment bool, known map[string]string) (*Harness, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "harness.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	var paths []string
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		paths = append(paths, p)
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		have[name] = true
	}
	declared := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						declared[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				declared[id.Name] = true
			}
		case *ast.Field:
			for _, id := range n.Names {
				declared[id.Name] = true
			}
		}
		return true
	})
	need := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && !have[id.Name] && !declared[id.Name] {
				if p, ok := known[id.Name]; ok {
					need[p] = true
				}
			}
		}
		return true
	})
	var add []string
	for p := range need {
		add = append(add, p)
	}
	sort.Strings(add)
	if len(add) > 0 {
		var imp strings.Builder
		imp.WriteString("import (\n")
		for _, p := range add {
			fmt.Fprintf(&imp, "\t%q\n", p)
		}
		imp.WriteString(")\n")
		// After the package clause, before the snippet's own text.
		clause := fset.Position(f.Name.End()).Offset
		nl := strings.IndexByte(src[clause:], '\n')
		at := clause + nl + 1
		// The lines after the clause keep their positions in s.
		next := fset.Position(f.Name.End())
		fmt.Fprintf(&imp, "//line %s:%d\n", next.Filename, next.Line+1)
		src = src[:at] + imp.String() + src[at:]
	}
	return &Harness{Source: []byte(src), Imports: append(paths, add...), Fragment: fragment}, nil
}
