// Package record holds the records wtcheck checks and everything that is true of a record
// before any rule reads it: the calendar Date, the case model (wtcheck/case/v1), decoding a
// case from JSON (Decode), validation (Validate: errors; Warnings: doubts about a record still
// checked), the view of a case as it stood on a day (ViewAt, AsOf), the known values of its
// enumerated fields, and Collections, the one list of a referral's collections that the
// walks over a case go through.
//
// Its contract:
//   - It imports nothing of the project: sources decode into it, the engine reads it, and
//     neither is needed to use it (internal/layering tests this).
//   - A decoded, validated record is only read afterwards, so it is safe to share between
//     goroutines.
//   - Errors and warnings name a field's path (referrals[0].plans[1].started), never its
//     value: case data is about children and must not reach logs.
//
// Records of other kinds (serious incidents, local arrangements: wtcheck/incident/v1 and
// wtcheck/arrangements/v1) belong here beside the case, each with its format tag, decoding,
// validation and as-of view.
package record
