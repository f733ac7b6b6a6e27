package notebook_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/internal/notebook"
	"github.com/seq2go/seq2go/internal/tutorial"
	"github.com/seq2go/seq2go/tutorials"
)

// TestNotebooksMatchChapters fails when a notebook in notebooks/ has drifted
// from its chapter, or a chapter has no notebook: run
// `go run ./cmd/seq2go notebooks build` from the repository root.
func TestNotebooksMatchChapters(t *testing.T) {
	names, err := tutorial.List(tutorials.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		ch, err := tutorial.Load(tutorials.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := notebook.Build(ch)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", "notebooks", ch.Name+".ipynb")
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (run 'go run ./cmd/seq2go notebooks build')", ch.Name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s has drifted from tutorials/%s (run 'go run ./cmd/seq2go notebooks build')", path, name)
		}
	}
	extra, _ := filepath.Glob(filepath.Join("..", "..", "notebooks", "*.ipynb"))
	if len(extra) != len(names) {
		t.Errorf("notebooks/ holds %d notebooks for %d chapters", len(extra), len(names))
	}
}

func TestBuild(t *testing.T) {
	src := "# 99 — Test\n\nSome prose.\n\n```go\nfmt.Println(1 + 1)\n```\n\n```\nOutput:\n2\n```\n\nMore prose.\n"
	ch, err := tutorial.Parse("99-test.md", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	b, err := notebook.Build(ch)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			CellType       string            `json:"cell_type"`
			ID             string            `json:"id"`
			Source         []string          `json:"source"`
			ExecutionCount *int              `json:"execution_count"`
			Outputs        []json.RawMessage `json:"outputs"`
		} `json:"cells"`
		Metadata struct {
			KernelSpec map[string]string `json:"kernelspec"`
		} `json:"metadata"`
		NBFormat      int `json:"nbformat"`
		NBFormatMinor int `json:"nbformat_minor"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	if nb.NBFormat != 4 || nb.NBFormatMinor != 5 || nb.Metadata.KernelSpec["name"] != "seq2go" || nb.Metadata.KernelSpec["language"] != "go" {
		t.Fatalf("header: nbformat %d.%d kernelspec %v", nb.NBFormat, nb.NBFormatMinor, nb.Metadata.KernelSpec)
	}
	var kinds []string
	for _, c := range nb.Cells {
		kinds = append(kinds, c.CellType)
	}
	if got := strings.Join(kinds, ","); got != "markdown,code,markdown" {
		t.Fatalf("cells %s, want markdown,code,markdown", got)
	}
	code := nb.Cells[1]
	if strings.Join(code.Source, "") != "fmt.Println(1 + 1)" || code.ExecutionCount != nil || len(code.Outputs) != 1 {
		t.Fatalf("code cell %+v", code)
	}
	if !bytes.Contains(b, []byte(`"execution_count": null`)) {
		t.Fatal("a code cell must carry execution_count: null")
	}
	again, _ := notebook.Build(ch)
	if !bytes.Equal(b, again) {
		t.Fatal("Build is not deterministic")
	}
}
