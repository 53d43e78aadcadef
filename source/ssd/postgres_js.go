//go:build js

package ssd

import (
	"context"
	"errors"
)

// OpenPostgres is not built into the browser build: a page cannot reach a database (its
// policy forbids every connection), and the driver would add megabytes to a page that a
// council's proxy may scan.
func OpenPostgres(context.Context, string, Options) (*Reader, error) {
	return nil, errors.New("the SSD tables cannot be read from a database in the browser: export them as CSV")
}
