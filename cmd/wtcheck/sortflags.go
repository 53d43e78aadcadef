package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker/batch"
)

// sortFlags bound the memory a large report's findings take: past --sort-memory they are
// sorted into temporary files under --tmpdir and merged back when the report is written.
type sortFlags struct {
	memory string
	tmpdir string
}

func (sf *sortFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&sf.memory, "sort-memory", fmt.Sprintf("%dMiB", batch.DefaultSortMemory>>20), "listed findings held in memory before they are sorted into temporary files, e.g. 256MiB or 1GiB; the report is the same whatever it is")
	cmd.Flags().StringVar(&sf.tmpdir, "tmpdir", "", "where those temporary files go (default: $TMPDIR, else /tmp); they are removed when the command ends")
}

// apply sets the batch options the flags ask for.
func (sf *sortFlags) apply(opts *batch.Options) error {
	n, err := parseSize(sf.memory)
	if err != nil {
		return fmt.Errorf("--sort-memory %q: %w", sf.memory, err)
	}
	opts.SortMemory = n
	opts.TempDir = sf.tmpdir
	return nil
}

// parseSize reads a size in bytes: a whole number with an optional unit, KiB, MiB or GiB (K,
// M, G, or KB, MB, GB, all powers of 1,024, as memory sizes are), or B.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"kib", 10}, {"mib", 20}, {"gib", 30}, {"kb", 10}, {"mb", 20}, {"gb", 30}, {"k", 10}, {"m", 20}, {"g", 30}, {"b", 0}}
	num, shift := strings.ToLower(strings.TrimSpace(s)), uint(0)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, shift = strings.TrimSpace(rest), u.shift
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("want a size such as 64MiB, 512KiB or 1GiB (at least 1 byte)")
	}
	return n << shift, nil
}
