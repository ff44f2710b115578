using System.Text;
using System.Text.Json;

namespace Tandem.Server.People;

/// <summary>An opaque keyset cursor: the sort key and id of the last item on the previous page.</summary>
internal sealed record PageCursor(string Sort, JsonElement Value, long Id)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this)))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static PageCursor? TryDecode(string cursor)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            return JsonSerializer.Deserialize<PageCursor>(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    public static PageCursor For(string sort, object value, long id) => new(sort, JsonSerializer.SerializeToElement(value), id);
}

internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
