package dialog_test

import (
	"fmt"
	"strings"

	"github.com/seq2go/seq2go/lib/dialog"
)

func ExampleReadBabi() {
	task := "1 hi\thello what can i help you with today\n" +
		"2 <SILENCE>\twhere should it be\n" +
		"3 resto_1 R_rating 8\n"
	dialogs, err := dialog.ReadBabi(strings.NewReader(task), "task.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	d := dialogs[0]
	for _, i := range d.Replies() {
		fmt.Printf("after %d utterances the bot says %q\n", i, d.Utterances[i].Text)
	}
	fmt.Println(d.Utterances[4].Speaker, d.Utterances[4].Text)
	// Output:
	// after 1 utterances the bot says "hello what can i help you with today"
	// after 3 utterances the bot says "where should it be"
	// kb resto_1 R_rating 8
}
