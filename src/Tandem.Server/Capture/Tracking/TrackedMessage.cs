using System.Text.Json;
using System.Text.Json.Nodes;
using Tandem.Domain.Capture;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// A validated Segment message with everything that needs no database worked out in advance — its
/// type, ids, instant, touch and stored properties — so this work runs before the request waits for
/// the database writer, in parallel with other requests.
/// </summary>
internal sealed record TrackedMessage(
    SegmentMessage Message,
    string Type,
    string? MessageId,
    string? UserId,
    string? AnonymousId,
    DateTimeOffset OccurredAt,
    Attribution? Touch,
    string ActivityType,
    string Properties)
{
    public static TrackedMessage From(SegmentMessage m, DateTimeOffset? batchSentAt, JsonElement? batchContext, DateTimeOffset received)
    {
        var type = m.Type!.Trim().ToLowerInvariant();
        var context = m.Context ?? batchContext;
        var touch = SegmentTraits.Attribution(context);
        return new TrackedMessage(m, type, string.IsNullOrWhiteSpace(m.MessageId) ? null : m.MessageId.Trim(), m.UserIdText, m.AnonymousIdText,
            EventTime.Resolve(m.Timestamp, m.SentAt ?? batchSentAt, received), touch, ActivityTypeOf(type, m), PropertiesOf(type, m, context, touch));
    }

    private static string ActivityTypeOf(string type, SegmentMessage m) => type switch
    {
        "track" => m.Event!.Trim(),
        "page" => "page_view",
        "screen" => "screen_view",
        _ => type,
    };

    /// <summary>The stored properties: the message's own, plus page facts and UTM tags from its context.</summary>
    private static string PropertiesOf(string type, SegmentMessage m, JsonElement? context, Attribution? touch)
    {
        var source = type is "identify" or "group" ? m.Traits : m.Properties;
        var node = source is { ValueKind: JsonValueKind.Object } o ? JsonNode.Parse(o.GetRawText())!.AsObject() : new JsonObject();
        if (type is "page" or "screen")
        {
            if (m.Name is not null) node.TryAdd("name", m.Name);
            if (m.Category is not null) node.TryAdd("category", m.Category);
            if (context is { ValueKind: JsonValueKind.Object } ctx && ctx.TryGetProperty("page", out var page) && page.ValueKind == JsonValueKind.Object)
                foreach (var field in new[] { "url", "path", "referrer", "title" })
                    if (SegmentTraits.Text(page, field) is { } value) node.TryAdd(field, value);
        }
        if (type == "group" && m.GroupIdText is { } g) node["groupId"] = g;
        if (type == "alias") node["previousId"] = m.PreviousIdText;
        if (touch is not null)
            node["utm"] = new JsonObject
            {
                ["source"] = touch.UtmSource, ["medium"] = touch.UtmMedium, ["campaign"] = touch.UtmCampaign,
                ["term"] = touch.UtmTerm, ["content"] = touch.UtmContent, ["referrer"] = touch.Referrer, ["landingPage"] = touch.LandingPage,
            };
        return node.ToJsonString();
    }
}
