/// The audit log's tables. `audit_event` holds one row per entry, numbered by the writer (not
/// by the engine: the number is part of the hash chain), `audit_entity` the resources and
/// patients each touched, indexed by resource for a person's access report. Triggers refuse
/// UPDATE and DELETE on both, so not even the server can rewrite what it recorded.
///
/// The index leads with `bucket` (the entry's number over 65,536, `AuditRows.bucket`): an
/// index by resource alone took each load's entries into as many leaf pages as resources it
/// named, all over an index that grows for ever, and loads slowed as the log grew (reads per
/// second fell by a quarter over a million entries); within the current bucket a load
/// touches at most its few hundred pages. A report seeks once per bucket.
///
/// The log is not a person's data in the distribution sense: on PostgreSQL it stays one
/// ordinary table, not distributed by person, since its chain is one sequence.
enum AuditSchema {
    static let sqlite = """
        CREATE TABLE audit_event (
            seq INTEGER PRIMARY KEY,
            recorded INTEGER NOT NULL,
            action TEXT NOT NULL,
            interaction TEXT NOT NULL,
            status INTEGER NOT NULL,
            user_id TEXT,
            organisation TEXT,
            role TEXT,
            agent_patient TEXT,
            address TEXT,
            path TEXT NOT NULL,
            query TEXT,
            detail TEXT,
            hash BLOB NOT NULL
        );
        CREATE TABLE audit_entity (
            seq INTEGER NOT NULL,
            position INTEGER NOT NULL,
            bucket INTEGER NOT NULL,
            type TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER,
            PRIMARY KEY (seq, position)
        ) WITHOUT ROWID;
        CREATE INDEX audit_entity_resource ON audit_entity (bucket, type, id);
        CREATE TRIGGER audit_event_append_only_update BEFORE UPDATE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_event_append_only_delete BEFORE DELETE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_entity_append_only_update BEFORE UPDATE ON audit_entity
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_entity_append_only_delete BEFORE DELETE ON audit_entity
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """

    static let postgres = """
        CREATE TABLE audit_event (
            seq bigint PRIMARY KEY,
            recorded bigint NOT NULL,
            action text NOT NULL,
            interaction text NOT NULL,
            status integer NOT NULL,
            user_id text COLLATE "C",
            organisation text COLLATE "C",
            role text,
            agent_patient text COLLATE "C",
            address text,
            path text NOT NULL,
            query text,
            detail text,
            hash bytea NOT NULL
        );
        CREATE TABLE audit_entity (
            seq bigint NOT NULL,
            position integer NOT NULL,
            bucket bigint NOT NULL,
            type text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            version integer,
            PRIMARY KEY (seq, position)
        );
        CREATE INDEX audit_entity_resource ON audit_entity (bucket, type, id, seq);
        CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
        CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
            FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
        CREATE TRIGGER audit_entity_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entity
            FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
        """
}
