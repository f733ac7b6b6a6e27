package display

import "io"

func ReadLine(r io.Reader) (string, error) { return readLine(r) }
