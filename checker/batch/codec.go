package batch

import (
	"bufio"
	"fmt"
	"unsafe"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/internal/runcodec"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source/casejson"
)

// Runs of findings are written in a small binary form of our own, chosen by measurement
// (BenchmarkRunCodec, docs/performance.md) over gob and JSON lines: it is the smallest on
// disk and the quickest both ways, because a sorted run repeats itself. Strings that come
// from the packs (edition, rule, pack, status, severity, citation, note, proxies) are written once
// per run and then by number; strings that repeat from one finding to the next in a sorted
// run (the case, its referral, team and file) are written only when they change; the rest
// (subject, message) are written whole, side by side, and read back in one allocation.
// Dates are day counts, numbers varints.
//
// Every field of Finding and BaselineEntry must be written: TestRunCodecWritesEveryField
// fills each field by reflection and fails when a field added to either type is not written
// here. The parts of a value are written and read by package runcodec, which compare's runs
// of differences share.

// maxRunString bounds a string read back from a run: nothing in a finding is near it, so a
// longer one means the run is damaged, and it must not become a huge allocation.
const maxRunString = casejson.DefaultMaxRecordBytes

// The fields of a finding written only when they change, by index of runcodec.Writer's
// changing fields.
const (
	fCase = iota
	fIncident
	fArea
	fReferral
	fTeam
	fFile
	findingChanging
)

// findingCodec writes findings to runs.
var findingCodec = runCodec[checker.Finding]{
	encoder: func() func(*bufio.Writer, *checker.Finding) {
		var rw *runcodec.Writer
		return func(w *bufio.Writer, f *checker.Finding) {
			if rw == nil {
				rw = runcodec.NewWriter(w, findingChanging)
			}
			rw.Changed(fCase, f.CaseID)
			rw.Changed(fIncident, f.IncidentID)
			rw.Changed(fArea, f.AreaID)
			rw.Known(f.Edition)
			rw.Known(f.Rule)
			rw.Pair(f.Subject, f.Message)
			rw.Changed(fReferral, f.Referral)
			rw.Known(f.Pack)
			rw.Known(string(f.Status))
			rw.Known(string(f.Severity))
			rw.Date(f.Start)
			rw.Date(f.Due)
			rw.Date(f.Done)
			rw.Date(f.Closed)
			rw.OptInt(f.LateWorkingDays)
			rw.OptInt(f.LateDays)
			rw.OptInt(f.WorkingDaysLeft)
			if f.DueSoon {
				rw.Uvarint(1)
			} else {
				rw.Uvarint(0)
			}
			rw.Known(f.Citation)
			// nil and empty lists are told apart, so that a finding reads back exactly.
			if f.ProjectedHolidays == nil {
				rw.Uvarint(0)
			} else {
				rw.Uvarint(uint64(len(f.ProjectedHolidays)) + 1)
				for _, d := range f.ProjectedHolidays {
					rw.Date(d)
				}
			}
			// nil and empty proxies are told apart, so that a finding reads back exactly.
			if f.Proxies == nil {
				rw.Uvarint(0)
			} else {
				rw.Uvarint(uint64(len(f.Proxies)) + 1)
				for _, p := range f.Proxies {
					rw.Known(p)
				}
			}
			rw.Known(f.Note)
			rw.Changed(fTeam, f.Team)
			rw.Changed(fFile, f.File)
			rw.Varint(int64(f.Record))
			rw.End()
		}
	},
	decoder: func() func(*bufio.Reader, *checker.Finding, *valueSpare) error {
		var rr *runcodec.Reader
		return func(r *bufio.Reader, f *checker.Finding, spare *valueSpare) error {
			if rr == nil {
				rr = runcodec.NewReader(r, findingChanging, maxRunString).Windowed()
			}
			f.CaseID = rr.Changed(fCase)
			f.IncidentID = rr.Changed(fIncident)
			f.AreaID = rr.Changed(fArea)
			f.Edition = rr.Known()
			f.Rule = rr.Known()
			f.Subject, f.Message = rr.Pair()
			f.Referral = rr.Changed(fReferral)
			f.Pack = rr.Known()
			f.Status = checker.Status(rr.Known())
			f.Severity = checker.Severity(rr.Known())
			f.Start = rr.Date()
			f.Due = rr.Date()
			f.Done = rr.Date()
			f.Closed = rr.Date()
			if spare != nil {
				f.LateWorkingDays = rr.OptIntInto(&spare.ints[0])
				f.LateDays = rr.OptIntInto(&spare.ints[1])
				f.WorkingDaysLeft = rr.OptIntInto(&spare.ints[2])
			} else {
				f.LateWorkingDays = rr.OptInt()
				f.LateDays = rr.OptInt()
				f.WorkingDaysLeft = rr.OptInt()
			}
			f.DueSoon = rr.Uvarint() == 1
			f.Citation = rr.Known()
			f.ProjectedHolidays, f.Proxies = nil, nil
			if n := rr.Uvarint(); n > 0 && rr.Err() == nil {
				if n-1 > runcodec.MaxDictionary {
					rr.Fail(fmt.Errorf("%w: %d projected holidays", runcodec.ErrDamaged, n-1))
				} else {
					var keep *[]record.Date
					if spare != nil {
						keep = &spare.dates
					}
					holidays := listIn(keep, n-1)
					for i := range holidays {
						holidays[i] = rr.Date()
					}
					f.ProjectedHolidays = holidays
				}
			}
			if n := rr.Uvarint(); n > 0 && rr.Err() == nil {
				if n-1 > runcodec.MaxDictionary {
					rr.Fail(fmt.Errorf("%w: %d proxies", runcodec.ErrDamaged, n-1))
				} else {
					var keep *[]string
					if spare != nil {
						keep = &spare.strs
					}
					proxies := listIn(keep, n-1)
					for i := range proxies {
						proxies[i] = rr.Known()
					}
					f.Proxies = proxies
				}
			}
			f.Note = rr.Known()
			f.Team = rr.Changed(fTeam)
			f.File = rr.Changed(fFile)
			f.Record = int(rr.Varint())
			rr.End()
			return rr.Err()
		}
	},
}

