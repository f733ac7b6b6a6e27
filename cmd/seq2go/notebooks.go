package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/seq2go/seq2go/internal/notebook"
	"github.com/seq2go/seq2go/internal/tutorial"
	"github.com/seq2go/seq2go/tutorials"
)

func init() {
	commands["notebooks"] = command{"build notebooks/NN-name.ipynb from the tutorial chapters (build|check)", notebooks}
}

// notebooks writes (build) or verifies (check) one notebook per embedded
// tutorial chapter.
func notebooks(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "build" && args[0] != "check") {
		return usageError{"notebooks: want 'seq2go notebooks build' or 'seq2go notebooks check'"}
	}
	verb := args[0]
	fs := newFlagSet("notebooks "+verb, stderr)
	dir := fs.String("dir", "notebooks", "directory of the .ipynb files")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	names, err := tutorial.List(tutorials.FS)
	if err != nil {
		return err
	}
	var stale []string
	for _, name := range names {
		ch, err := tutorial.Load(tutorials.FS, name)
		if err != nil {
			return err
		}
		nb, err := notebook.Build(ch)
		if err != nil {
			return err
		}
		path := filepath.Join(*dir, ch.Name+".ipynb")
		if verb == "check" {
			if old, err := os.ReadFile(path); err != nil || !bytes.Equal(old, nb) {
				stale = append(stale, path)
			}
			continue
		}
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, nb, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "wrote", path)
	}
	if len(stale) > 0 {
		return fmt.Errorf("notebooks differ from their chapters (run 'seq2go notebooks build'): %s", strings.Join(stale, ", "))
	}
	return nil
}
