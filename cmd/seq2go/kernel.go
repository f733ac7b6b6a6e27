package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/seq2go/seq2go/kernel"
)

func init() {
	commands["kernel"] = command{"the Jupyter kernel: --connection-file FILE, or install [--user] [--prefix DIR] [--name NAME]", runKernel}
}

// runKernel is `seq2go kernel --connection-file FILE` (what Jupyter runs)
// and `seq2go kernel install`.
func runKernel(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "install" {
		return installKernel(args[1:], stdout, stderr)
	}
	fs := newFlagSet("kernel", stderr)
	file := fs.String("connection-file", "", "the connection file Jupyter wrote (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *file == "" {
		return usageError{"kernel: want --connection-file FILE, or: seq2go kernel install"}
	}
	return kernel.Run(context.Background(), *file, kernel.Options{})
}

// installKernel writes the kernelspec into a Jupyter data dir.
func installKernel(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("kernel install", stderr)
	user := fs.Bool("user", false, "install for the current user (~/.local/share/jupyter)")
	prefix := fs.String("prefix", "", "install into DIR/share/jupyter (a virtualenv or conda prefix)")
	name := fs.String("name", "seq2go", "the kernelspec's name")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *user && *prefix != "" {
		return usageError{"kernel install: --user and --prefix exclude each other"}
	}
	if *name == "" || filepath.Base(*name) != *name {
		return usageError{fmt.Sprintf("kernel install: bad --name %q", *name)}
	}
	var data string
	switch {
	case *user:
		home, err := os.UserHomeDir()
		if err != nil {
			return err
		}
		data = filepath.Join(home, ".local", "share", "jupyter")
	case *prefix != "":
		data = filepath.Join(*prefix, "share", "jupyter")
	default:
		data = "/usr/local/share/jupyter"
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if exe, err = filepath.Abs(exe); err != nil {
		return err
	}
	if e, err := filepath.EvalSymlinks(exe); err == nil {
		exe = e
	}
	dir := filepath.Join(data, "kernels", *name)
	if err := kernel.Install(dir, kernel.NewSpec(exe)); err != nil {
		if errors.Is(err, os.ErrPermission) {
			return fmt.Errorf("kernel install: %w (try --user)", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "installed kernelspec %s in %s\n", *name, dir)
	return nil
}