// listIn gives a list of n values to read into: *keep's array when it has room, else a new
// one, which *keep then holds for the next value; with keep nil, a new one, the value's own.
// Never nil, so that an empty list reads back apart from none.
func listIn[E any](keep *[]E, n uint64) []E {
	if keep != nil && *keep != nil && uint64(cap(*keep)) >= n {
		return (*keep)[:n]
	}
	l := make([]E, n)
	if keep != nil {
		*keep = l
	}
	return l
}

// findingSize is roughly what a listed finding holds in memory: the struct and the strings
// made for it. Strings shared with the pack (rule, citation) or the record (file, team) are not
// counted; the case id, shared by a case's findings, is, to err on the safe side.
func findingSize(f *checker.Finding) int64 {
	n := int64(unsafe.Sizeof(*f)) + int64(len(f.CaseID)+len(f.IncidentID)+len(f.AreaID)+len(f.Subject)+len(f.Referral)+len(f.Message)+len(f.Note))
	for _, p := range []*int{f.LateWorkingDays, f.LateDays, f.WorkingDaysLeft} {
		if p != nil {
			n += 8
		}
	}
	for _, p := range f.Proxies {
		n += int64(unsafe.Sizeof(p)) + int64(len(p))
	}
	n += int64(len(f.ProjectedHolidays)) * int64(unsafe.Sizeof(record.Date{}))
	return n
}

// The fields of a baseline entry written only when they change.
const (
	bCase = iota
	bReferral
	breachChanging
)

// breachCodec writes baseline entries to runs.
var breachCodec = runCodec[checker.BaselineEntry]{
	encoder: func() func(*bufio.Writer, *checker.BaselineEntry) {
		var rw *runcodec.Writer
		return func(w *bufio.Writer, e *checker.BaselineEntry) {
			if rw == nil {
				rw = runcodec.NewWriter(w, breachChanging)
			}
			rw.Changed(bCase, e.CaseID)
			rw.Known(e.Edition)
			rw.Known(e.Rule)
			rw.Changed(bReferral, e.Referral)
			rw.Str(e.Subject)
			rw.Known(e.Pack)
			rw.End()
		}
	},
	decoder: func() func(*bufio.Reader, *checker.BaselineEntry, *valueSpare) error {
		var rr *runcodec.Reader
		return func(r *bufio.Reader, e *checker.BaselineEntry, _ *valueSpare) error {
			if rr == nil {
				rr = runcodec.NewReader(r, breachChanging, maxRunString).Windowed()
			}
			e.CaseID = rr.Changed(bCase)
			e.Edition = rr.Known()
			e.Rule = rr.Known()
			e.Referral = rr.Changed(bReferral)
			e.Subject = rr.Str()
			e.Pack = rr.Known()
			rr.End()
			return rr.Err()
		}
	},
}

func breachSize(e *checker.BaselineEntry) int64 {
	return int64(unsafe.Sizeof(*e)) + int64(len(e.CaseID)+len(e.Referral)+len(e.Subject))
}
