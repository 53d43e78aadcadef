package batch

import "github.com/wtcheck/wtcheck/source"

// rawSource is a source that can split an input into records without decoding them, so that
// decoding, which is most of what reading costs, runs on every core instead of in the one
// goroutine that must read in order (casejson.Reader).
type rawSource interface {
	// ReadRaw hands each record's bytes to raw, in order; a record refused before decoding
	// reaches fn in its place.
	ReadRaw(in source.Input, fn func(source.Record) error, raw func(index int, data []byte) error) error
	// Decode turns the bytes of one record into what Read would have given.
	Decode(name string, index int, data []byte) source.Record
}

// slot is a run of consecutive records of one file on their way through the pipeline: read
// and split in order, decoded on a worker, then taken in order again. Records travel in runs,
// not one by one, because every hand-over between goroutines costs a wake-up: one record at a
// time, they cost one worker almost as much CPU again on a second core as the work itself.
type slot struct {
	file int
	recs []Record
	data [][]byte // each record's bytes, until decoded; nil for one refused unread
	// ids are the decoded records' id hashes (recordIDHash), made on the worker that decoded
	// them: a quarter of what the one goroutine that takes the records in order did.
	ids [][16]byte
	// bytes holds the records' bytes one after another: ReadRaw's are its buffer's, good only
	// until it reads on, and copied here into an array the slot keeps from fill to fill.
	bytes   []byte
	fileErr error         // the whole file could not be read
	done    chan struct{} // closed once recs are decoded; nil when there is nothing to decode
}

// pipelineDepth is how many slots each worker may have read ahead of the one taken next:
// enough that no worker waits for the reader, few enough that memory stays bounded.
const pipelineDepth = 4

// A slot holds at most slotRecords records, and is closed once its records' bytes reach
// slotBytes: so a slot is at most slotBytes plus one record (itself at most the reader's
// MaxRecordBytes), and what the queues hold stays bounded as when they held one record each.
const (
	slotRecords = 32
	slotBytes   = 64 << 10
)

// maxSlotBytes is the largest array of bytes a slot keeps for its next fill: one record far
// longer than the others is not held on to.
const maxSlotBytes = 4 * slotBytes

// work is one worker of a check: the one pool of goroutines that does the CPU work, so that
// --workers N is N goroutines busy, not N evaluating beside N decoding. It evaluates the
// jobs accepted and, while none is waiting, decodes the records read (decode is nil when the
// source has no raw form). Evaluation comes first when both are ready, so that decoded
// records do not pile up ahead of their evaluation.
//
// A worker never sends on a queue, so it cannot be held by one: whatever the accepting
// goroutine waits for (the oldest record's decoding, or room in jobs), a worker either is
// doing or takes it, and the reader blocked on a full decode queue is freed as soon as a
// worker takes from it. A worker returns when jobs is closed, which the accepting goroutine
// does only after every record read was decoded and accepted. done is given each array of
// jobs once they are checked, to be filled again.
func work(jobs <-chan []job, decode <-chan *slot, rs rawSource, check func(job), done func([]job)) {
	// evaluate checks one slot's jobs and hands their array back; false once jobs is closed.
	evaluate := func(js []job, ok bool) bool {
		for _, j := range js {
			check(j)
		}
		if js != nil {
			done(js)
		}
		return ok
	}
	for {
		select {
		case js, ok := <-jobs:
			if !evaluate(js, ok) {
				return
			}
			continue
		default:
		}
		select {
		case js, ok := <-jobs:
			if !evaluate(js, ok) {
				return
			}
		case s, ok := <-decode:
			if !ok {
				decode = nil // every record is read: only jobs are left
				continue
			}
			for i, data := range s.data {
				if data != nil {
					s.recs[i] = rs.Decode(s.recs[i].File, s.recs[i].Index, data)
					if s.recs[i].Err == nil {
						s.ids[i] = recordIDHash(&s.recs[i])
					}
				}
			}
			clear(s.data) // the bytes are let go; the array goes back with the slot
			close(s.done)
		}
	}
}

