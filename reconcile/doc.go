// Package reconcile reads and writes China UnionPay's full-channel (全渠道,
// ACP) merchant settlement files and matches them against the merchant's own
// orders. It never dials the network and imports none of this module's other
// public packages: give it the zip that the file-download transaction (txnType 76)
// returned, after the client has decoded fileContent (Base64, then zlib).
//
// In short: [Open] the zip, stream its records with [Archive.Records], and
// [Match] them against the merchant's orders ([Order]; [Orders] for a slice,
// [OrdersCSV] for a CSV export); [WriteCSV] or [WriteJSON] writes the report.
// The example of [Match] shows each class of [Result].
//
// # Reading
//
// [Open] lists the members of a settlement zip by [Kind]: ZM (一般交易明细,
// settled transactions), ZME (差错交易明细, error transactions), RD (交易汇总表,
// the summary report), PED and PEDERR (periodic merchants) and unknown. It
// refuses archives beyond limits on member count, sizes and compression ratio
// before inflating anything, and a member that inflates past its declared size
// stops with [ErrTooLarge] while it is read.
//
// [ZM] and [ZME] stream the records of a member as an iter.Seq2: fixed-width
// fields are sliced by byte offset, then decoded from GBK, so Chinese in the
// sub-merchant abbreviation or the merchant reserved field never shifts the fields
// after it. A malformed line yields a [*LineError] naming the line and field;
// range on to collect errors, or break (past [MaxMalformedLines] the stream
// ends with an error). [Archive.Records] reads every ZM member of a merchant
// as one sequence, the way to read a day (its records may come in more than
// one member), and [Archive.ErrorRecords] the ZME members. [ParseRD] reads the
// summary report and [Summary.Check] compares it with a [Tally] of the ZM
// records.
//
// Conventions: amounts are int64 fen (分), or the minor unit of another
// currency (the file has no currency column: see [Order]). Signed amounts
// are positive for C (credit to the merchant) and negative for D (debit); a
// space sign is allowed only with a zero amount. Times are Beijing time
// ([Beijing]); MMDDhhmmss times get the year nearest the settle date (a
// December file may carry January times) and original-transaction times the
// latest year not after the transaction. Text fields lose their trailing
// padding; blank fields are "".
//
// # Matching
//
// [Match] reads the merchant's orders ([Order]) for the day, then streams the records
// and yields one [Result] per record ([Matched], [UnknownToMerchant],
// [AmountMismatch], [StateMismatch], [Duplicate]) and then one per expected
// order missing from the file ([MissingAtUnionPay]). Its memory grows with
// the day's orders, not with the file. [OrdersCSV] reads the orders from a
// CSV export (a header row naming orderId, txnTime, amount in fen, txnType and
// state, in any order, other columns ignored), streaming it a row at a time; a
// malformed row is an [*OrderError] wrapping a [*CSVError] that names its line
// and column. [WriteCSV] and [WriteJSON] stream the
// results into a report and return the per-class [Totals] in a [Report];
// [OnResult] hands each result to the caller as it is counted.
// A zip member's checksum is checked only at its end, where a corrupt or
// truncated member yields an error: act on an absence (an order taken as
// failed because it is MissingAtUnionPay) only once the whole run has ended
// without an error.
//
// # Writing
//
// [ZMWriter], [ZMEWriter], [WriteRD], [ArchiveWriter] and [Settlement] write
// the same formats, byte for byte in UnionPay's layout (the official sample
// zip round-trips exactly), for fake gateways and tests.
//
// # Performance
//
// Consecutive lines of a settlement file share most of their bytes, so the ZM
// reader compares each line with the previous one eight bytes at a time and
// re-parses only the fields whose bytes changed (checking only their
// separators); text fields are copied, without padding, into 16 KiB blocks
// shared by many records (strings point into them), so reading allocates
// about one block per hundred lines and the heap stays at a few MiB whatever
// the file's size. A record kept by the caller keeps its block alive.
//
// [Match] keeps the day's orders in a hash table larger than the caches, so it
// looks orderIds up sixteen at a time, letting the cache misses overlap; it
// may therefore read up to fifteen records (or orders) ahead of the results
// it has yielded.
//
// # Confidence
//
// The ZM layout (607 bytes + CRLF) and the RD report are confirmed by
// UnionPay's sample. The newer 608-byte ZM layout (fields 42 to 45), the ZME
// field names, the labels [Tally] gives transaction types and card kinds, and
// the debit/credit side of refunds in the RD report come from fewer sources;
// [Summary.Check] therefore compares credit minus debit rather than each side,
// and, for the transaction amounts, which are never negative, their gross sum
// (credit plus debit) too.
package reconcile
