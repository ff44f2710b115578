using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Content;

internal sealed record AssetDto(long Id, string Title, string Type, string? UrlPattern, string? AssetKey, string OwnerTeam, bool Archived,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal sealed class AssetRow
{
    public long Id { get; set; }
    public string Title { get; set; } = "";
    public string Type { get; set; } = "";
    public string? UrlPattern { get; set; }
    public string? AssetKey { get; set; }
    public string OwnerTeam { get; set; } = "";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? ArchivedAt { get; set; }

    public AssetDto ToDto() => new(Id, Title, Type, UrlPattern, AssetKey, OwnerTeam, ArchivedAt is not null, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));

    public static async Task<IReadOnlyList<AssetRow>> ListAsync(DbConnection c, bool archived = false) =>
        (await c.QueryAsync<AssetRow>("SELECT * FROM content_assets" + (archived ? "" : " WHERE archived_at IS NULL") + " ORDER BY title, id")).ToList();
}

/// <summary>
/// The content registry: blog posts, case studies, data sheets, decks… each known by a URL pattern (pages and files on the
/// site) or an id (what downloads and shares carry), and owned by a team. POST, GET, PUT /api/v1/content/assets.
/// </summary>
internal static class ContentAssets
{
    public static readonly IReadOnlyList<string> Types = ["blog-post", "case-study", "data-sheet", "deck", "ebook", "report", "video", "webinar", "web-page", "other"];

    public static readonly IReadOnlyList<string> Teams = ["marketing", "sales", "product", "customer-success"];

    public sealed record Request(string? Title, string? Type, string? UrlPattern, string? AssetKey, string? OwnerTeam, bool? Archived);

    public static async Task<Ok<IReadOnlyList<AssetDto>>> List(bool? archived, Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<AssetDto>>((await db.ReadAsync(c => AssetRow.ListAsync(c, archived == true), ct)).Select(a => a.ToDto()).ToList());

    public static async Task<Results<Created<AssetDto>, ValidationProblem, ProblemHttpResult>> Create(Request request, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        if (Validate(request) is { } problem) return problem;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var id = await db.WriteAsync((c, tx) => c.QuerySingleOrDefaultAsync<long?>(
            "INSERT INTO content_assets (title, type, url_pattern, asset_key, owner_team, created_at, updated_at) " +
            "VALUES (@Title, @Type, @UrlPattern, @AssetKey, @OwnerTeam, @now, @now) ON CONFLICT (asset_key) DO NOTHING RETURNING id", Values(request, now), tx), ct);
        if (id is null) return Problems.Conflict("Asset exists.", $"Another asset already has the id '{request.AssetKey!.Trim()}'.");
        var row = await db.ReadAsync(c => c.QuerySingleAsync<AssetRow>("SELECT * FROM content_assets WHERE id = @id", new { id }), ct);
        return TypedResults.Created($"/api/v1/content/assets/{id}", row.ToDto());
    }

    public static async Task<Results<Ok<AssetDto>, ValidationProblem, ProblemHttpResult>> Update(long id, Request request, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        if (Validate(request) is { } problem) return problem;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var values = new DynamicParameters(Values(request, now));
        values.Add("id", id);
        values.Add("archived", request.Archived == true ? now : (long?)null);
        var outcome = await db.WriteAsync(async (c, tx) =>
        {
            if (request.AssetKey is { } key && !string.IsNullOrWhiteSpace(key)
                && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM content_assets WHERE asset_key = @k AND id <> @id", new { k = key.Trim(), id }, tx) > 0)
                return "taken";
            return await c.ExecuteAsync(
                "UPDATE content_assets SET title = @Title, type = @Type, url_pattern = @UrlPattern, asset_key = @AssetKey, owner_team = @OwnerTeam, " +
                "archived_at = CASE WHEN @archived IS NULL THEN NULL ELSE COALESCE(archived_at, @archived) END, updated_at = @now WHERE id = @id", values, tx) == 0
                ? "missing" : "ok";
        }, ct);
        if (outcome == "missing") return Problems.NotFound("Asset", id);
        if (outcome == "taken") return Problems.Conflict("Asset exists.", $"Another asset already has the id '{request.AssetKey!.Trim()}'.");
        var row = await db.ReadAsync(c => c.QuerySingleAsync<AssetRow>("SELECT * FROM content_assets WHERE id = @id", new { id }), ct);
        return TypedResults.Ok(row.ToDto());
    }

    private static ValidationProblem? Validate(Request r)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(r.Title)) v.Add("title", "A title is required.");
        else if (r.Title.Trim().Length > 200) v.Add("title", "Must be at most 200 characters.");
        if (string.IsNullOrWhiteSpace(r.Type) || !Types.Contains(r.Type.Trim().ToLowerInvariant()))
            v.Add("type", $"Use one of: {string.Join(", ", Types)}.");
        if (string.IsNullOrWhiteSpace(r.UrlPattern) && string.IsNullOrWhiteSpace(r.AssetKey))
            v.Add("urlPattern", "Give a URL pattern (\"/pricing\", \"https://example.com/blog/*\") or an id (assetKey) that downloads and shares carry.");
        if (r.UrlPattern is { Length: > 500 }) v.Add("urlPattern", "Must be at most 500 characters.");
        if (r.AssetKey is { Length: > 200 }) v.Add("assetKey", "Must be at most 200 characters.");
        if (string.IsNullOrWhiteSpace(r.OwnerTeam)) v.Add("ownerTeam", $"Name the team that owns it, e.g. {string.Join(", ", Teams)}.");
        else if (r.OwnerTeam.Trim().Length > 100) v.Add("ownerTeam", "Must be at most 100 characters.");
        return v.IsValid ? null : v.ToProblem();
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static object Values(Request r, long now) => new
    {
        Title = r.Title!.Trim(), Type = r.Type!.Trim().ToLowerInvariant(), UrlPattern = Clean(r.UrlPattern), AssetKey = Clean(r.AssetKey),
        OwnerTeam = r.OwnerTeam!.Trim().ToLowerInvariant(), now,
    };
}
