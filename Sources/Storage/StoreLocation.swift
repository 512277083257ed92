/// Where a record is kept, as `--database` names it: a SQLite file (a path, or `sqlite:PATH`)
/// or a PostgreSQL database (`postgres://...`, see `PostgresAddress`). Every command takes
/// one, so choosing the engine is one option.
public enum StoreLocation: Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresAddress)

    public init(_ text: String) throws {
        if PostgresAddress.isAddress(text) {
            self = .postgres(try PostgresAddress(text))
        } else {
            let path = text.hasPrefix("sqlite:") ? String(text.dropFirst("sqlite:".count)) : text
            guard !path.isEmpty else { throw StorageError(.cannotOpen, detail: "no SQLite file named") }
            self = .sqlite(path: path)
        }
    }

    /// The file, or the address without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let address): address.description
        }
    }

    public var engine: SQLEngine {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }
}
