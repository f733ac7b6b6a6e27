package main

import (
	"fmt"
	"io"
	"strings"
)

func init() {
	commands["bench"] = command{"measure a trained model: bench translate|tagger --model FILE", bench}
}

// bench runs `seq2go bench NAME args...`, NAME one of the benches that the
// files of this package register.
func bench(args []string, stdout, stderr io.Writer) error {
	known := strings.Join(sortedKeys(benches), ", ")
	if len(args) == 0 {
		return usageError{fmt.Sprintf("bench: which benchmark? (known: %s)", known)}
	}
	b, ok := benches[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("bench: unknown benchmark %q (known: %s)", args[0], known)}
	}
	return b.run(args[1:], stdout, stderr)
}
