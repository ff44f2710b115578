using System.Buffers;
using System.Text.Json;

namespace Tandem.Server.Security;

/// <summary>
/// Segment's newer clients (analytics-node 2.x) send the write key as a top-level "writeKey"
/// property of the JSON body instead of a header. For tracking requests without an Authorization
/// header the body is buffered, scanned for that property, and rewound for the endpoint.
/// </summary>
internal static class BodyWriteKey
{
    public static bool Applies(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && request.Path.StartsWithSegments("/v1")
        && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    public static async Task<string?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        try
        {
            var buffer = new ArrayBufferWriter<byte>();
            var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int read;
                while ((read = await request.Body.ReadAsync(chunk, ct)) > 0) buffer.Write(chunk.AsSpan(0, read));
            }
            finally { ArrayPool<byte>.Shared.Return(chunk); }
            return Find(buffer.WrittenSpan);
        }
        catch (BadHttpRequestException) { return null; } // e.g. too large: the endpoint reports it
        finally { request.Body.Position = 0; }
    }

    private static string? Find(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKey = reader.ValueTextEquals("writeKey"u8);
                reader.Read();
                if (isKey) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
        }
        catch (JsonException) { }
        return null;
    }
}
