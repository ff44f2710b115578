using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// One message in Segment's HTTP Tracking API format (identify, track, page, screen, group, alias).
/// Both camelCase and the snake_case spellings older clients use are accepted.
/// </summary>
internal sealed class SegmentMessage
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("messageId")] public string? MessageId { get; set; }
    [JsonPropertyName("userId")] public JsonElement? UserId { get; set; }
    [JsonPropertyName("anonymousId")] public JsonElement? AnonymousId { get; set; }
    [JsonPropertyName("event")] public string? Event { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("category")] public string? Category { get; set; }
    [JsonPropertyName("groupId")] public JsonElement? GroupId { get; set; }
    [JsonPropertyName("previousId")] public JsonElement? PreviousId { get; set; }
    [JsonPropertyName("properties")] public JsonElement? Properties { get; set; }
    [JsonPropertyName("traits")] public JsonElement? Traits { get; set; }
    [JsonPropertyName("context")] public JsonElement? Context { get; set; }
    [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; set; }
    [JsonPropertyName("sentAt")] public DateTimeOffset? SentAt { get; set; }

    // Segment ids may be strings or numbers; both are kept as text.
    public string? UserIdText => IdText(UserId);
    public string? AnonymousIdText => IdText(AnonymousId);
    public string? GroupIdText => IdText(GroupId);
    public string? PreviousIdText => IdText(PreviousId);

    private static string? IdText(JsonElement? e) => e switch
    {
        { ValueKind: JsonValueKind.String } s when !string.IsNullOrWhiteSpace(s.GetString()) => s.GetString()!.Trim(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };
}

/// <summary>The body of POST /v1/batch.</summary>
internal sealed class SegmentBatch
{
    [JsonPropertyName("batch")] public List<SegmentMessage?>? Batch { get; set; }
    [JsonPropertyName("context")] public JsonElement? Context { get; set; }
    [JsonPropertyName("sentAt")] public DateTimeOffset? SentAt { get; set; }
    /// <summary>Newer Segment clients send the write key in the body; it is read by authentication, not stored.</summary>
    [JsonPropertyName("writeKey")] public string? WriteKey { get; set; }
}
