/// The search index tables, one per kind of value.
///
/// Each is `WITHOUT ROWID` with a primary key that starts `(rid, pid)`: a resource's rows sit
/// together, so replacing them on update or testing `:missing` is one range of one B-tree,
/// and new resources (rising `rid`) append at its right edge. One secondary index per table
/// starts with what a search knows (`pid` and the value), so a search reads only matching
/// rows whatever the size of the store. Every primary-key column is NOT NULL: "no system" is
/// the empty string.
///
/// `pid` numbers a (resource type, parameter) pair through `search_param`; the numbers are
/// assigned once per store (`SearchParameterIDs`) and never change. `search_state` records
/// which definitions and indexer built the rows, so a store built by another version is
/// re-indexed when opened (`SearchIndexRebuild`).
enum SearchIndexSchema {
    static let tables = """
        CREATE TABLE search_param (
            pid INTEGER PRIMARY KEY,
            resource_type TEXT NOT NULL,
            code TEXT NOT NULL,
            UNIQUE (resource_type, code)
        );
        CREATE TABLE search_state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

        CREATE TABLE search_token (
            rid INTEGER NOT NULL, pid INTEGER NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL,
            PRIMARY KEY (rid, pid, code, system)
        ) WITHOUT ROWID;

        CREATE TABLE search_string (
            rid INTEGER NOT NULL, pid INTEGER NOT NULL, norm TEXT NOT NULL, exact TEXT NOT NULL,
            PRIMARY KEY (rid, pid, norm, exact)
        ) WITHOUT ROWID;

        CREATE TABLE search_date (
            rid INTEGER NOT NULL, pid INTEGER NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL,
            PRIMARY KEY (rid, pid, low, high)
        ) WITHOUT ROWID;

        CREATE TABLE search_reference (
            rid INTEGER NOT NULL, pid INTEGER NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,
            PRIMARY KEY (rid, pid, target_type, target_id)
        ) WITHOUT ROWID;

        CREATE TABLE search_number (
            rid INTEGER NOT NULL, pid INTEGER NOT NULL, value REAL NOT NULL,
            PRIMARY KEY (rid, pid, value)
        ) WITHOUT ROWID;

        CREATE TABLE search_quantity (
            rid INTEGER NOT NULL, pid INTEGER NOT NULL, value REAL NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL,
            PRIMARY KEY (rid, pid, value, system, code)
        ) WITHOUT ROWID;

        CREATE TABLE search_composite (
            rid INTEGER NOT NULL, pid INTEGER NOT NULL,
            a_system TEXT NOT NULL, a_code TEXT NOT NULL,
            b_system TEXT NOT NULL, b_code TEXT NOT NULL, b_low REAL NOT NULL, b_high REAL NOT NULL,
            PRIMARY KEY (rid, pid, a_system, a_code, b_system, b_code, b_low, b_high)
        ) WITHOUT ROWID;
        """

    /// The secondary indexes, by name: what a search reads. A bulk load into an empty store
    /// builds them after the rows are in (`ValueIndexes`). Part of the migration
    /// `2026-11-23-search-v1`: a change to one needs a new migration.
    static let valueIndexes: [(name: String, sql: String)] = [
        ("search_token_code", "CREATE INDEX search_token_code ON search_token (pid, code, system)"),
        ("search_string_norm", "CREATE INDEX search_string_norm ON search_string (pid, norm)"),
        ("search_date_low", "CREATE INDEX search_date_low ON search_date (pid, low)"),
        ("search_date_high", "CREATE INDEX search_date_high ON search_date (pid, high)"),
        ("search_reference_target", "CREATE INDEX search_reference_target ON search_reference (target_type, target_id, pid)"),
        ("search_number_value", "CREATE INDEX search_number_value ON search_number (pid, value)"),
        ("search_quantity_value", "CREATE INDEX search_quantity_value ON search_quantity (pid, value)"),
        ("search_composite_a", "CREATE INDEX search_composite_a ON search_composite (pid, a_code, b_code)"),
    ]

    /// The whole schema: the tables, then their secondary indexes.
    static var createStatements: String {
        tables + valueIndexes.map { $0.sql + ";\n" }.joined()
    }

    /// Full-text search (`_text`, `_content`): an FTS5 index of each version's `FullText`,
    /// keyed by the version's `seq`, so it is only ever added to. A search joins it to the
    /// versions that are current (`resource.seq`), so a later version's or a deletion's words
    /// replace an earlier one's without deleting index rows. Contentless (`content=''`): the
    /// text is in the body already. No column sizes (`columnsize=0`): they serve only ranking,
    /// which search does not do, and cost a row per version. The tokenizer folds case and
    /// removes diacritics, as string search does. Migration `2026-11-24-fulltext-v1`.
    static let fullText = """
        CREATE VIRTUAL TABLE search_fulltext USING fts5(
            narrative, content, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
        );
        """

    /// Location positions (`near`): one row per Location that has one, by `rid`, and an index
    /// by latitude for the bounding box a search starts from. Migration `2026-11-24-position-v1`.
    static let positions = """
        CREATE TABLE search_position (rid INTEGER PRIMARY KEY, latitude REAL NOT NULL, longitude REAL NOT NULL);
        CREATE INDEX search_position_latitude ON search_position (latitude, longitude);
        """

    /// The tables holding index rows, for clearing a resource's rows.
    static let valueTables = ["search_token", "search_string", "search_date", "search_reference",
                              "search_number", "search_quantity", "search_composite", "search_position"]
}
