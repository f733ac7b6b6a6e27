// Package tutorials embeds the tutorial chapters, NN-name.md, so that the
// REPL's :tutorial, the notebook builder and the tutorials test read the
// same files wherever the binary runs.
package tutorials

import "embed"

// FS holds every chapter at its top level.
//
//go:embed *.md
var FS embed.FS
