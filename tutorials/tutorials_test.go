package tutorials_test

import (
	"context"
	"testing"
	"time"

	"github.com/seq2go/seq2go/internal/tutorial"
	"github.com/seq2go/seq2go/tutorials"
)

// TestChapters runs every chapter's cells in order in one session each, as
// a reader would, and fails on any error and on any cell whose output
// differs from its Output block.
func TestChapters(t *testing.T) {
	names, err := tutorial.List(tutorials.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no chapters embedded")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ch, err := tutorial.Load(tutorials.FS, name)
			if err != nil {
				t.Fatal(err)
			}
			if len(ch.Code()) == 0 {
				t.Fatalf("%s has no Go cells", name)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			start := time.Now()
			if err := tutorial.Check(ctx, ch); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d cells in %s", name, len(ch.Code()), time.Since(start).Round(time.Millisecond))
		})
	}
}
