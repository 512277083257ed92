/// A step of the FHIRPath location being checked: an element name or an array index.
enum PathPart {
    case name(String)
    case index(Int)
}

/// One pass of `ResourceValidator` over one resource. It carries the issues found so far and
/// the location being checked, so every rule reports where it failed without passing paths
/// around. The rules live in `ValidationRun+*.swift`, one concern per file.
struct ValidationRun {
    let definitions: FHIRDefinitions
    var issues: [FHIRIssue] = []
    var path: [PathPart] = []

    init(definitions: FHIRDefinitions) {
        self.definitions = definitions
        path.reserveCapacity(16)
    }

    // MARK: Reporting

    func location(_ extra: String? = nil) -> String {
        var text = ""
        for part in path {
            switch part {
            case .name(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        if let extra {
            if !text.isEmpty { text += "." }
            text += extra
        }
        return text
    }

    mutating func report(_ code: FHIRIssue.Code, _ message: String, extra: String? = nil) {
        let where_ = location(extra)
        issues.append(FHIRIssue(.error, code, message, at: where_.isEmpty ? [] : [where_]))
    }

    /// An element name safe to quote: names are not values, but an unknown one came from
    /// the sender, so it is cut short.
    static func quoted(_ name: String) -> String {
        name.count <= 64 ? name : String(name.prefix(64)) + "..."
    }
}
