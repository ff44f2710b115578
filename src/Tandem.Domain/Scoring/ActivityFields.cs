using System.Globalization;
using System.Text.Json;

namespace Tandem.Domain.Scoring;

/// <summary>
/// An activity as engagement conditions see it: "type", "channel", "campaign", and any property by its
/// (dotted) path, e.g. "url", "form", "utm.source".
/// </summary>
public sealed class ActivityFields(string type, string? channel, string? campaign, JsonElement properties) : IFieldSource
{
    public string Type { get; } = type;

    public static ActivityFields Parse(string type, string? channel, string? campaign, string propertiesJson)
    {
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(propertiesJson) ? "{}" : propertiesJson);
        return new ActivityFields(type, channel, campaign, doc.RootElement.Clone());
    }

    public string? Get(string field)
    {
        switch (field)
        {
            case "type": return Type;
            case "channel": return channel;
            case "campaign": return campaign;
        }
        var node = properties;
        foreach (var part in field.Split('.'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(part, out node)) return null;
        }
        return node.ValueKind switch
        {
            JsonValueKind.String => node.GetString(),
            JsonValueKind.Number => node.GetDouble().ToString(CultureInfo.InvariantCulture),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => node.GetRawText(),
        };
    }
}

/// <summary>A person's fields by name, for fit rules and personas (built by the server from the person and account).</summary>
public sealed class FieldBag(IReadOnlyDictionary<string, string?> fields) : IFieldSource
{
    public string? Get(string field) => fields.TryGetValue(field, out var v) ? v : null;
}