// readDecoded reads the batch through a raw source: one goroutine reads and splits the files
// in order and hands each record to the workers (work) to decode; this goroutine takes the
// records back in the batch's order, as accept needs to find duplicates and count, and
// fileError is told of a file that could not be read. Both queues are bounded (decode's
// capacity, and as much again for order), so a slow evaluation holds the reader back instead
// of letting records pile up. It closes decode once every record is read. slotDone is called
// after each slot's records are accepted, to hand on what they became.
func readDecoded(r *Reader, rs rawSource, files []string, entries []Entry, decode chan<- *slot,
	accept func(file int, rec Record, hashed *[16]byte), fileError func(file int, err error), slotDone func()) {
	order := make(chan *slot, cap(decode))
	// Slots whose records were accepted come back to the reader to be filled again, so that
	// their arrays are not made for every 32 records.
	free := make(chan *slot, cap(decode)+1)
	go func() {
		defer close(order)
		defer close(decode)
		for fi, f := range files {
			if err := entries[fi].Err; err != nil {
				order <- &slot{file: fi, fileErr: err}
				continue
			}
			in, err := r.input(f)
			if err != nil {
				order <- &slot{file: fi, recs: []Record{{File: f, Err: err}}}
				continue
			}
			var cur *slot
			size := 0
			send := func() {
				if cur == nil {
					return
				}
				// Once in order, a slot with nothing to decode may be accepted and come back
				// to free before this goroutine looks at it again: whether it goes to decode
				// is read first.
				toDecode := cur.done != nil
				order <- cur
				if toDecode {
					decode <- cur
				}
				cur, size = nil, 0
			}
			add := func(rec Record, data []byte) {
				if cur == nil {
					select {
					case cur = <-free:
						cur.file = fi
					default:
						cur = &slot{file: fi, recs: make([]Record, 0, slotRecords), data: make([][]byte, 0, slotRecords),
							ids: make([][16]byte, 0, slotRecords), bytes: make([]byte, 0, slotBytes+slotBytes/4)}
					}
				}
				cur.recs = append(cur.recs, rec)
				if data != nil {
					// An earlier record's bytes stay where they are if the array grows.
					from := len(cur.bytes)
					cur.bytes = append(cur.bytes, data...)
					data = cur.bytes[from:len(cur.bytes):len(cur.bytes)]
				}
				cur.data = append(cur.data, data)
				cur.ids = append(cur.ids, [16]byte{})
				if data != nil && cur.done == nil {
					cur.done = make(chan struct{})
				}
				size += len(data)
				if len(cur.recs) == slotRecords || size >= slotBytes {
					send()
				}
			}
			err = rs.ReadRaw(in, func(rec Record) error {
				add(rec, nil)
				return nil
			}, func(index int, data []byte) error {
				add(Record{File: f, Index: index}, data)
				return nil
			})
			send()
			if err != nil {
				order <- &slot{file: fi, fileErr: err}
			}
		}
	}()
	for s := range order {
		if s.fileErr != nil {
			fileError(s.file, s.fileErr)
		} else {
			if s.done != nil {
				<-s.done
			}
			for i, rec := range s.recs {
				var hashed *[16]byte
				if s.done != nil && rec.Err == nil {
					hashed = &s.ids[i] // decoded here, so hashed on its worker
				}
				accept(s.file, rec, hashed)
			}
			if cap(s.recs) == slotRecords {
				clear(s.recs) // accept keeps its own copies
				clear(s.data)
				b := s.bytes[:0]
				if cap(b) > maxSlotBytes {
					b = nil
				}
				*s = slot{recs: s.recs[:0], data: s.data[:0], ids: s.ids[:0], bytes: b}
				select {
				case free <- s:
				default:
				}
			}
		}
		slotDone()
	}
}
