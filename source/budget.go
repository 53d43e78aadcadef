package source

import "io"

// Budget is a reader that lets a decoder read only so far past a point, so that one endless
// record in a hostile or corrupt file stops the decoder instead of filling memory. The JSON
// reader sets a budget for each record; importers (the census XML) use it the same way.
type Budget struct {
	r     io.Reader
	err   error // returned once the budget is spent
	read  int64 // bytes handed on so far
	allow int64 // read may not pass this; 0 is no limit
}

// NewBudget reads from r with no limit until Allow is called; err is what a read past the
// budget returns.
func NewBudget(r io.Reader, err error) *Budget { return &Budget{r: r, err: err} }

// Allow lets n more bytes be read from here on. A decoder reads ahead of what it has
// decoded, so n should include its buffer.
func (b *Budget) Allow(n int64) { b.allow = b.read + n }

func (b *Budget) Read(p []byte) (int, error) {
	if b.allow > 0 {
		room := b.allow - b.read
		if room <= 0 {
			return 0, b.err
		}
		if int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}
