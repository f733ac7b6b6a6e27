// Command gendoc writes docs_gen.go, the documentation table of the
// interpreter's packages: the text `go doc` would show for every exported
// symbol (see package docs for the keys). It reads the package list from the
// `yaegi extract` lines of symbols.go in the current directory, so a package
// added there gets its docs too. With -sums it also writes tables.sum, the
// record that lets the staleness test skip the tables that cannot have
// changed (see package generate); go generate runs it after the tables.
//
//	go run ./gendoc -o docs_gen.go -sums tables.sum
package main

import (
	"flag"
	"log"
	"os"

	"github.com/seq2go/seq2go/internal/symbols/generate"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gendoc: ")
	out := flag.String("o", "docs_gen.go", "file to write")
	src := flag.String("src", "symbols.go", "file whose go:generate lines list the packages")
	sums := flag.String("sums", "", "file to write the tables' record to (tables.sum); none if empty")
	flag.Parse()

	text, err := os.ReadFile(*src)
	if err != nil {
		log.Fatal(err)
	}
	pkgs := generate.Packages(string(text))
	if len(pkgs) == 0 {
		log.Fatalf("no yaegi extract lines in %s", *src)
	}
	b, err := generate.Docs(pkgs)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
	if *sums != "" {
		b, err := generate.Sums(pkgs, ".")
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(*sums, b, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
