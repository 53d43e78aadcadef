package checker

import (
	"reflect"
	"testing"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/wtcheck/wtcheck/record"
)

// TestSortedDatesIsTheirList: a plan's seen visits answer CEL as the list of their dates
// would, though the list is made only when CEL reads it as one.
func TestSortedDatesIsTheirList(t *testing.T) {
	days := []record.Date{record.MustDate("2024-01-08"), record.MustDate("2024-01-22"), record.MustDate("2024-02-05")}
	sorted, want := newSortedDates(days), dateList(days).(traits.Lister)
	if sorted.made != nil {
		t.Fatal("the list was made before it was read")
	}
	if got := sorted.Size(); got != want.Size() {
		t.Errorf("size %v, want %v", got, want.Size())
	}
	if sorted.made != nil {
		t.Error("the list was made for its size")
	}
	same := func(what string, got, want ref.Val) {
		t.Helper()
		if got.Equal(want) != types.True {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	for i := range days {
		same("item", sorted.Get(types.Int(i)), want.Get(types.Int(i)))
	}
	if !types.IsError(sorted.Get(types.Int(3))) {
		t.Error("an index past the end is not an error")
	}
	same("contains", sorted.Contains(dateVal(days[1])), types.True)
	same("contains", sorted.Contains(dateVal(record.MustDate("2024-01-09"))), types.False)
	same("equal", sorted.Equal(want), types.True)
	same("equal the other way", want.Equal(sorted), types.True)
	same("added", sorted.Add(want), want.Add(want))
	if sorted.Type() != want.Type() {
		t.Errorf("type %v, want %v", sorted.Type(), want.Type())
	}
	var n int
	for it := sorted.Iterator(); it.HasNext() == types.True; n++ {
		same("iterated", it.Next(), want.Get(types.Int(n)))
	}
	if n != len(days) {
		t.Errorf("iterated %d items, want %d", n, len(days))
	}
	got, err := sorted.ConvertToNative(reflect.TypeFor[[]ref.Val]())
	wantNative, wantErr := want.ConvertToNative(reflect.TypeFor[[]ref.Val]())
	if !reflect.DeepEqual(got, wantNative) || (err == nil) != (wantErr == nil) {
		t.Errorf("native %v, %v; want %v, %v", got, err, wantNative, wantErr)
	}
	if d := sorted.firstAfterDay(record.MustDate("2024-01-22")); d != days[2] {
		t.Errorf("first after the second: %v, want %v", d, days[2])
	}
	if d := sorted.firstAfterDay(days[2]); !d.IsZero() {
		t.Errorf("first after the last: %v, want none", d)
	}
	// The search against a walk, on lists of every length to 9 and every day around them.
	for n := range 10 {
		var days []record.Date
		for i := range n {
			days = append(days, record.MustDate("2024-01-01").AddDays(3*i))
		}
		l := newSortedDates(days)
		for k := -2; k < 3*n+2; k++ {
			d := record.MustDate("2024-01-01").AddDays(k)
			var want record.Date
			for _, x := range days {
				if x.After(d) {
					want = x
					break
				}
			}
			if got := l.firstAfterDay(d); got != want {
				t.Errorf("%d days, first after %v: %v, want %v", n, d, got, want)
			}
		}
	}
}
