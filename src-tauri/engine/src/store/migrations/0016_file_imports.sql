-- Files imported (`exchange/plan.rs`): the SHA-256 of each file's bytes, so importing the same
-- file again adds nothing, and what it did.
CREATE TABLE file_imports (
    digest      TEXT    PRIMARY KEY,
    format      TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    imported_at TEXT    NOT NULL,
    new_lots    INTEGER NOT NULL,
    added_lots  INTEGER NOT NULL
) STRICT;
