-- ASP.NET Core's data-protection key ring (what signs sign-in cookies and form tokens), kept in the database so a
-- restart keeps everyone signed in and every server on one database accepts what another issued. Each row is one
-- key's XML as data protection wrote it; rows are only added (expired keys stay, as data protection expects).
CREATE TABLE data_protection_keys (
    id            INTEGER PRIMARY KEY,
    friendly_name TEXT    NOT NULL,
    xml           TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
