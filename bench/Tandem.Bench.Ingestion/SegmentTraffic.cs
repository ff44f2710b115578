using System.Buffers;
using System.Text.Json;

namespace Tandem.Bench.Ingestion;

/// <summary>
/// Website traffic as Segment's client libraries send it: batches of page, track and identify calls
/// with message ids, timestamps, a library and page context, UTM tags on campaign landings, and a
/// share of visitors who are known users. Each sender has its own visitors; known users are shared,
/// so several senders update the same people as real traffic does.
/// </summary>
public sealed class SegmentTraffic(int sender, int knownUsers, double knownShare, int seed = 7)
{
    private static readonly string[] Pages = ["/", "/pricing", "/product", "/product/integrations", "/customers", "/blog/lead-scoring-101",
        "/blog/sla-between-sales-and-marketing", "/docs/getting-started", "/webinars/q3-pipeline", "/contact", "/careers", "/about"];
    private static readonly string[] Events = ["Signed Up", "Demo Requested", "Whitepaper Downloaded", "Webinar Registered",
        "Pricing Calculator Used", "Video Played", "Trial Started", "Newsletter Subscribed"];
    private static readonly (string Source, string Medium, string Campaign)[] Campaigns =
        [("google", "cpc", "spring-launch"), ("linkedin", "paid-social", "abm-enterprise"), ("newsletter", "email", "october-digest"),
         ("g2", "referral", "review-sites"), ("facebook", "paid-social", "retargeting-q3")];
    private static readonly string[] Referrers = ["https://www.google.com/", "https://www.linkedin.com/", "", "", "https://news.ycombinator.com/"];

    private readonly Random random = new(seed * 7919 + sender);
    private readonly ArrayBufferWriter<byte> buffer = new(64 * 1024);
    private long sequence;

    public int Messages { get; private set; }

    /// <summary>One /v1/batch body of <paramref name="size"/> messages, UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> NextBatch(int size, DateTimeOffset now)
    {
        buffer.Clear();
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteStartArray("batch");
        for (var i = 0; i < size; i++) WriteMessage(w, now);
        w.WriteEndArray();
        w.WriteString("sentAt", now);
        w.WriteEndObject();
        w.Flush();
        Messages += size;
        return buffer.WrittenMemory;
    }

    private void WriteMessage(Utf8JsonWriter w, DateTimeOffset now)
    {
        var n = sequence++;
        var known = random.NextDouble() < knownShare;
        var user = random.Next(knownUsers);
        // Visitors come back: most messages are from a visitor seen before.
        var visitor = random.NextDouble() < 0.8 && n > 50 ? random.NextInt64(Math.Max(1, n / 4)) : n;
        var roll = random.NextDouble();
        var type = known && roll < 0.25 ? "identify" : roll < 0.65 ? "page" : "track";

        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteString("messageId", $"bench-{sender}-{n}-{Guid.NewGuid():N}");
        w.WriteString("anonymousId", known ? $"anon-user-{user}" : $"anon-{sender}-{visitor}");
        if (known) w.WriteString("userId", $"user-{user}");
        w.WriteString("timestamp", now.AddMilliseconds(-random.Next(0, 3000)));
        var page = Pages[random.Next(Pages.Length)];
        WriteContext(w, page, campaignLanding: type == "page" && random.NextDouble() < 0.15);
        switch (type)
        {
            case "page":
                w.WriteString("name", page == "/" ? "Home" : page.Trim('/').Replace('/', ' '));
                w.WriteStartObject("properties");
                w.WriteString("url", "https://lumen.example" + page);
                w.WriteString("path", page);
                w.WriteEndObject();
                break;
            case "track":
                w.WriteString("event", Events[random.Next(Events.Length)]);
                w.WriteStartObject("properties");
                w.WriteString("plan", random.Next(3) switch { 0 => "starter", 1 => "growth", _ => "enterprise" });
                w.WriteNumber("value", random.Next(0, 500));
                w.WriteEndObject();
                break;
            default:
                w.WriteStartObject("traits");
                w.WriteString("email", $"user{user}@company{user % 400}.example");
                w.WriteString("firstName", $"First{user}");
                w.WriteString("lastName", $"Last{user}");
                w.WriteString("company", $"Company {user % 400}");
                w.WriteEndObject();
                break;
        }
        w.WriteEndObject();
    }

    private void WriteContext(Utf8JsonWriter w, string page, bool campaignLanding)
    {
        w.WriteStartObject("context");
        w.WriteStartObject("library");
        w.WriteString("name", "analytics.js");
        w.WriteString("version", "2.11.1");
        w.WriteEndObject();
        w.WriteStartObject("page");
        w.WriteString("path", page);
        w.WriteString("url", "https://lumen.example" + page);
        w.WriteString("referrer", Referrers[random.Next(Referrers.Length)]);
        w.WriteString("title", "Lumen Cloud");
        w.WriteEndObject();
        w.WriteString("userAgent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36");
        w.WriteString("ip", $"203.0.113.{random.Next(1, 255)}");
        if (campaignLanding)
        {
            var (source, medium, campaign) = Campaigns[random.Next(Campaigns.Length)];
            w.WriteStartObject("campaign");
            w.WriteString("source", source);
            w.WriteString("medium", medium);
            w.WriteString("name", campaign);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
