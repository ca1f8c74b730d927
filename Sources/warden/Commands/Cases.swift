import ArgumentParser
import Foundation
import WardenEngine
import WardenSQLite

/// `warden cases`: the review queue of a state, read without taking it.
struct Cases: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The review queue of a state: list cases, or export resolved ones as training data.",
        subcommands: [Export.self, List.self])

    /// The review store of `--state`, read-only for a SQLite file (a server may be running on it).
    static func open(_ state: String) throws -> any ReviewStore {
        let location = try StateOpener.location(state, accepting: [.sqlite, .redis])
        switch location {
        case .sqlite(let path):
            do {
                return try SQLiteReviewStore.inspect(path: path)
            } catch {
                Output.error("warden: \(error)")
                throw ExitCode(2)
            }
        default:
            guard let review = try StateOpener.open(location, StateOpener.Options(review: true)).review else {
                Output.error("warden: --state \(state) keeps no review queue")
                throw ExitCode(2)
            }
            return review
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write resolved cases as CSV (label,content,case,event,resolved_at), which warden train and eval read as they are.")

        @Option(help: "sqlite:PATH or redis://HOST:PORT.")
        var state: String

        @Option(help: "The CSV file to write ('-': standard output).")
        var out = "-"

        @Option(help: "Only cases resolved at or after this time (RFC 3339).")
        var since: String?

        func run() throws {
            let from = try since.map { text throws -> Double in
                guard let t = Timestamp.parse(text) else {
                    Output.error("warden: --since takes an RFC 3339 time, not '\(text)'")
                    throw ExitCode(2)
                }
                return t
            }
            let review = try Cases.open(state)
            var text = ""
            var rows = -1
            do throws(ReviewError) {
                try LabelsCSV.write(from: review, since: from, at: Date().timeIntervalSince1970) { line in
                    text += line
                    rows += 1
                }
            } catch {
                Output.error("warden: \(error.message)")
                throw ExitCode(2)
            }
            if out == "-" {
                FileHandle.standardOutput.write(Data(text.utf8))
            } else {
                guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else {
                    Output.error("warden: cannot write '\(out)'")
                    throw ExitCode(2)
                }
                Output.error("warden: \(rows) labelled cases written to \(out)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases, oldest first.")

        @Option(help: "sqlite:PATH or redis://HOST:PORT.")
        var state: String

        @Option(help: "open, claimed or resolved.")
        var status: String?

        @Option(help: "At most this many.")
        var limit = 50

        func run() throws {
            let review = try Cases.open(state)
            var query = CaseQuery()
            if let status {
                guard let s = ReviewCase.Status(rawValue: status) else {
                    Output.error("warden: --status takes open, claimed or resolved, not '\(status)'")
                    throw ExitCode(2)
                }
                query.status = s
            }
            query.limit = max(1, limit)
            let now = Date().timeIntervalSince1970
            do throws(ReviewError) {
                for c in try review.cases(query, at: now).cases {
                    let outcome = c.resolution.map { " \($0.outcome.rawValue) \($0.label) by \($0.by)" } ?? ""
                    Output.line(
                        "\(c.id)\t\(c.status(at: now).rawValue)\(outcome)\t\(Timestamp.format(c.opened))\t\(c.account)\t\(c.rules.joined(separator: ","))\t\(c.content.prefix(60))"
                    )
                }
            } catch {
                Output.error("warden: \(error.message)")
                throw ExitCode(2)
            }
        }
    }
}
