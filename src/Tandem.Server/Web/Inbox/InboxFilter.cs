using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.People;

namespace Tandem.Server.Web.Inbox;

/// <summary>
/// Which of the inbox's open leads to show, read from and written to the address, so a link reproduces the view:
/// <c>/inbox?stage=MQL&amp;source=paid_search&amp;due=overdue&amp;revived=true&amp;page=2</c>.
/// Stage and source mean what they mean on the people list and the API (they are read and turned into SQL by
/// <see cref="PeopleQuery"/>); only "overdue" and "revived" are the inbox's own, because they depend on its SLA clock
/// and stall joins.
/// </summary>
internal sealed record InboxFilter
{
    /// <summary>The stages the inbox holds; a stage filter can only narrow to one of them.</summary>
    public static readonly IReadOnlyList<Stage> OpenStages = [Stage.MQL, Stage.SAL];

    public const int PageSize = 50;

    public static readonly InboxFilter Everything = new();

    /// <summary>Empty for both open stages.</summary>
    public IReadOnlyList<Stage> Stages { get; init; } = [];
    /// <summary>The first-touch channel, as the people list's "source".</summary>
    public string? Source { get; init; }
    /// <summary>Only leads whose next service-level deadline has passed (breached and still open).</summary>
    public bool Overdue { get; init; }
    /// <summary>Only leads that came back to their owner from a stall.</summary>
    public bool Revived { get; init; }
    public int Page { get; init; } = 1;

    public bool IsEmpty => Stages.Count == 0 && Source is null && !Overdue && !Revived;

    /// <summary>
    /// Reads the address. Every value that cannot be used is named in <paramref name="v"/> in the API's words; the
    /// caller then shows nothing rather than more than was asked for.
    /// </summary>
    public static InboxFilter Parse(Func<string, string?> valueOf, Validation v)
    {
        // Only the filters the inbox offers are handed on, so an address cannot smuggle in another people filter.
        var people = PeopleQuery.Parse(name => name is "stage" or "source" ? valueOf(name) : null, v);
        foreach (var s in people.Stages.Where(s => !OpenStages.Contains(s)))
            v.Add("stage", $"The inbox holds open leads only; '{s}' is not one of: {string.Join(", ", OpenStages)}.");

        var overdue = false;
        switch (Clean(valueOf("due")))
        {
            case null: break;
            case var d when d.Equals("overdue", StringComparison.OrdinalIgnoreCase): overdue = true; break;
            case var d: v.Add("due", $"'{d}' is not a due filter; use overdue."); break;
        }
        var revived = false;
        if (Clean(valueOf("revived")) is { } r)
        {
            if (CellValues.TryBoolean(r, out var yes)) revived = yes;
            else v.Add("revived", "Expected true or false.");
        }
        var page = 1;
        if (Clean(valueOf("page")) is { } p)
        {
            if (int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1) page = n;
            else v.Add("page", "Expected a page number, 1 or more.");
        }
        return new InboxFilter { Stages = people.Stages.Distinct().ToList(), Source = people.Source, Overdue = overdue, Revived = revived, Page = page };
    }

    /// <summary>The stage and source as the people filter, which writes their SQL.</summary>
    public PeopleQuery People => new() { Stages = Stages, Source = Source };

    /// <summary>The address's query string (without "?"), always in the same order, the first page left out.</summary>
    public string ToQueryString()
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (Stages.Count > 0) pairs.Add(new("stage", string.Join(",", Stages)));
        if (Source is not null) pairs.Add(new("source", Source));
        if (Overdue) pairs.Add(new("due", "overdue"));
        if (Revived) pairs.Add(new("revived", "true"));
        if (Page > 1) pairs.Add(new("page", Page.ToString(CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString("", pairs).TrimStart('?');
    }

    public string Url => ToQueryString() is { Length: > 0 } q ? "/inbox?" + q : "/inbox";

    /// <summary>The view a chip leads to: a changed filter starts again on the first page.</summary>
    public InboxFilter WithStage(Stage? stage) => this with { Stages = stage is { } s ? [s] : [], Page = 1 };
    public InboxFilter WithSource(string? source) => this with { Source = source, Page = 1 };
    public InboxFilter WithOverdue(bool on) => this with { Overdue = on, Page = 1 };
    public InboxFilter WithRevived(bool on) => this with { Revived = on, Page = 1 };
    public InboxFilter OnPage(int page) => this with { Page = page };

    /// <summary>Whether a group of leads (one cell of <see cref="InboxCounts"/>) is in this view.</summary>
    public bool Holds(InboxCounts.Cell cell) =>
        (Stages.Count == 0 || Stages.Any(s => s.ToString() == cell.Stage))
        && (Source is null || Source == cell.Source)
        && (!Overdue || cell.Overdue != 0)
        && (!Revived || cell.Revived != 0);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
