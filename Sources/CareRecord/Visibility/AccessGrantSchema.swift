/// Break-glass grants: a member of staff opened a person's record without a care
/// relationship, giving a reason. Each row lets that user see that person until `expires`
/// (`VisibilityFilter.related`), and the rows are what a privacy officer reviews. Like the
/// audit log, the table is append-only: a grant is a record of what was done, and ends by
/// time, not by being removed.
///
/// On PostgreSQL it is one small table that every visibility test reads, for any person:
/// under Citus a reference table (copied to every server), not one distributed by person.
enum AccessGrantSchema {
    static let sqlite = """
        CREATE TABLE access_grant (
            seq INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            organisation TEXT,
            role TEXT NOT NULL,
            patient TEXT NOT NULL,
            reason TEXT NOT NULL,
            granted INTEGER NOT NULL,
            expires INTEGER NOT NULL
        );
        CREATE INDEX access_grant_patient ON access_grant (patient, user_id, expires);
        CREATE INDEX access_grant_granted ON access_grant (granted);
        CREATE TRIGGER access_grant_append_only_update BEFORE UPDATE ON access_grant
            BEGIN SELECT RAISE(ABORT, 'break-glass grants are append-only'); END;
        CREATE TRIGGER access_grant_append_only_delete BEFORE DELETE ON access_grant
            BEGIN SELECT RAISE(ABORT, 'break-glass grants are append-only'); END;
        """

    static let postgres = """
        CREATE TABLE access_grant (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_id text COLLATE "C" NOT NULL,
            organisation text COLLATE "C",
            role text NOT NULL,
            patient text COLLATE "C" NOT NULL,
            reason text NOT NULL,
            granted bigint NOT NULL,
            expires bigint NOT NULL
        );
        CREATE INDEX access_grant_patient ON access_grant (patient, user_id, expires);
        CREATE INDEX access_grant_granted ON access_grant (granted);
        CREATE FUNCTION access_grant_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'break-glass grants are append-only'; END $$;
        CREATE TRIGGER access_grant_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON access_grant
            FOR EACH STATEMENT EXECUTE FUNCTION access_grant_append_only();
        """
}
