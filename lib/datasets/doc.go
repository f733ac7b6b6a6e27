// Package datasets holds small public corpora inside the seq2go binary, so a
// tutorial, a test or a benchmark can open one by name with no network and no
// files on disk:
//
//	r, err := datasets.Open("tinyshakespeare") // the decompressed text, streamed
//	if err != nil { ... }
//	defer r.Close()
//
// Each corpus travels with its SOURCE.md: where it came from, its checksum and
// its licence. [Source] returns that text; print it whenever you redistribute
// anything derived from the data.
//
// # Corpora
//
//	babi-en-v1.2          qa*_train.txt (20), LICENSE  the 20 bAbI question-
//	                                    answering tasks, 1,000 questions each, for
//	                                    data.ReadBabi (CC BY 3.0; main: task 1)
//	bert-wordpiece-vocab  vocab.txt     the 30,522 WordPiece entries of BERT-Base
//	                                    uncased (Apache 2.0)
//	gutenberg-en          pg*.txt (10)  ten public-domain novels, 8,368,057 bytes,
//	                                    1.5M words: the word2vec corpus (main: pg1342.txt)
//	tatoeba-eng-fra       eng-fra.txt   4,590 short English<TAB>French<TAB>attribution
//	                                    sentence pairs from Tatoeba (CC BY 2.0 FR)
//	tatoeba-eng-nld       eng-nld.txt   25,341 English<TAB>Dutch sentence pairs from
//	                                    Tatoeba, shortest first (CC BY 2.0 FR)
//	tinyshakespeare       input.txt     1,115,394 bytes of Shakespeare's plays, the
//	                                    char-rnn corpus (public domain text)
//	word2vec-analogies    questions-words.txt, LICENSE  Mikolov et al.'s 19,544
//	                                    analogy questions (Apache 2.0)
//
// The two Tatoeba corpora are parallel text, one pair a line, for
// [github.com/seq2go/seq2go/lib/data.ReadPairs]; they hold about 90% of their
// source files, the rest being held out for evaluation (see their SOURCE.md).
// Tatoeba often translates one English sentence several ways, so split them
// with [github.com/seq2go/seq2go/lib/data.SplitPairs], which keeps every
// sentence on one side of the split.
//
// # Layout
//
// A corpus is a folder named after it, next to this file. The folder holds a
// SOURCE.md and one or more data files, each compressed with
//
//	gzip -9 -n file.txt   # -n: no name or time stamp, so the bytes are reproducible
//
// and stored as file.txt.gz. The API names files without the .gz suffix:
// [OpenFile]("tinyshakespeare", "input.txt") decompresses input.txt.gz as you
// read it. Adding a corpus takes a folder and one entry in the table in
// datasets.go that names its main file (the one [Open] returns); the embed
// patterns pick up every */SOURCE.md and */*.gz, and TestTable checks that the
// folders and the table agree.
//
// # Errors
//
// An unknown dataset or file is an error that wraps [ErrUnknownDataset] or
// [ErrUnknownFile] and lists the names that do exist.
package datasets
