import Foundation

/// Where the time of an import went: reading and writing the rows, then, into an empty
/// store, building the search indexes, and on PostgreSQL vacuuming and analysing the tables.
/// The import's rate counts all of them; this line says which to look at when it is slow.
struct ImportStages {
    private var marks: [(name: String, at: Date)]

    init(started: Date) {
        marks = [("loading the rows", started)]
    }

    mutating func mark(_ name: String, at date: Date = Date()) {
        marks.append((name, date))
    }

    /// "  loading the rows 4.1 s, building the search indexes 0.9 s, ...", or nil when the
    /// import was one stage.
    func report(finished: Date) -> String? {
        guard marks.count > 1 else { return nil }
        let ends = marks.dropFirst().map(\.at) + [finished]
        return "  " + zip(marks, ends).map { mark, end in
            "\(mark.name) \(String(format: "%.1f", end.timeIntervalSince(mark.at))) s"
        }.joined(separator: ", ")
    }
}
