package checkpoint

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// dirNames lists the names in dir, to check that no temporary file is left.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	first := everyDType()
	if err := Write(path, first); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffFile(got, first); d != "" {
		t.Fatalf("Read after Write: %s", d)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, first); err != nil {
		t.Fatal(err)
	}
	if disk, _ := os.ReadFile(path); !bytes.Equal(disk, buf.Bytes()) {
		t.Errorf("Write's file differs from Encode's bytes")
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
			t.Errorf("new file has mode %v, want 0644", fi.Mode().Perm())
		}
	}

	// Overwrite: the new content replaces the old, the old mode stays.
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	second := &File{Metadata: map[string]string{"step": "2"}, Tensors: []Tensor{FromInt8s("q", []int{1}, []int8{-5})}}
	if err := Write(path, second); err != nil {
		t.Fatal(err)
	}
	if got, err = Read(path); err != nil {
		t.Fatal(err)
	}
	if d := diffFile(got, second); d != "" {
		t.Errorf("Read after overwrite: %s", d)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("replaced file has mode %v, want the old 0600", fi.Mode().Perm())
		}
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"model.safetensors"}) {
		t.Errorf("directory holds %q, want only model.safetensors", names)
	}
}

// TestWriteAtomic makes Write fail at different steps and checks that the
// old file is untouched and no temporary file is left behind.
func TestWriteAtomic(t *testing.T) {
	old := &File{Metadata: map[string]string{"kind": "old"}, Tensors: []Tensor{FromFloat64s("w", []int{2}, []float64{1, 2})}}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) (path string) // prepares dir, returns the path to Write
		file  *File
		want  string
	}{
		{
			// The temp file exists when Encode's checks fail.
			name: "invalid tensor",
			file: &File{Tensors: []Tensor{{Name: "w", DType: "F64", Shape: []int{2}, Data: make([]byte, 3)}}},
			want: "needs 16 bytes, Data holds 3",
		},
		{
			name: "duplicate names",
			file: &File{Tensors: []Tensor{FromInt8s("a", nil, []int8{1}), FromInt8s("a", nil, []int8{2})}},
			want: `two tensors are named "a"`,
		},
		{
			// The temp file is written and synced; the rename over a
			// directory fails.
			name: "path is a directory",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "model.safetensors.d")
				if err := os.Mkdir(p, 0o755); err != nil {
					t.Fatal(err)
				}
				return p
			},
			file: old,
			want: "model.safetensors.d",
		},
		{
			// The temp file cannot be created.
			name: "read-only directory",
			setup: func(t *testing.T, dir string) string {
				if runtime.GOOS == "windows" || os.Geteuid() == 0 {
					t.Skip("root (or Windows) can write into a read-only directory")
				}
				if err := os.Chmod(dir, 0o555); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(dir, 0o755) })
				return filepath.Join(dir, "model.safetensors")
			},
			file: old,
			want: "creating temporary file",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "model.safetensors")
			if err := Write(path, old); err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			target := path
			if tc.setup != nil {
				target = tc.setup(t, dir)
			}
			err = Write(target, tc.file)
			if err == nil || !strings.HasPrefix(err.Error(), "checkpoint: "+target+": ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Write error %v, want one naming %s and containing %q", err, target, tc.want)
			}
			if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
				t.Errorf("the old file changed (err %v)", err)
			}
			for _, name := range dirNames(t, dir) {
				if strings.Contains(name, ".tmp") {
					t.Errorf("temporary file %s left behind", name)
				}
			}
		})
	}
}

func TestWriteMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "m.safetensors")
	err := Write(path, &File{})
	if err == nil || !strings.Contains(err.Error(), path) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Write into a missing directory: %v, want an fs.ErrNotExist naming %s", err, path)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()

	// The error of the package doc: a length prefix that promises more
	// header than the 120-byte file holds.
	path := filepath.Join(dir, "model.safetensors")
	data := make([]byte, 120)
	binary.LittleEndian.PutUint64(data, 9999999)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(path)
	if want := "checkpoint: " + path + ": header length 9999999 exceeds file size 120"; err == nil || err.Error() != want {
		t.Errorf("Read error\n\t%v\nwant\n\t%s", err, want)
	}

	_, err = Read(filepath.Join(dir, "missing.safetensors"))
	if err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.safetensors") {
		t.Errorf("Read of a missing file: %v, want fs.ErrNotExist naming the file", err)
	}
}
