using System.Data.Common;

namespace Tandem.Server.Storage;

/// <summary>Shorthands for the <see cref="SqlDialect"/> fragments most call sites need.</summary>
internal static class Sql
{
    /// <summary>"column is one of the list" in the connection's dialect; see <see cref="SqlDialect.In"/>.</summary>
    public static string In(DbConnection connection, string column, string parameter) => SqlDialect.Of(connection).In(column, parameter);
}
