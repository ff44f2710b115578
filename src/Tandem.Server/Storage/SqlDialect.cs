using System.Data.Common;
using Npgsql;

namespace Tandem.Server.Storage;

/// <summary>
/// The SQL where SQLite and PostgreSQL spell the same thing differently, chosen once from the connection.
/// Call sites ask the dialect (<c>SqlDialect.Of(c).ForUpdate</c>) and never test which engine they are on;
/// where the engines behave differently rather than only spell differently, the two variants live side by
/// side in their own folder and are picked by <see cref="Provider"/>.
/// </summary>
internal abstract class SqlDialect
{
    public static readonly SqlDialect Postgres = new PostgresDialect();
    public static readonly SqlDialect Sqlite = new SqliteDialect();

    /// <summary>The dialect of an open connection: the one place that looks at the connection's type.</summary>
    public static SqlDialect Of(DbConnection connection) => connection is NpgsqlConnection ? Postgres : Sqlite;

    public static SqlDialect For(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? Postgres : Sqlite;

    public abstract DatabaseProvider Provider { get; }

    /// <summary>
    /// Appended to a SELECT to lock its rows until the transaction ends. Empty on SQLite, whose single writer
    /// already holds the whole database for the transaction.
    /// </summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// Like <see cref="ForUpdate"/> for a row whose key never changes: other transactions may still insert rows
    /// that reference it (their foreign-key check takes only a key-share lock).
    /// </summary>
    public abstract string ForNoKeyUpdate { get; }

    /// <summary>
    /// Appended to a SELECT that claims work: locks the rows and skips those another transaction holds, so two
    /// servers claiming at once split the work instead of doubling it or queueing. <paramref name="of"/> names
    /// the table alias to lock when the SELECT joins.
    /// </summary>
    public abstract string ForUpdateSkipLocked(string? of = null);

    /// <summary>
    /// "column is one of the list" for a list Dapper binds: Dapper expands a list into (@p1, @p2, …) for SQLite,
    /// while Npgsql takes it as one array parameter. Pass the values as an array.
    /// </summary>
    public abstract string In(string column, string parameter);

    /// <summary>
    /// "column is one of these ids" with the ids as one parameter whatever their number: a PostgreSQL array, or a
    /// JSON array read with json_each on SQLite (about 20 times cheaper there than a hundred expanded parameters).
    /// Bind <c>Value</c> to <paramref name="parameter"/>.
    /// </summary>
    public abstract (string Condition, object Value) InIdList(string column, string parameter, long[] ids);

    /// <summary>
    /// A FROM item yielding one row per key of the JSON object in <paramref name="jsonColumn"/>, the key in
    /// <c><paramref name="alias"/>.key</c>.
    /// </summary>
    public abstract string JsonObjectKeys(string jsonColumn, string alias);

    /// <summary>The text under a top-level key of the JSON object in <paramref name="jsonColumn"/> (null when absent).</summary>
    public abstract string JsonText(string jsonColumn, string key);

    /// <summary>
    /// A LEFT JOIN yielding one row per element of the JSON array of text in <paramref name="jsonColumn"/>, the element in
    /// <c><paramref name="alias"/>.value</c> (one row with a null value for an empty array).
    /// </summary>
    public abstract string LeftJoinJsonArray(string jsonColumn, string alias);

    private sealed class PostgresDialect : SqlDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.Postgres;
        public override string ForUpdate => " FOR UPDATE";
        public override string ForNoKeyUpdate => " FOR NO KEY UPDATE";
        public override string ForUpdateSkipLocked(string? of = null) => of is null ? " FOR UPDATE SKIP LOCKED" : $" FOR UPDATE OF {of} SKIP LOCKED";
        public override string In(string column, string parameter) => $"{column} = ANY({parameter})";
        public override (string Condition, object Value) InIdList(string column, string parameter, long[] ids) => ($"{column} = ANY({parameter})", ids);
        public override string JsonObjectKeys(string jsonColumn, string alias) => $"jsonb_object_keys({jsonColumn}::jsonb) AS {alias}(key)";
        public override string JsonText(string jsonColumn, string key) => $"({jsonColumn}::jsonb ->> '{key}')";
        public override string LeftJoinJsonArray(string jsonColumn, string alias) =>
            $"LEFT JOIN LATERAL jsonb_array_elements_text({jsonColumn}::jsonb) AS {alias}(value) ON TRUE";
    }

    private sealed class SqliteDialect : SqlDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
        public override string ForUpdate => "";
        public override string ForNoKeyUpdate => "";
        public override string ForUpdateSkipLocked(string? of = null) => "";
        public override string In(string column, string parameter) => $"{column} IN {parameter}";
        public override (string Condition, object Value) InIdList(string column, string parameter, long[] ids) =>
            ($"{column} IN (SELECT value FROM json_each({parameter}))", Json.Write(ids));
        public override string JsonObjectKeys(string jsonColumn, string alias) => $"json_each({jsonColumn}) AS {alias}";
        public override string JsonText(string jsonColumn, string key) => $"json_extract({jsonColumn}, '$.{key}')";
        public override string LeftJoinJsonArray(string jsonColumn, string alias) => $"LEFT JOIN json_each({jsonColumn}) AS {alias} ON 1 = 1";
    }
}
