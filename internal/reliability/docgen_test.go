package reliability

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// docPath is the write-up the tests generate sections of.
var docPath = filepath.Join("..", "..", "docs", "reliability.md")

// writeDocsEnv, when set, makes the tests rewrite their sections of
// docs/reliability.md instead of checking them.
const writeDocsEnv = "GLOMO_WRITE_DOCS"

var docMu sync.Mutex

func writingDocs() bool { return os.Getenv(writeDocsEnv) != "" }

func beginMarker(name string) string { return "<!-- BEGIN GENERATED: " + name + " -->" }
func endMarker(name string) string   { return "<!-- END GENERATED: " + name + " -->" }

// docSection keeps the section name of docs/reliability.md equal to
// content. With GLOMO_WRITE_DOCS set it rewrites the section (appending it
// when absent). Otherwise, when checked, it fails with a diff if the
// committed section differs; sections whose figures vary from run to run
// (counts of dials, durations) are only written, never checked.
func docSection(t *testing.T, name, content string, checked bool) {
	t.Helper()
	docMu.Lock()
	defer docMu.Unlock()
	content = strings.TrimRight(content, "\n") + "\n"
	raw, err := os.ReadFile(docPath)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	doc := string(raw)
	begin, end := beginMarker(name), endMarker(name)
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if writingDocs() {
		block := begin + "\n" + content + end
		if i >= 0 && j > i {
			doc = doc[:i] + block + doc[j+len(end):]
		} else {
			if doc != "" && !strings.HasSuffix(doc, "\n") {
				doc += "\n"
			}
			doc += "\n" + block + "\n"
		}
		if err := os.WriteFile(docPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote section %q of %s", name, docPath)
		return
	}
	if !checked {
		return
	}
	if i < 0 || j < i {
		t.Fatalf("%s has no generated section %q; run: %s=1 go test ./internal/reliability -run %s", docPath, name, writeDocsEnv, t.Name())
	}
	got := doc[i+len(begin)+1 : j]
	if got != content {
		t.Errorf("%s section %q is stale; regenerate with: %s=1 go test ./internal/reliability -run '^%s$'\n--- committed\n+++ generated\n%s",
			docPath, name, writeDocsEnv, t.Name(), lineDiff(got, content))
	}
}

// lineDiff is a minimal line diff (longest common subsequence): lines only
// in a are prefixed "-", lines only in b "+", common lines " ".
func lineDiff(a, b string) string {
	x := strings.Split(strings.TrimRight(a, "\n"), "\n")
	y := strings.Split(strings.TrimRight(b, "\n"), "\n")
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var sb strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			fmt.Fprintf(&sb, " %s\n", x[i])
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&sb, "+%s\n", y[j])
			j++
		default:
			fmt.Fprintf(&sb, "-%s\n", x[i])
			i++
		}
	}
	return sb.String()
}

func TestLineDiff(t *testing.T) {
	got := lineDiff("a\nb\nc\n", "a\nc\nd\n")
	want := " a\n-b\n c\n+d\n"
	if got != want {
		t.Fatalf("lineDiff:\n%s\nwant:\n%s", got, want)
	}
}
