// Package notebook turns a tutorial chapter into a Jupyter notebook: the
// chapters in tutorials/ are the single source, and notebooks/ holds what
// Build makes of them (`seq2go notebooks build`). A test fails when the two
// drift apart.
//
// The notebook is nbformat 4.5: prose becomes markdown cells, each Go cell a
// code cell for the seq2go kernel, and a cell's "Output:" block, which the
// tutorials test checks, becomes its stdout output, so a notebook reads well
// before it is run. Build is deterministic — fixed cell ids, sorted keys,
// Jupyter's own one-space indent — so regenerating an unchanged chapter
// changes no byte.
package notebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/seq2go/seq2go/internal/tutorial"
)

// KernelName is the kernelspec name every notebook asks for.
const KernelName = "seq2go"

// The JSON layout, fields in the sorted order Jupyter writes them.
type (
	document struct {
		Cells         []interface{} `json:"cells"`
		Metadata      metadata      `json:"metadata"`
		NBFormat      int           `json:"nbformat"`
		NBFormatMinor int           `json:"nbformat_minor"`
	}
	metadata struct {
		KernelSpec   kernelSpec   `json:"kernelspec"`
		LanguageInfo languageInfo `json:"language_info"`
	}
	kernelSpec struct {
		DisplayName string `json:"display_name"`
		Language    string `json:"language"`
		Name        string `json:"name"`
	}
	languageInfo struct {
		CodeMirrorMode string `json:"codemirror_mode"`
		FileExtension  string `json:"file_extension"`
		MIMEType       string `json:"mimetype"`
		Name           string `json:"name"`
		PygmentsLexer  string `json:"pygments_lexer"`
	}
	markdownCell struct {
		CellType string   `json:"cell_type"`
		ID       string   `json:"id"`
		Metadata struct{} `json:"metadata"`
		Source   []string `json:"source"`
	}
	codeCell struct {
		CellType       string        `json:"cell_type"`
		ExecutionCount *int          `json:"execution_count"` // null: not run
		ID             string        `json:"id"`
		Metadata       struct{}      `json:"metadata"`
		Outputs        []interface{} `json:"outputs"`
		Source         []string      `json:"source"`
	}
	stream struct {
		Name       string   `json:"name"`
		OutputType string   `json:"output_type"`
		Text       []string `json:"text"`
	}
)

// Build returns the notebook of chapter ch.
func Build(ch *tutorial.Chapter) ([]byte, error) {
	doc := document{
		Metadata: metadata{
			KernelSpec: kernelSpec{DisplayName: "Go (seq2go)", Language: "go", Name: KernelName},
			LanguageInfo: languageInfo{CodeMirrorMode: "go", FileExtension: ".go",
				MIMEType: "text/x-go", Name: "go", PygmentsLexer: "go"},
		},
		NBFormat:      4,
		NBFormatMinor: 5,
	}
	for i, c := range ch.Cells {
		id, source := fmt.Sprintf("c%02d-%03d", ch.Number, i), lines(c.Text)
		if c.Kind == tutorial.Markdown {
			doc.Cells = append(doc.Cells, markdownCell{CellType: "markdown", ID: id, Source: source})
			continue
		}
		outputs := []interface{}{}
		if c.HasOutput && c.Output != "" {
			outputs = append(outputs, stream{Name: "stdout", OutputType: "stream", Text: outputLines(c.Output)})
		}
		doc.Cells = append(doc.Cells, codeCell{CellType: "code", ID: id, Outputs: outputs, Source: source})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("notebook: %s: %w", ch.Name, err)
	}
	return b.Bytes(), nil
}

// lines splits text the way notebooks store it: one string per line, each
// but the last keeping its newline, and no trailing newline at the end.
func lines(text string) []string {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return []string{}
	}
	return strings.SplitAfter(text, "\n")
}

// outputLines splits printed text into lines that keep every newline, as a
// kernel's stream output does.
func outputLines(text string) []string {
	parts := strings.SplitAfter(text, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}
