-- A migration that exists only in the operations tests: "the next release" whose deployment must be preceded by a backup.
CREATE TABLE ops_test_marker (id INTEGER NOT NULL PRIMARY KEY);
