package compare

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/internal/runcodec"
	"github.com/wtcheck/wtcheck/internal/testgen"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// fill sets every field of v (a struct) to a value of its own, by reflection, so that a field
// added to Difference or Outcome and forgotten by the codec fails the round trip.
func fill(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	for i := range v.NumField() {
		f := v.Field(i)
		*n++
		switch f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("s%d-é", *n))
		case reflect.Slice:
			s := reflect.MakeSlice(f.Type(), 3, 3)
			for j := range 3 {
				fill(t, s.Index(j), n)
			}
			f.Set(s)
		case reflect.Struct:
			if f.Type() != reflect.TypeFor[record.Date]() {
				t.Fatalf("field %s: a struct the test does not know", v.Type().Field(i).Name)
			}
			f.Set(reflect.ValueOf(record.DateFromDayNumber(int32(*n * 1000 * (1 - 2*(*n%2))))))
		default:
			t.Fatalf("field %s of kind %s: the test does not fill it", v.Type().Field(i).Name, f.Kind())
		}
	}
}

func TestDifferenceCodecWritesEveryField(t *testing.T) {
	var want [3]Difference
	n := 0
	for i := range want {
		fill(t, reflect.ValueOf(&want[i]).Elem(), &n)
	}
	want[1].Outcomes[0].Due = record.Date{} // a date not recorded
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	enc := NewDifferenceEncoder()
	for i := range want {
		enc(w, &want[i])
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	dec := NewDifferenceDecoder()
	r := bufio.NewReader(bytes.NewReader(buf.Bytes()))
	for i := range want {
		var got Difference
		if err := dec(r, &got); err != nil {
			t.Fatalf("difference %d: %v", i+1, err)
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("difference %d came back as\n%+v\nwant\n%+v", i+1, got, want[i])
		}
	}
	if _, err := r.ReadByte(); err != io.EOF {
		t.Errorf("bytes left after the last difference: %v", err)
	}
	// A run cut short is an error, never a difference made up.
	for _, cut := range []int{1, len(buf.Bytes()) / 3, len(buf.Bytes()) - 1} {
		dec := NewDifferenceDecoder()
		r := bufio.NewReader(bytes.NewReader(buf.Bytes()[:cut]))
		var err error
		for range want {
			var got Difference
			if err = dec(r, &got); err != nil {
				break
			}
		}
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("run cut at %d bytes: error %v, want an end of file", cut, err)
		}
	}
	// A length past any difference's is refused before it is allocated.
	dec = NewDifferenceDecoder()
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f}
	if err := dec(bufio.NewReader(bytes.NewReader(huge)), new(Difference)); !errors.Is(err, runcodec.ErrDamaged) {
		t.Errorf("a 4 GiB case id: error %v, want %v", err, runcodec.ErrDamaged)
	}
}

