package checkpoint

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Write saves f to the file at path, atomically: a reader of path, or a
// program that crashes or loses power mid-write, sees either the old file or
// the complete new one, never a mix. It does so in five steps:
//
//  1. create a temporary file ".<name>.tmp<random>" beside path (in the same
//     directory, hence on the same file system, so the rename below is
//     atomic);
//  2. encode f into it (Encode's checks apply);
//  3. Sync it, so its bytes are on disk before its name is;
//  4. rename it over path;
//  5. Sync the directory, so the rename itself is on disk.
//
// If any of steps 1–4 fails the temporary file is removed and the file at
// path is left as it was. If only step 5 fails, path already holds the new
// file, but it may not survive a power loss; the error says so.
//
// A new file gets permissions 0644; a replaced one keeps its permissions. A
// symbolic link at path is replaced by the file, not followed.
func Write(path string, f *File) (err error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("checkpoint: %s: creating temporary file: %w", path, err)
	}
	renamed := false
	defer func() {
		if err != nil && !renamed {
			tmp.Close() // may already be closed; the error no longer matters
			os.Remove(tmp.Name())
		}
	}()

	perm := fs.FileMode(0o644)
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
		perm = fi.Mode().Perm()
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err := encode(w, f); err != nil {
		return fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("checkpoint: %s: writing: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("checkpoint: %s: syncing: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("checkpoint: %s: closing: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("checkpoint: %s: written, but syncing its directory failed, so it may not survive a crash: %w", path, err)
	}
	return nil
}

// syncDir flushes the directory entry changes of dir (the rename) to disk.
// Windows cannot open a directory for syncing; there the rename
// (MoveFileEx) is left to the file system.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Read reads and decodes the safetensors file at path, with all of Decode's
// checks. Its errors name the file:
//
//	checkpoint: model.safetensors: header length 9999999 exceeds file size 120
//
// The whole file is read into memory; the tensors' Data share that one
// buffer.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err) // the *PathError names the file
	}
	f, err := decode(data, false)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	return f, nil
}
