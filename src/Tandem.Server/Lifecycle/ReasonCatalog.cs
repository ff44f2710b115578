using System.Text.RegularExpressions;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Handoff;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;
using Tandem.Server.Audit;

namespace Tandem.Server.Lifecycle;

/// <summary>The four lists of reason codes, as one consistent snapshot.</summary>
internal sealed record ReasonLists(ReasonCodes Stages, IReadOnlyList<RejectReason> Reject, IReadOnlyList<string> Lost);

/// <summary>
/// The reason codes both teams share, kept in the database so admins and marketing can change them on the Definitions
/// page: the codes a move to Recycled or Disqualified accepts, sales' rejection reasons (each with the stage it leads
/// to) and lost-deal reasons. Every use case reads the in-memory snapshot; a change is written, then the snapshot is
/// swapped, and other servers on the same database pick it up on their next refresh.
/// </summary>
internal sealed partial class ReasonCatalog(ReasonLists seed, string lostStageReason)
{
    public const string Recycled = "recycled", Disqualified = "disqualified", Reject = "reject", Lost = "lost";
    public static readonly IReadOnlyList<string> Lists = [Recycled, Disqualified, Reject, Lost];

    /// <summary>One code in a list; Stage only for rejection reasons.</summary>
    public sealed record Entry(string Code, string? Stage);

    private readonly ReasonLists seedLists = seed;
    private volatile ReasonLists current = seed;

    public ReasonLists Current => current;

    /// <summary>The code lost deals are recorded with on their way to Recycled; it cannot be removed from that list.</summary>
    public string LostStageReason => lostStageReason;

    public static ReasonLists SeedFrom(ReasonCodes stages, HandoffOptions handoff) => new(stages, handoff.Rejects(), handoff.Losts());

    /// <summary>Copies the seed lists into an empty table (a new workspace), then loads the table.</summary>
    public async Task LoadAsync(Database db, CancellationToken ct)
    {
        var rows = await db.ReadAsync(c => c.QueryAsync<Row>("SELECT list, code, stage FROM reason_codes ORDER BY list, position, code"), ct);
        if (!rows.Any())
        {
            await db.WriteAsync(async (c, tx) =>
            {
                if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reason_codes", transaction: tx) > 0) return 0;
                foreach (var list in Lists) await InsertAsync(c, tx, list, EntriesOf(seedLists, list), 0);
                return 1;
            }, ct);
            rows = await db.ReadAsync(c => c.QueryAsync<Row>("SELECT list, code, stage FROM reason_codes ORDER BY list, position, code"), ct);
        }
        current = FromRows(rows.ToList());
    }

    public IReadOnlyList<Entry> EntriesOf(string list) => EntriesOf(current, list);

    /// <summary>Replaces one list; returns field errors (keyed "codes", "codes[2]", "codes[2].stage") or none.</summary>
    public async Task<IReadOnlyDictionary<string, string[]>> ReplaceAsync(Database db, string list, IReadOnlyList<Entry> entries, TimeProvider clock,
        CancellationToken ct)
    {
        var v = Validate(list, entries);
        if (!v.IsValid) return v.Errors;
        var clean = entries.Select(e => new Entry(e.Code.Trim().ToLowerInvariant(), list == Reject ? Stage(e.Stage!).ToString() : null)).ToList();
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("DELETE FROM reason_codes WHERE list = @list", new { list }, tx);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await InsertAsync(c, tx, list, clean, now);
            await AuditLog.WriteAsync(c, tx, now, "settings.reason_codes.replaced", list, new { codes = clean });
            return 0;
        }, ct);
        await LoadAsync(db, ct);
        return new Dictionary<string, string[]>();
    }

    private Validation Validate(string list, IReadOnlyList<Entry> entries)
    {
        var v = new Validation();
        if (!Lists.Contains(list)) return v.Add("list", $"'{list}' is not a list of reason codes; use one of: {string.Join(", ", Lists)}.");
        if (entries.Count == 0) v.Add("codes", "Keep at least one reason code: the stage cannot be reached without one.");
        if (entries.Count > 100) v.Add("codes", "At most 100 reason codes per list.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < entries.Count; i++)
        {
            var code = entries[i].Code?.Trim().ToLowerInvariant() ?? "";
            if (!CodeFormat().IsMatch(code))
                v.Add($"codes[{i}]", $"'{code}' is not a reason code: use 1-50 lowercase letters, digits and dashes, e.g. no-budget.");
            else if (!seen.Add(code)) v.Add($"codes[{i}]", $"'{code}' is listed twice.");
            if (list == Reject && !IsSide(entries[i].Stage))
                v.Add($"codes[{i}].stage", "A rejection reason sends the lead to Recycled (back to nurture) or Disqualified.");
        }
        if (list == Recycled && !entries.Any(e => string.Equals(e.Code?.Trim(), lostStageReason, StringComparison.OrdinalIgnoreCase)))
            v.Add("codes", $"'{lostStageReason}' stays: lost deals go back to nurture with it.");
        return v;
    }

    private static bool IsSide(string? stage) => Stages.TryParse(stage, out var s) && s.NeedsReason();

    private static Stage Stage(string stage) => Stages.TryParse(stage, out var s) ? s : throw new ArgumentException(stage);

    private static IReadOnlyList<Entry> EntriesOf(ReasonLists lists, string list) => list switch
    {
        Recycled => lists.Stages.For(Domain.Lifecycle.Stage.Recycled).Select(c => new Entry(c, null)).ToList(),
        Disqualified => lists.Stages.For(Domain.Lifecycle.Stage.Disqualified).Select(c => new Entry(c, null)).ToList(),
        Reject => lists.Reject.Select(r => new Entry(r.Code, r.Stage.ToString())).ToList(),
        _ => lists.Lost.Select(c => new Entry(c, null)).ToList(),
    };

    private static async Task InsertAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string list, IReadOnlyList<Entry> entries,
        long now)
    {
        for (var i = 0; i < entries.Count; i++)
            await c.ExecuteAsync("INSERT INTO reason_codes (list, code, stage, position, updated_at) VALUES (@list, @Code, @Stage, @i, @now)",
                new { list, entries[i].Code, entries[i].Stage, i, now }, tx);
    }

    private static ReasonLists FromRows(IReadOnlyList<Row> rows)
    {
        IReadOnlyList<string> Codes(string list) => rows.Where(r => r.List == list).Select(r => r.Code).ToList();
        var stages = new ReasonCodes(new Dictionary<Stage, IReadOnlyList<string>>
        {
            [Domain.Lifecycle.Stage.Recycled] = Codes(Recycled),
            [Domain.Lifecycle.Stage.Disqualified] = Codes(Disqualified),
        });
        var reject = rows.Where(r => r.List == Reject && IsSide(r.Stage)).Select(r => new RejectReason(r.Code, Stage(r.Stage!))).ToList();
        return new ReasonLists(stages, reject, Codes(Lost));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,49}$")]
    private static partial Regex CodeFormat();

    private sealed record Row(string List, string Code, string? Stage);
}

/// <summary>Picks up reason codes changed on another server sharing the database.</summary>
internal sealed class ReasonCatalogRefresher(ReasonCatalog catalog, Database db, ILogger<ReasonCatalogRefresher> log) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await catalog.LoadAsync(db, stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Could not refresh the reason codes; keeping the last ones read."); }
        }
    }
}
