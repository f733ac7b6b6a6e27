package main

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKernelInstall(t *testing.T) {
	prefix := t.TempDir()
	code, out, errOut := runCLI("kernel", "install", "--prefix", prefix, "--name", "go-test")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	dir := filepath.Join(prefix, "share", "jupyter", "kernels", "go-test")
	if !strings.Contains(out, dir) {
		t.Errorf("output %q does not name %s", out, dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Argv          []string `json:"argv"`
		DisplayName   string   `json:"display_name"`
		Language      string   `json:"language"`
		InterruptMode string   `json:"interrupt_mode"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	if len(spec.Argv) != 4 || !filepath.IsAbs(spec.Argv[0]) || spec.Argv[1] != "kernel" ||
		spec.Argv[2] != "--connection-file" || spec.Argv[3] != "{connection_file}" {
		t.Errorf("argv = %q", spec.Argv)
	}
	if spec.DisplayName != "Go (seq2go)" || spec.Language != "go" || spec.InterruptMode != "message" {
		t.Errorf("spec = %+v", spec)
	}
	for _, n := range []string{"32x32", "64x64"} {
		f, err := os.Open(filepath.Join(dir, "logo-"+n+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(f); err != nil {
			t.Errorf("logo-%s.png: %v", n, err)
		}
		f.Close()
	}
}

func TestKernelUsage(t *testing.T) {
	for _, args := range [][]string{
		{"kernel"},
		{"kernel", "install", "--user", "--prefix", "/tmp/x"},
		{"kernel", "install", "--name", "../evil"},
		{"kernel", "--connection-file", "/nonexistent/kernel.json"},
	} {
		if code, _, _ := runCLI(args...); code == 0 {
			t.Errorf("%q: exit 0", args)
		}
	}
}
