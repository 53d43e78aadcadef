package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/record"
)

// errFound stops reading a batch once the case asked for is found.
var errFound = errors.New("found")

func newExplainCommand(stdin io.Reader) *cobra.Command {
	pf := &packFlags{}
	var rf redactFlags
	var format string
	var day record.Date
	cmd := &cobra.Command{
		Use:   "explain ID PATH...",
		Short: "Explain one case, incident or area: its events in date order and every deadline, with the findings",
		Long: `Explain finds one case in a batch and prints its timeline: each event in date order, each
deadline it started with its start, due date and the finding it gave, and the bank holidays
its working days skipped. It is what a reviewer opens when a finding is questioned. ID may also
be an incident_id or an area_id (incident-format.md): the incident's or the arrangements'
events and findings.

By default each referral is explained under the edition in force when it was received, so
each deadline appears once; --edition 2018,2023 explains it under those editions instead.`,
		Example: "  wtcheck explain C-0013 fixtures/sample\n  wtcheck explain --edition 2018 --format json C-0013 fixtures/sample",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			caseID, paths := args[0], args[1:]
			red, err := rf.redactor()
			if err != nil {
				return err
			}
			if len(pf.editions) == 0 && len(pf.packs) == 0 {
				// Once per edition that covers the referral: the one in force when it came.
				pf.editions = []string{"in-force"}
			}
			engine, err := pf.engine()
			if err != nil {
				return err
			}
			reader := &batch.Reader{Stdin: stdin}
			files, err := reader.Files(paths)
			if err != nil {
				return err
			}
			var found *batch.Record
			for _, f := range files {
				err := reader.ReadFile(f, func(rec batch.Record) error {
					if rec.CaseID != caseID {
						return nil
					}
					found = &rec
					return errFound
				})
				if errors.Is(err, errFound) {
					break
				}
			}
			if found == nil {
				return fmt.Errorf("no case, incident or area %q in %v", caseID, paths)
			}
			if found.Err != nil {
				if red != nil {
					return fmt.Errorf("the case could not be checked: its record has a data error (wtcheck check --redact says which)")
				}
				return fmt.Errorf("%s record %d (%s) could not be checked: %v", found.File, found.Index, caseID, found.Err)
			}
			var t *explain.Timeline
			switch {
			case found.Case == nil && red != nil:
				return fmt.Errorf("explain --redact explains cases; %s is an incident or an area's arrangements", caseID)
			case found.Incident != nil:
				// In force, an incident is judged by the edition of its aware day, or in the
				// 2018-2019 transition by when its area published its arrangements: the
				// batch's arrangements records say.
				day = engine.IncidentAsOf(found.Incident, day)
				published := checker.Published{}
				for _, f := range files {
					_ = reader.ReadFile(f, func(rec batch.Record) error {
						if a := rec.Arrangements; a != nil {
							published[a.AreaID] = record.Date{}
							if v := a.ViewAt(engine.ArrangementsAsOf(a, day)); v.Partners != nil {
								published[a.AreaID] = v.Partners.Published
							}
						}
						return nil
					})
				}
				findings, _, covered := engine.CheckIncident(found.Incident, day, published)
				t = explain.BuildIncident(found.Incident, day, findings, engine.Calendar, engine.Packs)
				if !covered {
					t.NotCovered = []checker.NotCovered{{CaseID: found.Incident.CaseID, IncidentID: found.Incident.IncidentID, Received: found.Incident.Aware}}
				}
			case found.Arrangements != nil:
				day = engine.ArrangementsAsOf(found.Arrangements, day)
				findings, _ := engine.CheckArrangements(found.Arrangements, day)
				t = explain.BuildArrangements(found.Arrangements, day, findings, engine.Calendar, engine.Packs)
			default:
				day = engine.AsOfFor(found.Case, day)
				findings, _, uncovered := engine.CheckInForce(found.Case, day)
				t = explain.Build(found.Case, day, findings, engine.Calendar, engine.Packs)
				t.NotCovered = uncovered
				if red != nil {
					red.Timeline(t, found.Case)
				}
			}
			switch format {
			case "text":
				_, err = io.WriteString(cmd.OutOrStdout(), t.Text())
				return err
			case "json":
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(t)
			}
			return fmt.Errorf("--format %q: want text or json", format)
		},
	}
	pf.register(cmd)
	rf.register(cmd)
	dateVar(cmd.Flags(), &day, "as-of", "explain as at this day (YYYY-MM-DD); default: the record's extract date")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}
