package tutorial

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

const chapter = "# 99 — A test chapter\n" +
	"\n" +
	"Some prose.\n" +
	"\n" +
	"```python\n" +
	"print(1)\n" +
	"```\n" +
	"\n" +
	"```go\n" +
	"x := 20\n" +
	"fmt.Println(x + 1)\n" +
	"```\n" +
	"\n" +
	"```\n" +
	"Output:\n" +
	"21\n" +
	"```\n" +
	"\n" +
	"More prose.\n" +
	"\n" +
	"```go\n" +
	"x * 2\n" +
	"```\n" +
	"```\n" +
	"Output:\n" +
	"40\n" +
	"```\n" +
	"```go\n" +
	"display.Text(\"shown\")\n" +
	"h := display.Show(\"progress 1\")\n" +
	"h.Update(\"progress 2\")\n" +
	"```\n"

func TestParse(t *testing.T) {
	ch, err := Parse("99-test.md", strings.NewReader(chapter))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Name != "99-test" || ch.Number != 99 || ch.Title != "99 — A test chapter" {
		t.Errorf("got name %q, number %d, title %q", ch.Name, ch.Number, ch.Title)
	}
	code := ch.Code()
	if len(code) != 3 {
		t.Fatalf("got %d code cells, want 3: %+v", len(code), ch.Cells)
	}
	if code[0].Text != "x := 20\nfmt.Println(x + 1)\n" || code[0].Output != "21\n" || !code[0].HasOutput || code[0].Line != 10 {
		t.Errorf("first cell: %+v", code[0])
	}
	if code[1].Output != "40\n" || code[2].HasOutput {
		t.Errorf("cells: %+v %+v", code[1], code[2])
	}
	if ch.Cells[0].Kind != Markdown || !strings.Contains(ch.Cells[0].Text, "```python") {
		t.Errorf("prose with other languages' code: %+v", ch.Cells[0])
	}
	if _, err := Parse("x.md", strings.NewReader("```go\nx := 1\n")); err == nil {
		t.Errorf("an open fence parsed")
	}
}

func TestListFindCheck(t *testing.T) {
	fsys := fstest.MapFS{
		"99-test.md":  {Data: []byte(chapter)},
		"10-other.md": {Data: []byte("# Other\n")},
		"README.md":   {Data: []byte("not a chapter")},
		"2-short.md":  {Data: []byte("# Two\n")},
	}
	names, err := List(fsys)
	if err != nil || strings.Join(names, " ") != "2-short.md 10-other.md 99-test.md" {
		t.Fatalf("List: %v %v", names, err)
	}
	ch, err := Find(fsys, 99)
	if err != nil {
		t.Fatal(err)
	}
	results, err := Run(context.Background(), ch)
	if err != nil {
		t.Fatal(err)
	}
	if got := results[2].Output; got != "shown\n" || len(results[2].Displays) != 2 || string(results[2].Displays[1]["text/plain"]) != "progress 2" {
		t.Errorf("display output: %q %v", got, results[2].Displays)
	}
	if err := Check(context.Background(), ch); err != nil {
		t.Error(err)
	}
	bad := strings.Replace(chapter, "40\n", "41\n", 1)
	ch, _ = Parse("99-test.md", strings.NewReader(bad))
	if err := Check(context.Background(), ch); err == nil || !strings.Contains(err.Error(), "99-test.md:22: output differs") {
		t.Errorf("mismatch: %v", err)
	}
	broken := strings.Replace(chapter, "x * 2", "x * y", 1)
	ch, _ = Parse("99-test.md", strings.NewReader(broken))
	if err := Check(context.Background(), ch); err == nil || !strings.Contains(err.Error(), "99-test.md:22:5: undefined: y") {
		t.Errorf("error: %v", err)
	}
}
