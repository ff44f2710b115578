using System.Data.Common;

namespace Tandem.Server.Storage;

/// <summary>SQL fragments where SQLite and PostgreSQL spell the same thing differently.</summary>
public static class Sql
{
    /// <summary>
    /// "column is one of the list": Dapper expands a list into (@p1, @p2, …) for SQLite, while
    /// Npgsql takes the list as one array parameter. Pass the values as an array.
    /// </summary>
    public static string In(DbConnection connection, string column, string parameter) =>
        connection is Npgsql.NpgsqlConnection ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";
}
