import Storage

/// The tables of the versioned record, as append-only migrations.
///
/// `resource_version` holds every version of every resource. Its `seq` column is the change
/// log: SQLite assigns it in commit order (one writer, AUTOINCREMENT never reuses a value), so
/// a projection that remembers the last `seq` it read can resume exactly there. Keeping the
/// log in the version table, not beside it, saves a write per resource and cannot disagree.
/// `method` is the interaction that wrote the version (a PUT that creates is an update) and
/// `created` whether it brought the resource into being (first version, or after a deletion).
/// `resource` points at the current version of each resource.
///
/// The second migration gives `resource` an integer `rid` (stable for the life of a resource:
/// updates keep it) so that the search index stores small integers, not type and id, and
/// replaces `resource_identifier` with the search index (`SearchIndexSchema`).
public enum CareRecordSchema {
    public static let migrations: [Migration] = [
        Migration("2026-11-23-record-v1", sql: """
            CREATE TABLE resource_version (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                last_updated INTEGER NOT NULL,
                method TEXT NOT NULL CHECK (method IN ('create', 'update', 'patch', 'delete')),
                created INTEGER NOT NULL DEFAULT 0,
                body BLOB
            );
            CREATE UNIQUE INDEX resource_version_key ON resource_version (type, id, version);
            CREATE INDEX resource_version_type_seq ON resource_version (type, seq);
            CREATE INDEX resource_version_updated ON resource_version (last_updated);

            CREATE TABLE resource (
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                seq INTEGER NOT NULL REFERENCES resource_version (seq),
                deleted INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (type, id)
            ) WITHOUT ROWID;

            CREATE TABLE resource_identifier (
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                system TEXT NOT NULL,
                value TEXT NOT NULL
            );
            CREATE INDEX resource_identifier_value ON resource_identifier (type, value, system);
            CREATE INDEX resource_identifier_owner ON resource_identifier (type, id);
            """, postgres: CareRecordPostgresSchema.record),
        Migration("2026-11-23-search-v1", sql: """
            CREATE TABLE resource_current (
                rid INTEGER PRIMARY KEY,
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                seq INTEGER NOT NULL REFERENCES resource_version (seq),
                deleted INTEGER NOT NULL DEFAULT 0
            );
            INSERT INTO resource_current (type, id, version, seq, deleted)
                SELECT type, id, version, seq, deleted FROM resource ORDER BY seq;
            DROP TABLE resource;
            ALTER TABLE resource_current RENAME TO resource;
            CREATE UNIQUE INDEX resource_key ON resource (type, id);
            CREATE INDEX resource_type_rid ON resource (type, rid);
            DROP TABLE resource_identifier;
            """ + SearchIndexSchema.createStatements),
        Migration("2026-11-24-fulltext-v1", sql: SearchIndexSchema.fullText, postgres: CareRecordPostgresSchema.fullText),
        Migration("2026-11-24-position-v1", sql: SearchIndexSchema.positions),
        // PostgreSQL's distribution key (`CareRecordPostgresSchema.personKey`); SQLite serves
        // one borough from one file and is never distributed.
        Migration("2026-11-25-person-key-v1", sql: "", postgres: CareRecordPostgresSchema.personKey),
        // PostgreSQL's value indexes carry the rid, as SQLite's do by being on WITHOUT ROWID
        // tables (`CareRecordPostgresSchema.valueIndexes`).
        Migration("2026-11-26-covering-value-indexes-v1", sql: "", postgres: CareRecordPostgresSchema.coveringValueIndexes),
        // The audit log, append-only and hash-chained (`AuditSchema`, `AuditChain`).
        Migration("2026-11-27-audit-v1", sql: AuditSchema.sqlite, postgres: AuditSchema.postgres),
        // Break-glass grants, append-only (`AccessGrantSchema`).
        Migration("2026-11-28-access-grant-v1", sql: AccessGrantSchema.sqlite, postgres: AccessGrantSchema.postgres),
    ]
}
