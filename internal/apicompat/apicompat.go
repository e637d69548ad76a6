// Package apicompat measures how much of one generated Go API another keeps:
// exported type, field (with type and json tag), function, method and
// constant declarations. It answers "if Glomo's own file replaced ours, would
// users' code still compile?" as a ratio plus the list of what would break.
package apicompat

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Decls returns one line per exported declaration in a Go source file.
func Decls(src []byte) (map[string]bool, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	// Comments the generator derives from descriptions must not count as
	// API differences: print without them and collapse whitespace.
	f.Comments = nil
	expr := func(e ast.Node) string {
		var b bytes.Buffer
		_ = printer.Fprint(&b, fset, e)
		return strings.Join(strings.Fields(b.String()), " ")
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			recv := ""
			if d.Recv != nil && len(d.Recv.List) > 0 {
				recv = "(" + expr(d.Recv.List[0].Type) + ") "
			}
			out["func "+recv+d.Name.Name+expr(d.Type)[len("func"):]] = true
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					if it, ok := s.Type.(*ast.InterfaceType); ok {
						out["type "+s.Name.Name+" interface"] = true
						for _, m := range it.Methods.List {
							for _, n := range m.Names {
								out["method "+s.Name.Name+"."+n.Name+expr(m.Type)[len("func"):]] = true
							}
						}
						continue
					}
					st, ok := s.Type.(*ast.StructType)
					if !ok {
						assign := ""
						if s.Assign.IsValid() {
							assign = "= "
						}
						out["type "+s.Name.Name+" "+assign+expr(s.Type)] = true
						continue
					}
					out["type "+s.Name.Name+" struct"] = true
					for _, fld := range st.Fields.List {
						tag := ""
						if fld.Tag != nil {
							raw, _ := strconv.Unquote(fld.Tag.Value)
							tag = " json:" + reflect.StructTag(raw).Get("json")
						}
						for _, n := range fld.Names {
							if n.IsExported() {
								out[fmt.Sprintf("field %s.%s %s%s", s.Name.Name, n.Name, expr(fld.Type), tag)] = true
							}
						}
					}
				case *ast.ValueSpec:
					for i, n := range s.Names {
						if !n.IsExported() {
							continue
						}
						line := d.Tok.String() + " " + n.Name
						if s.Type != nil {
							line += " " + expr(s.Type)
						}
						if d.Tok == token.CONST && i < len(s.Values) {
							line += " = " + expr(s.Values[i])
						}
						out[line] = true
					}
				}
			}
		}
	}
	return out, nil
}

// Report compares a reference API (the one users compiled against) with a
// candidate.
type Report struct {
	Reference, Kept int
	Missing         []string // reference declarations the candidate lacks
}

// Ratio is the share of the reference the candidate keeps.
func (r Report) Ratio() float64 {
	if r.Reference == 0 {
		return 1
	}
	return float64(r.Kept) / float64(r.Reference)
}

// Compare reports how much of reference the candidate keeps.
func Compare(reference, candidate map[string]bool) Report {
	r := Report{Reference: len(reference)}
	for d := range reference {
		if candidate[d] {
			r.Kept++
		} else {
			r.Missing = append(r.Missing, d)
		}
	}
	sort.Strings(r.Missing)
	return r
}
