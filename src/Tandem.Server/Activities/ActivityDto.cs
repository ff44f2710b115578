using System.Text.Json;

namespace Tandem.Server.Activities;

internal sealed record ActivityDto(
    long Id, long? PersonId, string Type, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, string Source,
    string? Channel, long? CampaignId, string? AnonymousId, JsonElement Properties);

internal sealed class ActivityRow
{
    public long Id { get; set; }
    public long? PersonId { get; set; }
    public string? AnonymousId { get; set; }
    public string Type { get; set; } = "";
    public long OccurredAt { get; set; }
    public long ReceivedAt { get; set; }
    public string? MessageId { get; set; }
    public string Source { get; set; } = "";
    public string? Channel { get; set; }
    public long? CampaignId { get; set; }
    public string Properties { get; set; } = "{}";

    public ActivityDto ToDto() => new(Id, PersonId, Type, DateTimeOffset.FromUnixTimeMilliseconds(OccurredAt),
        DateTimeOffset.FromUnixTimeMilliseconds(ReceivedAt), Source, Channel, CampaignId, AnonymousId,
        JsonDocument.Parse(Properties).RootElement.Clone());
}