// generated checks n generated cases under every shipped edition and returns each case with
// its findings, as the engine made them.
func generated(t *testing.T, n int) (*checker.Engine, []*record.Case, [][]checker.Finding) {
	t.Helper()
	e, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := testgen.WriteCases(&buf, n, 7); err != nil {
		t.Fatal(err)
	}
	var cases []*record.Case
	var findings [][]checker.Finding
	for line := range strings.Lines(buf.String()) {
		c, _, err := record.Decode([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		fs, errs := e.Check(c, record.Date{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		cases, findings = append(cases, c), append(findings, fs)
	}
	return e, cases, findings
}

// TestAddTakesFindingsInAnyOrder gives one aggregator each case's findings sorted, as the
// runner gave them before, and another the same findings shuffled, from two goroutines' worth
// of shards: the comparisons must be the same, counts, differences and reasons.
func TestAddTakesFindingsInAnyOrder(t *testing.T) {
	e, cases, findings := generated(t, 400)
	timescale := func(r *checker.Rule) string { return "within " + r.ID }
	sorted, shuffled := NewAggregator(e.Packs, true, timescale), NewAggregator(e.Packs, true, timescale)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i, c := range cases {
		fs := slices.Clone(findings[i])
		checker.SortFindings(fs)
		sorted.Add(c, fs)
		rnd.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
		if i%2 == 0 {
			shuffled.Add(c, fs)
		} else {
			// A second shard, as a second worker would use.
			s := shuffled.take()
			shuffled.take()
			shuffled.put(s, nil)
			shuffled.Add(c, fs)
		}
	}
	want, got := sorted.Result(&checker.Report{}), shuffled.Result(&checker.Report{})
	if n := len(shuffled.shards); n != 0 {
		t.Errorf("%d shards left after Result", n)
	}
	wantDiffs, gotDiffs := want.Differences.Slice(), got.Differences.Slice()
	if len(wantDiffs) < 20 {
		t.Fatalf("only %d differences in 400 generated cases: the test shows little", len(wantDiffs))
	}
	if !reflect.DeepEqual(gotDiffs, wantDiffs) {
		t.Errorf("differences of shuffled findings differ from sorted ones'")
	}
	if !reflect.DeepEqual(got.Rules, want.Rules) || !reflect.DeepEqual(got.OnlyIn, want.OnlyIn) {
		t.Errorf("counts of shuffled findings differ from sorted ones'")
	}
	if !reflect.DeepEqual(got.NotCovered, want.NotCovered) {
		t.Errorf("referrals not covered: %v, want %v", got.NotCovered, want.NotCovered)
	}
	for i := 1; i < len(gotDiffs); i++ {
		if CompareDifferences(&gotDiffs[i-1], &gotDiffs[i]) >= 0 {
			t.Fatalf("difference %d (%s) is not after %d (%s)", i+1, gotDiffs[i].Label(), i, gotDiffs[i-1].Label())
		}
	}
}

// TestPickOfTwoFindingsOfOneEdition: of two findings of the same status for one requirement
// on one subject in one edition, the one first in checker.CompareFindings order (by rule) is
// the edition's outcome, whichever was made first.
func TestPickOfTwoFindingsOfOneEdition(t *testing.T) {
	old := pack(t, "2010", "2010-01-01", "2015-12-31",
		"  - {id: b-core, compare_as: assess, title: Core, severity: breach, citation: {chapter: '5'}, scope: assessment, deadline: {start: assessment.started, within: 35 working days, done: assessment.completed}}\n"+
			"  - {id: a-initial, compare_as: assess, title: Initial, severity: breach, citation: {chapter: '5'}, scope: assessment, deadline: {start: assessment.started, within: 10 working days, done: assessment.completed}}\n")
	newer := pack(t, "2018", "2016-01-01", "",
		"  - {id: assess, title: Assess, severity: breach, citation: {chapter: '1'}, scope: assessment, deadline: {start: referral.received, within: 1 working days, done: assessment.completed}}\n")
	e := &checker.Engine{Packs: []*checker.CompiledPack{old, newer}, Calendar: checker.NewCalendar(nil, 2000, 2030)}
	d := record.MustDate
	c := &record.Case{CaseID: "C-1", ExtractDate: d("2019-12-31"), Referrals: []*record.Referral{{
		ID: "R1", Received: d("2019-01-07"),
		Assessments: []*record.Assessment{{ID: "A1", Started: d("2019-01-07"), Completed: d("2019-01-10")}},
	}}}
	fs, _ := e.Check(c, record.Date{})
	want := "met under 2010 (a-initial, due 2019-01-21); breach under 2018 (assess, due 2019-01-08)"
	for name, order := range map[string][]checker.Finding{"as made": fs, "reversed": reversed(fs)} {
		a := NewAggregator(e.Packs, false, func(*checker.Rule) string { return "" })
		a.Add(c, order)
		diffs := a.Result(&checker.Report{}).Differences.Slice()
		if len(diffs) != 1 || diffs[0].Reason != want {
			t.Errorf("%s: differences %+v, want one: %s", name, diffs, want)
		}
	}
}

func reversed(fs []checker.Finding) []checker.Finding {
	out := slices.Clone(fs)
	slices.Reverse(out)
	return out
}

// TestGroupsPastTheSmallOnes: a requirement on more subjects than are searched one by one
// (a long plan's visits) keeps one group per subject, found again whichever way it is kept,
// and the next record starts with none.
func TestGroupsPastTheSmallOnes(t *testing.T) {
	s := &shard{groups: map[groupKey]int32{}}
	const n = 3 * smallGroups
	for round := range 2 {
		for pass := range 2 {
			for i := range n {
				gk := groupKey{referral: "R1", subject: fmt.Sprintf("P1@%d", i), key: 2}
				if g := s.group(gk, 3); g != int32(i) {
					t.Fatalf("round %d, pass %d: subject %d in group %d", round, pass, i, g)
				}
			}
			if g := s.group(groupKey{referral: "R2", subject: "P1@0", key: 2}, 3); g != n {
				t.Fatalf("round %d, pass %d: another referral's subject in group %d, want %d", round, pass, g, n)
			}
		}
		if len(s.keys) != n+1 || len(s.picks) != 3*(n+1) {
			t.Fatalf("round %d: %d groups, %d picks", round, len(s.keys), len(s.picks))
		}
		s.reset()
		if len(s.keys) != 0 || len(s.groups) != 0 || len(s.byKey[2]) != 0 {
			t.Fatalf("round %d: groups left after reset", round)
		}
	}
	// A huge record's arrays are not kept for the next.
	for i := range maxKeptGroups + 1 {
		s.group(groupKey{referral: "R1", subject: fmt.Sprintf("P1@%d", i), key: 1}, 3)
	}
	s.reset()
	if cap(s.keys) != 0 || cap(s.picks) != 0 || len(s.groups) != 0 || len(s.byKey[1]) != 0 {
		t.Errorf("after a huge record: %d groups' and %d picks' room kept", cap(s.keys), cap(s.picks))
	}
	if g := s.group(groupKey{referral: "R1", subject: "A1", key: 1}, 3); g != 0 {
		t.Errorf("the next record's first group is %d", g)
	}
}
