// Package dialog reads conversations: the Dialog bAbI tasks (Bordes,
// Boureau & Weston 2017, "Learning End-to-End Goal-Oriented Dialog") and
// Topical-Chat (Gopalakrishnan et al. 2019), both embedded in lib/datasets,
// into one form, a Dialog of Utterances in the order they were said, from
// which a reply model takes its examples: every bot turn (Dialog bAbI) or
// every turn after the first (Topical-Chat) is a reply to what came before.
//
//	r, _ := datasets.OpenFile("dialog-babi", "dialog-babi-task1trn.txt")
//	dialogs, err := dialog.ReadBabi(r, "dialog-babi-task1trn.txt")   // 1,000 dialogs
//	for _, d := range dialogs {
//		for _, i := range d.Replies() {          // the bot turns
//			context, reply := d.Utterances[:i], d.Utterances[i]
//			…
//		}
//	}
//
// # Dialog bAbI
//
// One line per event, numbered from 1 in each dialog:
//
//	1 hi<TAB>hello what can i help you with today                  a user turn and the bot's reply
//	3 <SILENCE><TAB>where should it be                              the bot speaks twice: no user turn
//	13 resto_madrid_cheap_spanish_1stars R_phone resto_…_phone     a knowledge-base fact: no TAB
//	5 api_call no result                                            (task 6) an empty API result
//
// A line with a TAB is a user utterance and a bot utterance, read as two
// Utterances (User, then Bot); "<SILENCE>" is kept as the user's text, so
// that a model sees that the user said nothing; an empty user side (task 6,
// where the speech recogniser heard nothing) reads as "<SILENCE>" too. A
// line without a TAB is a
// fact returned by an API call (Fact). A dialog ends at a blank line or
// where the numbers restart at 1. White space is trimmed and collapsed
// (task 6 has " you are welcome").
//
// The candidate files ("1 <bot utterance>" a line) are read by
// ReadCandidates, normalised the same way, so that a bot turn is found
// among them by string equality.
//
// # Topical-Chat
//
// One JSON object, conversation id → {"content": [{"agent", "message", …}]};
// ReadTopicalChat keeps the conversations in file order, their messages as
// Utterances whose Speaker is the agent ("agent_1", "agent_2"), white space
// collapsed. SplitDialogs deals whole conversations into train, dev and
// test, so that no conversation is on two sides.
//
// # Errors
//
// Readers return errors that name the file and line, as lib/data's do:
//
//	dialog: task1.txt:12: want "ID text" with ID 5 (a dialog's lines are numbered 1, 2, …), got "7 hi"
//	dialog: valid_freq.json:41: conversation "t_…" turn 3: agent "agent_3" (want agent_1 or agent_2)
//
// Bad input is an error, never a panic (each reader has a fuzz test).
package dialog
